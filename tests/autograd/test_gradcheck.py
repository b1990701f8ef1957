"""gradcheck itself: passes correct gradients, and catches a wrong one with a precise message."""

from __future__ import annotations

import numpy as np
import pytest

import neuralab as nl
from neuralab.autograd import Op, apply


class WrongSquare(Op):
    """z = a² with a deliberately wrong derivative (a instead of 2a)."""

    name = "wrong_square"

    @staticmethod
    def forward(a):
        return a * a, a

    @staticmethod
    def backward(a, grad, needs):
        return (grad * a,)


def test_gradcheck_passes_a_correct_function_and_returns_true():
    x = nl.tensor(np.random.default_rng(0).normal(size=(3, 2)), requires_grad=True)
    assert nl.gradcheck(lambda t: (t * t).sum(axis=1), x) is True


def test_gradcheck_names_input_index_and_both_values():
    x = nl.tensor([[1.0, 2.0]], requires_grad=True)
    y = nl.tensor([[3.0]], requires_grad=True)
    with pytest.raises(nl.GradcheckError,
                       match=r"input 1 \(shape \(1, 1\)\) at index \(0, 0\): autograd gives 3, "
                             r"finite differences give 6"):
        nl.gradcheck(lambda a, b: a.sum() + apply(WrongSquare, b).sum(), x, y)


def test_gradcheck_works_in_float64_and_leaves_inputs_alone():
    x = nl.tensor([0.5, 1.5], requires_grad=True)
    before = x.data.copy()
    nl.gradcheck(lambda t: t.sigmoid(), x)
    np.testing.assert_array_equal(x.data, before)
    assert x.grad is None


def test_gradcheck_checks_every_float_input_when_none_is_marked():
    with pytest.raises(nl.GradcheckError, match="input 0"):
        nl.gradcheck(lambda b: apply(WrongSquare, b), np.array([1.0, 2.0]))
