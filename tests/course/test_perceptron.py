"""The perceptron learning rule: AND and OR converge, XOR cycles and warns."""

import warnings

import numpy as np
import pytest

import neuralab as nl
from neuralab.perceptron import ConvergenceWarning


@pytest.mark.parametrize("gate", ["and", "or", "nand", "nor"])
def test_learns_linearly_separable_gates(gate):
    X, y = nl.data.gates(gate)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = nl.Perceptron().fit(X, y)
    assert p.converged_
    assert p.errors_[-1] == 0
    assert p.n_epochs_ == len(p.errors_) <= 100
    np.testing.assert_array_equal(p.predict(X), y)


def test_and_weights_follow_the_rule():
    """From zeros, visiting the rows in order with lr 1: the known result w = (2, 1), b = -2."""
    X, y = nl.data.gates("and")
    p = nl.Perceptron().fit(X, y)
    np.testing.assert_array_equal(p.weights_, [2.0, 1.0])
    assert p.bias_ == -2.0
    assert p.fit(X, y) is p


def test_xor_does_not_converge_and_says_not_separable():
    X, y = nl.data.gates("xor")
    with pytest.warns(ConvergenceWarning, match="not linearly separable"):
        p = nl.Perceptron(max_epochs=50).fit(X, y)
    assert not p.converged_
    assert p.n_epochs_ == 50
    assert (p.predict(X) != y).any()


def test_threshold_shifts_the_firing_point():
    X = np.array([[4.0], [6.0]])
    p = nl.Perceptron(threshold=5.0).fit(X, [0, 1])
    assert p.converged_
    np.testing.assert_array_equal(p.predict([[3.0], [7.0]]), [0, 1])


def test_unfinished_separable_run_warns_without_claiming_inseparable():
    X, y = nl.data.gates("and")
    with pytest.warns(ConvergenceWarning, match="may not be linearly separable"):
        p = nl.Perceptron(max_epochs=2).fit(X, y)
    assert not p.converged_


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"lr": 0}, "'lr' parameter of Perceptron must be a float > 0"),
    ({"max_epochs": 0}, "'max_epochs' parameter of Perceptron must be an int >= 1"),
    ({"max_epochs": 2.5}, "'max_epochs'"),
])
def test_bad_settings_are_refused(kwargs, message):
    X, y = nl.data.gates("and")
    with pytest.raises(ValueError, match=message):
        nl.Perceptron(**kwargs).fit(X, y)


def test_bad_data_is_refused():
    X, y = nl.data.gates("and")
    with pytest.raises(ValueError, match="labels 0 and 1"):
        nl.Perceptron().fit(X, y * 2)
    with pytest.raises(ValueError, match=r"shape \(N, features\)"):
        nl.Perceptron().fit(X[:, 0], y)
    with pytest.raises(RuntimeError, match="not fitted"):
        nl.Perceptron().predict(X)
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        nl.Perceptron().fit(X, y).predict(X[:, :1])
