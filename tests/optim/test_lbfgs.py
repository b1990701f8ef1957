"""minimize_lbfgs: SciPy's L-BFGS-B over packed parameters, with weight decay and a callback."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.optimize

import neuralab as nl
from neuralab import nn, optim

F = nl.functional


def logistic_problem():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = (X @ [1.0, -2.0, 0.5] + rng.normal(size=60) > 0).astype(float).reshape(-1, 1)
    return X, y


def test_minimize_lbfgs_finds_the_minimum_scipy_finds_on_the_same_function():
    X, y = logistic_problem()
    with nl.config(dtype="float64"):
        layer = nn.Linear(3, 1, init="zeros")
    decay = 0.1

    def closure():
        return F.binary_cross_entropy_with_logits(layer(X), y)

    steps = []
    result = optim.minimize_lbfgs(layer.parameters(), closure, weight_decay=[decay, 0.0],
                                  gtol=1e-10, callback=lambda loss, penalty: steps.append(
                                      loss + penalty))

    def by_hand(theta):  # the same J, written out in NumPy
        w, b = theta[:3], theta[3]
        z = X @ w + b
        loss = np.mean(np.logaddexp(0, z) - z * y[:, 0]) + 0.5 * decay * w @ w
        residual = (1 / (1 + np.exp(-z)) - y[:, 0]) / len(X)
        return loss, np.append(X.T @ residual + decay * w, residual.sum())

    reference = scipy.optimize.minimize(by_hand, np.zeros(4), jac=True, method="L-BFGS-B",
                                        options={"gtol": 1e-10})
    np.testing.assert_allclose(result.x, reference.x, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(np.append(layer.weight.data.ravel(), layer.bias.data), result.x)
    assert result.fun == pytest.approx(reference.fun)
    assert result.penalty == pytest.approx(0.5 * decay * np.sum(result.x[:3] ** 2))
    assert len(steps) == result.nit and steps[-1] == pytest.approx(result.fun)
    assert layer.weight.data.base is None and layer.weight.grad is None  # unpacked again


def test_minimize_lbfgs_stops_at_max_iter_and_refuses_mixed_dtypes():
    X, y = logistic_problem()
    with nl.config(dtype="float64"):
        layer = nn.Linear(3, 1)
    result = optim.minimize_lbfgs(
        layer.parameters(), lambda: F.binary_cross_entropy_with_logits(layer(X), y),
        max_iter=2)
    assert result.nit == 2 and result.status == 1
    mixed = [nn.Parameter(np.ones(2)), nn.Parameter(np.ones(2, dtype=np.float32))]
    with pytest.raises(TypeError, match="parameters of one dtype"):
        optim.minimize_lbfgs(mixed, lambda: mixed[0].sum())
