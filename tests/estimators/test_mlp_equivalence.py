"""scikit-learn's MLPClassifier and MLPRegressor as the oracle: from the same random_state and
the same batches (shuffle=False), in float64, neuralab's estimators train the same weights,
epoch for epoch, with every solver and schedule."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_digits, make_multilabel_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor

from neuralab.estimators import NeuralabClassifier, NeuralabRegressor

COMMON = {"hidden_layer_sizes": (12,), "random_state": 0, "max_iter": 8, "shuffle": False}


def digits():
    X, y = load_digits(n_class=4, return_X_y=True)
    return X[:150] / 16, y[:150]


def assert_same_training(theirs, ours, X, y, **fit_options):
    """Both fitted on (X, y): the same weights (to float64 rounding) and loss curve."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        theirs.fit(X, y, **fit_options)
        ours.fit(X, y, **fit_options)
    for mine, reference in zip(ours.coefs_ + ours.intercepts_,
                               theirs.coefs_ + theirs.intercepts_, strict=True):
        assert mine.dtype == reference.dtype == np.float64
        np.testing.assert_allclose(mine, reference, rtol=1e-9, atol=1e-12)
    assert ours.n_iter_ == theirs.n_iter_
    if hasattr(theirs, "loss_curve_"):  # (MLPClassifier records none for lbfgs)
        np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-9)


def test_the_same_random_state_draws_mlpclassifiers_initial_weights():
    X, y = digits()
    for activation in ("relu", "logistic"):  # Glorot's bound with 6, and 2 for the logistic
        settings = {**COMMON, "activation": activation, "max_iter": 1, "solver": "sgd",
                    "learning_rate_init": 1e-300}
        assert_same_training(MLPClassifier(**settings), NeuralabClassifier(**settings), X, y)


@pytest.mark.parametrize("options", [
    {"solver": "sgd"},  # momentum 0.9 with Nesterov's step, as MLPClassifier's default
    {"solver": "sgd", "nesterovs_momentum": False, "learning_rate_init": 0.05},
    {"solver": "sgd", "momentum": 0.0, "learning_rate_init": 0.1},  # the course's plain SGD
    {"solver": "sgd", "learning_rate": "invscaling", "learning_rate_init": 0.2, "power_t": 0.3},
    {"solver": "sgd", "learning_rate": "adaptive", "tol": 0.5, "max_iter": 30},
    {"solver": "sgd", "batch_size": 64, "alpha": 0.1},  # batches of 64, 64 and 22
    {"solver": "adam"},
    {"solver": "adam", "batch_size": 40, "activation": "tanh", "beta_1": 0.8, "epsilon": 1e-4},
    {"solver": "adam", "early_stopping": True, "max_iter": 30, "n_iter_no_change": 3},
    {"solver": "lbfgs", "max_iter": 30},
], ids=repr)
def test_classifier_trains_as_mlpclassifier(options):
    X, y = digits()
    settings = {**COMMON, **options}
    theirs, ours = MLPClassifier(**settings), NeuralabClassifier(**settings)
    assert_same_training(theirs, ours, X, y)
    if options.get("early_stopping"):  # the same held-out samples, the same scores
        np.testing.assert_allclose(ours.validation_scores_, theirs.validation_scores_)


def test_adaptive_schedule_divides_the_learning_rate_as_mlpclassifier():
    X, y = digits()
    settings = {**COMMON, "solver": "sgd", "learning_rate": "adaptive", "tol": 0.5,
                "max_iter": 200}
    theirs, ours = MLPClassifier(**settings), NeuralabClassifier(**settings)
    assert_same_training(theirs, ours, X, y)
    assert ours._optimizer.learning_rate == theirs._optimizer.learning_rate < 1e-6


@pytest.mark.parametrize("solver", ["sgd", "lbfgs"])
def test_multilabel_targets_train_as_mlpclassifier(solver):
    X, Y = make_multilabel_classification(80, n_classes=4, random_state=0)
    settings = {**COMMON, "solver": solver}
    theirs, ours = MLPClassifier(**settings), NeuralabClassifier(**settings)
    assert_same_training(theirs, ours, X / 10, Y)
    np.testing.assert_array_equal(ours.predict(X / 10), theirs.predict(X / 10))
    np.testing.assert_allclose(ours.predict_proba(X / 10), theirs.predict_proba(X / 10))


def test_sample_weights_of_a_full_batch_act_as_in_mlpclassifier():
    X, y = digits()
    weights = np.random.default_rng(0).uniform(0.2, 3.0, len(X))
    settings = {**COMMON, "solver": "sgd", "batch_size": len(X)}
    assert_same_training(MLPClassifier(**settings), NeuralabClassifier(**settings), X, y,
                         sample_weight=weights)


@pytest.mark.parametrize(("loss", "solver", "targets"), [
    ("squared_error", "sgd", 1), ("squared_error", "sgd", 3), ("squared_error", "adam", 3),
    ("squared_error", "lbfgs", 1), ("poisson", "sgd", 1), ("poisson", "lbfgs", 1),
])
def test_regressor_trains_as_mlpregressor(loss, solver, targets):
    X, Y = make_regression(120, 5, n_targets=3, random_state=0)
    y = Y[:, 0] / 100 if targets == 1 else Y / 100
    if loss == "poisson":
        y = np.random.default_rng(0).poisson(np.exp(X[:, 0] / 3))
    settings = {**COMMON, "solver": solver, "loss": loss, "batch_size": 50}
    theirs, ours = MLPRegressor(**settings), NeuralabRegressor(**settings)
    assert_same_training(theirs, ours, X, y)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-9)


def test_lbfgs_of_several_squared_error_targets_minimises_the_sum_it_differentiates():
    """MLPRegressor's L-BFGS pairs the mean squared error over the targets with the gradient of
    their sum; neuralab minimises the sum, so its gradient is the one of its value."""
    X, Y = make_regression(100, 4, n_targets=3, random_state=1)
    reg = NeuralabRegressor(solver="lbfgs", hidden_layer_sizes=(8,), alpha=0.0, random_state=0,
                            max_iter=3).fit(X, Y / 100)
    theta = np.hstack([a.ravel() for a in reg.coefs_ + reg.intercepts_])
    value, gradient = reg._loss_grad_lbfgs(theta, X, Y / 100)
    assert value == pytest.approx(0.5 * np.sum((reg.predict(X) - Y / 100) ** 2) / len(X))
    step = 1e-6 * gradient / np.linalg.norm(gradient)
    ahead, _ = reg._loss_grad_lbfgs(theta + step, X, Y / 100)
    assert (ahead - value) / np.linalg.norm(step) == pytest.approx(np.linalg.norm(gradient),
                                                                    rel=1e-4)
