"""from_sklearn: a fitted MLPClassifier / MLPRegressor as an nn.MLP computing the same outputs."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.neural_network import MLPClassifier, MLPRegressor

import neuralab as nl

X = np.random.default_rng(0).normal(size=(80, 5))


def fitted(estimator, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return estimator.fit(X, y)


def outputs(net, inputs=X):
    with nl.config(dtype="float64"), nl.no_grad():
        return net(inputs).data


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity"])
def test_a_multiclass_network_returns_predict_proba(activation):
    y = np.argmax(X[:, :3], axis=1)
    mlp = fitted(MLPClassifier((7, 4), activation=activation, max_iter=50, random_state=0), y)
    net = nl.interop.from_sklearn(mlp, dtype="float64")
    np.testing.assert_allclose(outputs(net), mlp.predict_proba(X), rtol=1e-12, atol=1e-14)
    assert net.sizes == [5, 7, 4, 3] and not net.training


def test_a_binary_network_returns_the_probability_of_the_second_class():
    mlp = fitted(MLPClassifier((6,), max_iter=50, random_state=0), X[:, 0] > 0)
    net = nl.interop.from_sklearn(mlp, dtype="float64")
    np.testing.assert_allclose(outputs(net)[:, 0], mlp.predict_proba(X)[:, 1], rtol=1e-12)
    logits = nl.interop.from_sklearn(mlp, logits=True, dtype="float64")
    np.testing.assert_array_equal(outputs(logits)[:, 0] > 0, mlp.predict(X))


def test_a_regressor_returns_predict_and_float32_is_the_default():
    mlp = fitted(MLPRegressor(hidden_layer_sizes=(6,), activation="tanh", max_iter=50,
                              random_state=0), X @ np.arange(5.0))
    net = nl.interop.from_sklearn(mlp)
    assert net[0].weight.dtype == np.float32
    with nl.no_grad():
        np.testing.assert_allclose(net(X).data[:, 0], mlp.predict(X), rtol=1e-5, atol=1e-5)


def test_the_network_trains_on_in_neuralab():
    y = np.argmax(X[:, :3], axis=1)
    mlp = fitted(MLPClassifier((8,), max_iter=20, random_state=0), y)
    net = nl.interop.from_sklearn(mlp, logits=True).train()
    before = nl.evaluate(net, X, y, loss="cross_entropy")["loss"]
    nl.fit(net, X, y, loss="cross_entropy", optimizer="adam", epochs=30, verbose=0, seed=0)
    assert nl.evaluate(net, X, y, loss="cross_entropy")["loss"] < before


def test_unfitted_and_foreign_models_are_refused():
    from sklearn.exceptions import NotFittedError
    from sklearn.linear_model import LogisticRegression

    with pytest.raises(NotFittedError):
        nl.interop.from_sklearn(MLPClassifier())
    with pytest.raises(TypeError, match="Got LogisticRegression"):
        nl.interop.from_sklearn(LogisticRegression())
