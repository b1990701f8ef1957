"""The estimators inside scikit-learn's tools, and saved with pickle and with nl.save."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from safetensors.numpy import load_file
from sklearn.datasets import load_iris
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import neuralab as nl
from neuralab.estimators import NeuralabClassifier, NeuralabRegressor

FAST = {"hidden_layer_sizes": (16,), "learning_rate_init": 0.02, "max_iter": 60,
        "random_state": 0}


def test_top_level_names():
    assert nl.NeuralabClassifier is NeuralabClassifier
    assert nl.NeuralabRegressor is NeuralabRegressor


def test_pipeline_in_a_grid_search():
    X, y = load_iris(return_X_y=True)
    pipe = make_pipeline(StandardScaler(), NeuralabClassifier(**FAST))
    grid = GridSearchCV(pipe, {"neuralabclassifier__hidden_layer_sizes": [(4,), (16,)],
                               "neuralabclassifier__alpha": [1e-4, 1e-2]}, cv=3)
    grid.fit(X, y)
    assert set(grid.best_params_) == {"neuralabclassifier__hidden_layer_sizes",
                                      "neuralabclassifier__alpha"}
    assert grid.best_score_ > 0.85
    assert grid.predict(X[:5]).shape == (5,)


def test_cross_val_score_on_shared_folds():
    X, y = load_iris(return_X_y=True)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    scores = cross_val_score(make_pipeline(StandardScaler(), NeuralabClassifier(**FAST)), X, y,
                             cv=folds)
    assert scores.shape == (5,) and scores.mean() > 0.85


def fitted(kind):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 3))
    if kind == "classifier":
        y = np.array(["low", "mid", "high"])[np.digitize(X[:, 0], [-0.5, 0.5])]
        settings = {**FAST, "early_stopping": True, "dropout": 0.2, "batch_norm": True,
                    "batch_size": 16}
        return NeuralabClassifier(**settings).fit(X, y), X
    return NeuralabRegressor(**FAST).fit(X, np.column_stack([X.sum(1), X[:, 0]])), X


def predictions(estimator, X):
    methods = ("predict", "predict_proba", "decision_function")
    return {m: getattr(estimator, m)(X) for m in methods if hasattr(estimator, m)}


def assert_same_estimator(restored, original, X):
    assert type(restored) is type(original)
    assert restored.get_params() == original.get_params()
    for method, values in predictions(original, X).items():
        np.testing.assert_array_equal(getattr(restored, method)(X), values, err_msg=method)
    for name in ("n_features_in_", "loss_curve_", "n_iter_", "validation_scores_"):
        assert getattr(restored, name) == getattr(original, name), name


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_pickle_round_trip(kind):
    original, X = fitted(kind)
    assert_same_estimator(pickle.loads(pickle.dumps(original)), original, X)


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_nl_save_round_trip(tmp_path, kind):
    original, X = fitted(kind)
    path = nl.save(original, tmp_path / "estimator.safetensors")
    restored = nl.load(path)
    assert_same_estimator(restored, original, X)
    if kind == "classifier":
        assert restored.classes_.tolist() == ["high", "low", "mid"]
        assert restored.classes_.dtype == original.classes_.dtype
    # a plain safetensors file: the network's weights, nothing pickled
    assert set(load_file(path)) == set(original.model_.state_dict())
    # training can go on after loading (with a fresh optimizer)
    restored.set_params(early_stopping=False).partial_fit(X, original.predict(X))
    assert len(restored.loss_curve_) == len(original.loss_curve_) + 1


def test_nl_save_refuses_what_it_cannot_store(tmp_path):
    with pytest.raises(NotFittedError):
        nl.save(NeuralabClassifier(), tmp_path / "unfitted.safetensors")
    with pytest.raises(TypeError, match=r"nn\.Module or a fitted NeuralabClassifier"):
        nl.save(StandardScaler(), tmp_path / "scaler.safetensors")
    clf, _ = fitted("classifier")
    clf.set_params(random_state=np.random.RandomState(0))
    with pytest.raises(TypeError, match=r"RandomState.*set_params\(random_state=0\)"):
        nl.save(clf, tmp_path / "rs.safetensors")
