"""What makes the estimators drop-in replacements: dtypes, sparse inputs, assignable weights,
warm starts, L-BFGS, divergence, and neuralab's extras alongside."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

import neuralab as nl
from neuralab.estimators import NeuralabClassifier, NeuralabRegressor

FAST = {"hidden_layer_sizes": (16,), "learning_rate_init": 0.02, "max_iter": 40,
        "random_state": 0}


def blobs(n=90, seed=0):
    rng = np.random.default_rng(seed)
    X = np.concatenate([c + rng.normal(size=(n // 3, 5)) for c in rng.normal(0, 3, (3, 5))])
    return X, np.repeat([0, 1, 2], n // 3)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("Estimator", [NeuralabClassifier, NeuralabRegressor])
def test_the_input_dtype_is_the_dtype_of_weights_and_predictions(Estimator, dtype):
    X, y = blobs()
    model = Estimator(**FAST).fit(X.astype(dtype), y)
    assert {w.dtype for w in model.coefs_ + model.intercepts_} == {np.dtype(dtype)}
    assert all(p.data.dtype == dtype for p in model.model_.parameters())
    outputs = model.predict_proba(X.astype(dtype)) if hasattr(model, "predict_proba") else (
        model.predict(X.astype(dtype)))
    assert outputs.dtype == dtype


def test_float32_and_float64_fits_start_alike_and_end_close():
    X, y = blobs()
    fits = [NeuralabClassifier(**FAST).fit(X.astype(dtype), y) for dtype in (np.float32,
                                                                            np.float64)]
    np.testing.assert_allclose(fits[0].predict_proba(X), fits[1].predict_proba(X), atol=1e-3)


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
@pytest.mark.parametrize("container", [sp.csr_matrix, sp.csc_array])
def test_sparse_inputs_train_and_predict_as_the_dense_ones(solver, container):
    X, y = blobs()
    X[np.abs(X) < 1.5] = 0.0
    settings = {**FAST, "solver": solver}
    dense = NeuralabClassifier(**settings).fit(X, y)
    sparse = NeuralabClassifier(**settings).fit(container(X), y)
    np.testing.assert_allclose(sparse.predict_proba(container(X)), dense.predict_proba(X),
                               rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(sparse.predict(X), dense.predict(container(X)))


def test_assigned_weights_are_the_ones_the_network_computes_with():
    X, y = blobs()
    clf = NeuralabClassifier(**FAST).fit(X, y)
    before = clf.predict_proba(X)
    clf.coefs_[-1] = np.zeros_like(clf.coefs_[-1])  # as in MLPClassifier: the list's arrays
    clf.intercepts_[-1] = np.array([0.0, 5.0, 0.0])
    assert np.all(clf.predict(X) == 1) and not np.allclose(clf.predict_proba(X), before)
    clf.coefs_[0] *= 0.0  # in place works too
    np.testing.assert_allclose(clf.model_[0].weight.data, 0.0)
    clf.coefs_ = [np.ones((4, 16)), *clf.coefs_[1:]]
    with pytest.raises(ValueError, match=r"coefs_\[0\] has shape \(4, 16\), but layer 0 .* "
                                         r"needs \(5, 16\)"):
        clf.predict(X)


def test_weights_set_by_hand_train_with_partial_fit_as_mlpclassifiers_worked_example():
    """The worked example of scikit-learn's test_fit: one SGD step from given weights."""
    clf = NeuralabClassifier(solver="sgd", learning_rate_init=0.1, alpha=0.1,
                             activation="logistic", random_state=1, max_iter=1,
                             hidden_layer_sizes=2, momentum=0)
    clf.coefs_ = [np.array([[0.1, 0.2], [0.3, 0.1], [0.5, 0.0]]), np.array([[0.1], [0.2]])]
    clf.intercepts_ = [np.array([0.1, 0.1]), np.array([1.0])]
    clf.n_features_in_ = 3
    clf.partial_fit(np.array([[0.6, 0.8, 0.7]]), np.array([0]), classes=[0, 1])
    np.testing.assert_allclose(clf.coefs_[1], [[0.04706], [0.154089]], atol=1e-3)
    assert clf.predict_proba(np.array([[0.6, 0.8, 0.7]]))[0, 1] == pytest.approx(0.739,
                                                                                 abs=1e-3)


def test_a_warm_start_on_other_classes_raises_as_mlpclassifier():
    X, y = blobs()
    clf = NeuralabClassifier(**{**FAST, "warm_start": True}).fit(X, y)
    clf.fit(X, y[::-1])  # the same classes: fine
    with pytest.raises(ValueError, match=r"warm_start can only be used where `y` has the same "
                                         r"classes .* Previously got \[0 1 2\], `y` has \[0 1\]"):
        clf.fit(X, np.minimum(y, 1))


def test_multilabel_targets_get_one_logistic_output_per_label():
    X, _ = blobs()
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0, X[:, 0] + X[:, 1] > 0]).astype(int)
    clf = NeuralabClassifier(**{**FAST, "max_iter": 200}).fit(X, Y)
    assert clf.out_activation_ == "logistic" and clf.n_outputs_ == 3
    assert clf.predict(X).shape == Y.shape and clf.score(X, Y) > 0.8
    proba = clf.predict_proba(X)
    assert proba.shape == Y.shape and not np.allclose(proba.sum(axis=1), 1.0)


def test_sgd_means_momentum_with_nesterov_and_momentum_zero_is_plain_descent():
    X, y = blobs()
    clf = NeuralabClassifier(**{**FAST, "solver": "sgd"}).fit(X, y)
    optimizer = clf._optimizer.optimizer
    assert (optimizer.momentum, optimizer.nesterov) == (0.9, True)
    plain = NeuralabClassifier(**{**FAST, "solver": "sgd", "momentum": 0.0}).fit(X, y)
    assert plain._optimizer.optimizer.momentum == 0.0


def test_invscaling_sets_the_rate_from_the_samples_seen_across_warm_starts():
    X, y = blobs()
    clf = NeuralabClassifier(**{**FAST, "solver": "sgd", "learning_rate": "invscaling",
                                "max_iter": 1, "power_t": 0.25, "warm_start": True})
    clf.fit(X, y).fit(X, y)
    assert clf.t_ == 2 * len(X)
    assert clf._optimizer.learning_rate == 0.02 / (2 * len(X) + 1) ** 0.25


def test_n_iter_no_change_inf_trains_every_epoch():
    X, y = blobs()
    with pytest.warns(ConvergenceWarning):
        clf = NeuralabClassifier(**{**FAST, "tol": 1e9, "n_iter_no_change": np.inf}).fit(X, y)
    assert clf.n_iter_ == 40 and clf._no_improvement_count == 39


def test_lbfgs_respects_max_iter_and_max_fun_and_has_no_partial_fit():
    X, y = blobs()
    with pytest.warns(ConvergenceWarning, match=r"lbfgs failed to converge after 5 iteration"):
        clf = NeuralabClassifier(**{**FAST, "solver": "lbfgs", "max_iter": 5}).fit(X, y)
    assert clf.n_iter_ == 5 and len(clf.loss_curve_) == 5
    assert clf.loss_ == pytest.approx(clf.loss_curve_[-1])
    with pytest.warns(ConvergenceWarning):
        few = NeuralabClassifier(**{**FAST, "solver": "lbfgs", "max_fun": 3}).fit(X, y)
    assert few.n_iter_ <= 3
    assert not hasattr(clf, "partial_fit")
    with pytest.raises(AttributeError, match="has no attribute 'partial_fit'") as error:
        clf.partial_fit(X, y)
    assert "only available for the stochastic solvers" in str(error.value.__cause__)


def test_a_diverging_fit_raises_mlpclassifiers_error_and_keeps_the_last_finite_weights():
    X, y = blobs()
    X[0, 0] = 1e200  # finite in float64, but its products overflow
    reg = NeuralabRegressor(**{**FAST, "solver": "sgd"})
    with pytest.raises(ValueError, match=r"Solver produced non-finite parameter weights.*"
                                         r"diverged in epoch 1.* the start of this fit"):
        reg.fit(X, y)
    assert all(np.isfinite(w).all() for w in reg.coefs_)


def test_a_diverging_fit_with_early_stopping_records_nan_and_keeps_the_best_epoch():
    X, y = blobs()
    reg = NeuralabRegressor(**{**FAST, "solver": "sgd", "learning_rate_init": 0.5,
                               "early_stopping": True, "activation": "identity"})
    with pytest.warns(ConvergenceWarning, match="Training diverged in epoch"):
        reg.fit(X * 100, y)
    assert np.isnan(reg.validation_scores_[-1]) and np.isnan(reg.loss_curve_[-1])
    assert len(reg.validation_scores_) == len(reg.loss_curve_) == reg.n_iter_
    assert all(np.isfinite(w).all() for w in reg.coefs_)


def test_poisson_regression_predicts_positive_rates():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (1000, 2))
    y = rng.poisson(np.exp(1 + X[:, 0]))
    reg = NeuralabRegressor(loss="poisson", **{**FAST, "hidden_layer_sizes": (4,),
                                               "max_iter": 100}).fit(X, y)
    assert reg.out_activation_ == "exp" and np.all(reg.predict(X) > 0)
    assert np.mean(np.abs(reg.predict(X) / np.exp(1 + X[:, 0]) - 1)) < 0.1  # the true rates
    with pytest.raises(ValueError, match="poisson_nll loss needs counts or rates >= 0"):
        NeuralabRegressor(loss="poisson", **FAST).fit(X, -y)


def test_neuralab_extras_still_train_and_save(tmp_path):
    X, y = blobs()
    clf = NeuralabClassifier(**{**FAST, "batch_norm": True, "dropout": 0.1,
                                "clip_grad_norm": 1.0, "batch_size": 16}).fit(X, y)
    assert clf.score(X, y) > 0.9
    report = nl.diagnostics.report(clf.model_, X, y, loss="cross_entropy")
    assert report is not None
    restored = nl.load(nl.save(clf, tmp_path / "clf.safetensors"))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    assert restored.coefs_[0].dtype == np.float64 and restored.coefs_[0] is (
        restored.model_[0].weight.data)


def test_the_estimators_agree_with_mlpclassifier_on_held_out_accuracy():
    """Different shuffles, the same rules: the two reach the same accuracy on held-out data."""
    X, y = blobs(300, seed=1)
    ours, theirs = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for seed in range(3):
            settings = {**FAST, "random_state": seed, "max_iter": 60}
            ours.append(NeuralabClassifier(**settings).fit(X[::2], y[::2]).score(X[1::2],
                                                                                   y[1::2]))
            theirs.append(MLPClassifier(**settings).fit(X[::2], y[::2]).score(X[1::2], y[1::2]))
    assert np.mean(ours) == pytest.approx(np.mean(theirs), abs=0.03)
