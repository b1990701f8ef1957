"""The course's single sigmoid neuron with binary cross-entropy: autograd equals the formulas
derived by hand, dL/dw_i = -(y - ŷ) x_i and dL/db = -(y - ŷ)."""

from __future__ import annotations

import numpy as np
import pytest

import neuralab as nl

F = nl.functional
CASES = [
    # (x1, x2, y, w1, w2, b)
    (1.0, 0.0, 1.0, 0.3, 0.6, 0.1),
    (1.0, 1.0, 0.0, 0.3, 0.6, 0.1),
    (0.5, -2.0, 1.0, -1.2, 0.4, 0.7),
    (3.0, 2.0, 0.0, 2.0, 1.5, -4.0),
    (-1.0, 4.0, 1.0, 0.0, 0.0, 0.0),
]


@pytest.mark.parametrize(("x1", "x2", "y", "w1", "w2", "b"), CASES)
def test_single_neuron_gradients_equal_the_course_formulas(x1, x2, y, w1, w2, b):
    x = nl.tensor([[x1, x2]], dtype="float64")
    w = nl.tensor([[w1], [w2]], dtype="float64", requires_grad=True)
    bias = nl.tensor([b], dtype="float64", requires_grad=True)
    y_hat = (x @ w + bias).sigmoid()
    F.binary_cross_entropy(y_hat, [[y]]).backward()

    p = 1 / (1 + np.exp(-(w1 * x1 + w2 * x2 + b)))
    assert y_hat.item() == pytest.approx(p, rel=1e-12)
    assert w.grad[0, 0] == pytest.approx(-(y - p) * x1, rel=1e-9, abs=1e-12)
    assert w.grad[1, 0] == pytest.approx(-(y - p) * x2, rel=1e-9, abs=1e-12)
    assert bias.grad[0] == pytest.approx(-(y - p), rel=1e-9, abs=1e-12)


def test_dloss_dyhat_is_the_course_ratio():
    """dL/dŷ = -(y - ŷ) / (ŷ(1 - ŷ)), before the sigmoid's derivative cancels it."""
    for y, p in [(1.0, 0.3), (0.0, 0.8), (1.0, 0.95)]:
        y_hat = nl.tensor([p], dtype="float64", requires_grad=True)
        F.binary_cross_entropy(y_hat, [y]).backward()
        assert y_hat.grad[0] == pytest.approx(-(y - p) / (p * (1 - p)), rel=1e-12)


def test_gradient_descent_update_is_the_course_rule():
    """w1 -> w1 - α(-x1 (y - ŷ)) and b -> b - α(-(y - ŷ))."""
    alpha, x1, x2, y = 0.5, 1.0, 1.0, 1.0
    w = nl.tensor([[0.3], [0.6]], dtype="float64", requires_grad=True)
    b = nl.tensor([0.1], dtype="float64", requires_grad=True)
    y_hat = (nl.tensor([[x1, x2]], dtype="float64") @ w + b).sigmoid()
    F.binary_cross_entropy(y_hat, [[y]]).backward()
    p = y_hat.item()
    with nl.no_grad():
        w.data -= alpha * w.grad
        b.data -= alpha * b.grad
    assert w.data[0, 0] == pytest.approx(0.3 - alpha * (-x1 * (y - p)))
    assert b.data[0] == pytest.approx(0.1 - alpha * (-(y - p)))
