"""NeuralabClassifier: labels of every kind, probabilities, incremental and warm training,
early stopping, sample weights, convergence warnings and parameter checks."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning, NotFittedError

import neuralab as nl
from neuralab.estimators import NeuralabClassifier

FAST = {"hidden_layer_sizes": (16,), "learning_rate_init": 0.02, "max_iter": 80,
        "random_state": 0}


def blobs(n_per_class=40, n_classes=3, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 3, size=(n_classes, 4))
    X = np.concatenate([c + rng.normal(size=(n_per_class, 4)) for c in centres])
    return X, np.repeat(np.arange(n_classes), n_per_class)


def test_binary_labels_get_one_logit_and_two_probability_columns():
    X, y = blobs(n_classes=2)
    labels = np.where(y == 1, "spam", "ham")
    clf = NeuralabClassifier(**FAST).fit(X, labels)
    assert clf.classes_.tolist() == ["ham", "spam"]
    assert clf.model_[-1].out_features == 1
    z = clf.decision_function(X)
    proba = clf.predict_proba(X)
    assert z.shape == (len(X),) and proba.shape == (len(X), 2)
    np.testing.assert_allclose(proba[:, 1], 1 / (1 + np.exp(-z)), rtol=1e-12)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_array_equal(clf.predict(X), np.where(z > 0, "spam", "ham"))
    np.testing.assert_allclose(clf.predict_log_proba(X), np.log(proba), rtol=1e-9, atol=1e-12)
    assert clf.score(X, labels) > 0.95


def test_multiclass_string_labels_use_softmax_over_one_logit_per_class():
    X, y = blobs(n_classes=4)
    names = np.array(["north", "east", "south", "west"])[y]
    clf = NeuralabClassifier(**FAST).fit(X, names)
    assert clf.classes_.tolist() == ["east", "north", "south", "west"]
    logits = clf.decision_function(X)
    assert logits.shape == (len(X), 4)
    expected = np.exp(logits - logits.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(clf.predict_proba(X), expected, rtol=1e-9)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[logits.argmax(axis=1)])
    assert clf.score(X, names) > 0.95


def test_fitted_attributes():
    X, y = blobs()
    clf = NeuralabClassifier(hidden_layer_sizes=(8, 5), max_iter=7, random_state=0).fit(X, y)
    assert clf.n_features_in_ == 4 and clf.n_iter_ == 7 and len(clf.loss_curve_) == 7
    assert [w.shape for w in clf.coefs_] == [(4, 8), (8, 5), (5, 3)]
    assert [b.shape for b in clf.intercepts_] == [(8,), (5,), (3,)]
    assert isinstance(clf.model_, nl.nn.MLP)
    assert clf.validation_scores_ is None and clf.validation_loss_curve_ is None
    with pytest.raises(NotFittedError):
        NeuralabClassifier().predict(X)


def test_dataframe_column_names_are_remembered():
    pd = pytest.importorskip("pandas")
    X, y = blobs(n_classes=2)
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    clf = NeuralabClassifier(**FAST).fit(frame, y)
    assert clf.feature_names_in_.tolist() == ["a", "b", "c", "d"]


def test_same_random_state_same_model_and_different_states_differ():
    X, y = blobs()
    first = NeuralabClassifier(**FAST).fit(X, y).predict_proba(X)
    again = NeuralabClassifier(**FAST).fit(X, y).predict_proba(X)
    other = NeuralabClassifier(**{**FAST, "random_state": 1}).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, other)


def test_partial_fit_needs_classes_first_then_trains_one_epoch_per_call():
    X, y = blobs()
    clf = NeuralabClassifier(**FAST)
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        clf.partial_fit(X, y)
    clf.partial_fit(X[y < 2], y[y < 2], classes=[0, 1, 2])
    assert clf.classes_.tolist() == [0, 1, 2] and clf.model_[-1].out_features == 3
    for _ in range(30):
        clf.partial_fit(X, y)
    assert clf.n_iter_ == 1 and len(clf.loss_curve_) == 31
    assert clf.loss_curve_[-1] < clf.loss_curve_[0]
    assert clf.score(X, y) > 0.9
    with pytest.raises(ValueError, match=r"labels \[7\] that are not among the classes"):
        clf.partial_fit(X[:2], [0, 7])
    with pytest.raises(ValueError, match="differs from the classes of the earlier calls"):
        clf.partial_fit(X, y, classes=[0, 1])


def test_partial_fit_matches_fit_epoch_for_epoch():
    X, y = blobs()
    settings = {**FAST, "max_iter": 3, "batch_size": "full", "tol": 0.0}
    fitted = NeuralabClassifier(**settings).fit(X, y)
    stepped = NeuralabClassifier(**settings)
    for _ in range(3):
        stepped.partial_fit(X, y, classes=[0, 1, 2])
    np.testing.assert_allclose(stepped.loss_curve_, fitted.loss_curve_, rtol=1e-6)
    for a, b in zip(stepped.coefs_, fitted.coefs_, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_warm_start_continues_from_the_current_weights():
    X, y = blobs()
    clf = NeuralabClassifier(**{**FAST, "max_iter": 5, "warm_start": True}).fit(X, y)
    weights = clf.coefs_[0].copy()
    model = clf.model_
    clf.fit(X, y)
    assert clf.model_ is model and len(clf.loss_curve_) == 10 and clf.n_iter_ == 5
    assert not np.array_equal(weights, clf.coefs_[0])
    cold = NeuralabClassifier(**{**FAST, "max_iter": 5}).fit(X, y)
    assert cold.fit(X, y).model_ is not model and len(cold.loss_curve_) == 5


def test_early_stopping_records_validation_curves_and_keeps_the_best_epoch():
    X, y = blobs(n_per_class=60)
    clf = NeuralabClassifier(**{**FAST, "max_iter": 300, "early_stopping": True,
                                "n_iter_no_change": 5, "validation_fraction": 0.2}).fit(X, y)
    assert clf.n_iter_ < 300
    assert len(clf.validation_scores_) == len(clf.validation_loss_curve_) == clf.n_iter_
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    # stopped after n_iter_no_change + 1 epochs without beating the best by tol
    best_epoch = int(np.argmax(clf.validation_scores_))
    assert clf.n_iter_ - 1 - best_epoch >= 5


def test_training_loss_rule_stops_before_max_iter_without_warning():
    X, y = blobs()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        clf = NeuralabClassifier(**{**FAST, "max_iter": 500, "tol": 1e-2}).fit(X, y)
    assert clf.n_iter_ < 500
    losses = clf.loss_curve_
    stalled = [loss > min(losses[:i], default=np.inf) - 1e-2 for i, loss in enumerate(losses)]
    # stopped at the first run of n_iter_no_change + 1 = 11 epochs that each failed to beat
    # the best loss before them by tol
    assert stalled[-11:] == [True] * 11
    assert not any(all(stalled[i - 11:i]) for i in range(11, len(losses)))


def test_max_iter_without_convergence_warns():
    X, y = blobs()
    with pytest.warns(ConvergenceWarning, match=r"max_iter=3 epochs ended.*Raise max_iter"):
        NeuralabClassifier(**{**FAST, "max_iter": 3}).fit(X, y)


def test_sample_weight_shifts_the_decision_towards_the_heavy_class():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = (X[:, 0] + 0.8 * rng.normal(size=200) > 0).astype(int)  # overlapping classes
    settings = {**FAST, "max_iter": 150}
    plain = NeuralabClassifier(**settings).fit(X, y)
    heavy = NeuralabClassifier(**settings).fit(X, y, sample_weight=np.where(y == 1, 10.0, 1.0))
    assert (heavy.predict(X) == 1).mean() > (plain.predict(X) == 1).mean() + 0.1
    # integer weights act as repetitions: zero-weighted rows are ignored
    ignored = NeuralabClassifier(**settings).fit(X, y, sample_weight=(X[:, 1] > 0).astype(float))
    kept = NeuralabClassifier(**settings).fit(X[X[:, 1] > 0], y[X[:, 1] > 0])
    assert np.mean(ignored.predict(X) == kept.predict(X)) > 0.95


@pytest.mark.parametrize(
    ("params", "error", "message"),
    [
        ({"alpha": -1}, ValueError,
         r"The 'alpha' parameter of NeuralabClassifier must be a float >= 0. Got -1 instead."),
        ({"activation": "softsign"}, ValueError, r"'activation' parameter .* one of 'relu'"),
        ({"solver": "momentum"}, ValueError,
         r"'solver' parameter .* one of 'adam', 'sgd', 'lbfgs', 'rmsprop'"),
        ({"learning_rate": "optimal"}, ValueError, r"'learning_rate' .* 'constant', 'invscal"),
        ({"power_t": -0.5}, ValueError, r"'power_t' parameter .* float >= 0"),
        ({"shuffle": 1}, TypeError, r"'shuffle' parameter .* a bool"),
        ({"nesterovs_momentum": None}, TypeError, r"'nesterovs_momentum' parameter .* a bool"),
        ({"beta_1": 1.0}, ValueError, r"'beta_1' parameter .* in \[0, 1\)"),
        ({"epsilon": 0.0}, ValueError, r"'epsilon' parameter .* float > 0"),
        ({"max_fun": 0}, ValueError, r"'max_fun' parameter .* an int >= 1"),
        ({"solver": "lbfgs", "dropout": 0.2}, ValueError,
         r"solver='lbfgs' .* deterministic full-batch loss, which dropout"),
        ({"batch_size": 0}, ValueError, r"'batch_size' parameter .*\"auto\", \"full\" or an int"),
        ({"batch_size": 2.5}, TypeError, r"'batch_size' parameter .* Got 2.5 instead"),
        ({"hidden_layer_sizes": (10, 0)}, ValueError, r"'hidden_layer_sizes' parameter"),
        ({"learning_rate_init": 0.0}, ValueError, r"'learning_rate_init' .* float > 0"),
        ({"max_iter": 0}, ValueError, r"'max_iter' parameter .* an int >= 1"),
        ({"momentum": 1.0}, ValueError, r"'momentum' parameter .* in \[0, 1\)"),
        ({"dropout": 1.0}, ValueError, r"'dropout' parameter .* in \[0, 1\)"),
        ({"validation_fraction": 1.0}, ValueError, r"'validation_fraction' .* in \(0, 1\)"),
        ({"clip_grad_norm": -1.0}, ValueError, r"'clip_grad_norm' parameter .* float > 0"),
        ({"batch_norm": "yes"}, TypeError, r"'batch_norm' parameter .* a bool"),
        ({"random_state": -3}, ValueError, r"'random_state' parameter .* int in \[0, 2\*\*32"),
        ({"n_iter_no_change": 0}, ValueError,
         r"'n_iter_no_change' parameter .* int >= 1 or numpy.inf"),
        ({"n_iter_no_change": 2.5}, TypeError, r"'n_iter_no_change' parameter"),
        ({"tol": -0.1}, ValueError, r"'tol' parameter .* float >= 0"),
        ({"verbose": -1}, ValueError, r"'verbose' parameter .* int >= 0"),
    ],
)
def test_bad_parameters_fail_in_fit_with_scikit_learn_style_messages(params, error, message):
    X, y = blobs()
    clf = NeuralabClassifier(**params)  # __init__ only stores
    with pytest.raises(error, match=message):
        clf.fit(X, y)
    assert not hasattr(clf, "model_")


def test_bad_data_fails_with_what_to_do():
    X, y = blobs()
    with pytest.raises(ValueError, match="partial_fit does not support early_stopping"):
        NeuralabClassifier(early_stopping=True).partial_fit(X, y, classes=[0, 1, 2])
    with pytest.raises(ValueError, match=r"batch_norm=True needs batches of at least 2.*"
                                         r"121 training samples in batches of 10"):
        NeuralabClassifier(batch_norm=True, batch_size=10).fit(np.vstack([X, X[:1]]),
                                                               np.r_[y, y[:1]])
    with pytest.raises(ValueError, match="Unknown label type"):
        NeuralabClassifier().fit(X, np.linspace(0, 1, len(X)))


def test_every_option_trains():
    X, y = blobs()
    for options in ({"solver": "sgd", "learning_rate_init": 0.1, "momentum": 0.0},
                    {"solver": "sgd", "learning_rate_init": 0.05, "momentum": 0.8,
                     "nesterovs_momentum": False},
                    {"solver": "sgd", "learning_rate_init": 0.2, "learning_rate": "invscaling",
                     "power_t": 0.25},
                    {"solver": "sgd", "learning_rate_init": 0.1, "learning_rate": "adaptive"},
                    {"solver": "lbfgs", "activation": "logistic"},
                    {"solver": "rmsprop", "activation": "tanh"},
                    {"activation": "logistic", "batch_size": "full", "learning_rate_init": 0.05},
                    {"activation": "leaky_relu", "batch_norm": True, "dropout": 0.1},
                    {"activation": "identity", "batch_size": 1, "clip_grad_norm": 1.0,
                     "max_iter": 10},
                    {"hidden_layer_sizes": (), "alpha": 0.1}):
        clf = NeuralabClassifier(**{**FAST, **options}).fit(X, y)
        assert clf.score(X, y) > 0.9, options


def test_alpha_penalises_the_weight_matrices_only_as_mlpclassifier_does():
    X, y = blobs()
    clf = NeuralabClassifier(**{**FAST, "alpha": 0.5, "batch_norm": True}).fit(X, y)
    decays = dict(zip([name for name, _ in clf.model_.named_parameters()],
                      clf._optimizer.optimizer.weight_decay, strict=True))
    assert {name for name, rate in decays.items() if rate > 0} == {
        name for name, param in clf.model_.named_parameters() if param.ndim == 2}
    assert all(rate == 0.0 for name, rate in decays.items() if "bias" in name)


def test_verbose_prints_one_line_per_epoch_as_mlpclassifier(capsys):
    X, y = blobs()
    clf = NeuralabClassifier(**{**FAST, "max_iter": 3, "verbose": True}).fit(X, y)
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"Iteration {i}, loss = {loss:.8f}"
                     for i, loss in enumerate(clf.loss_curve_, start=1)]


def test_one_class_trains_and_predicts_it_as_mlpclassifier_does():
    X, _ = blobs()
    clf = NeuralabClassifier(**FAST).fit(X, ["only"] * len(X))
    assert clf.classes_.tolist() == ["only"] and clf.n_outputs_ == 1
    assert set(clf.predict(X)) == {"only"}
    proba = clf.predict_proba(X)  # MLPClassifier's two columns: P(not the class), P(class)
    assert proba.shape == (len(X), 2) and np.all(proba[:, 0] > 0.5)
