"""Activation functions: values, derivative formulas of the course, stability, the step error."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import neuralab as nl

from .helpers import check_op

F = nl.functional
EDGES = np.array([-300.0, -30.0, -1.0, -1e-3, 1e-3, 1.0, 30.0, 300.0])


def sigmoid_reference(z):
    return 1 / (1 + np.exp(-z))


@pytest.mark.parametrize(
    ("fn", "reference"),
    [
        (F.sigmoid, sigmoid_reference),
        (F.tanh, np.tanh),
        (F.relu, lambda z: np.maximum(z, 0)),
        (lambda z: F.leaky_relu(z, 0.1), lambda z: np.where(z > 0, z, 0.1 * z)),
        (F.identity, lambda z: z),
    ],
    ids=["sigmoid", "tanh", "relu", "leaky_relu", "identity"],
)
def test_activation_values_and_gradients(fn, reference):
    with np.errstate(over="ignore"):
        check_op(fn, reference, inputs=[EDGES])
    check_op(fn, reference, (4, 5))


@pytest.mark.parametrize("axis", [-1, 0])
def test_softmax_and_log_softmax(axis):
    def softmax_reference(z):
        e = np.exp(z - z.max(axis=axis, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True)

    check_op(lambda z: F.softmax(z, axis), softmax_reference, (3, 5))
    check_op(lambda z: F.log_softmax(z, axis), lambda z: np.log(softmax_reference(z)), (3, 5))


@pytest.mark.parametrize("z", [-5.0, -1.0, 0.0, 0.5, 2.0, 7.0])
def test_sigmoid_derivative_is_sigma_times_one_minus_sigma(z):
    """The course's result: σ'(z) = σ(z)(1 - σ(z))."""
    t = nl.tensor(z, dtype="float64", requires_grad=True)
    s = t.sigmoid()
    s.backward()
    sigma = 1 / (1 + np.exp(-z))
    assert t.grad == pytest.approx(sigma * (1 - sigma), rel=1e-12)
    assert t.grad == pytest.approx(np.exp(-z) / (1 + np.exp(-z)) ** 2, rel=1e-12)


def test_tanh_and_relu_derivatives_match_the_course():
    z = nl.tensor([-2.0, -0.5, 0.0, 0.5, 2.0], dtype="float64", requires_grad=True)
    z.tanh().sum().backward()
    np.testing.assert_allclose(z.grad, 1 - np.tanh(z.data) ** 2)
    z.grad = None
    z.relu().sum().backward()
    np.testing.assert_array_equal(z.grad, [0, 0, 0, 1, 1])  # 0 at the kink, as in the course


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("value", [-0.5, 0.0, 0.5, np.nan])
def test_activation_gradients_of_a_single_number(value, dtype):
    """A 0-d input (whose NumPy results are scalars, not arrays) gets the same derivative:
    tanh' = 1 - tanh², sigmoid' = σ(1 - σ), ReLU' = [z != 0 after max(z, 0)] times grad."""
    derivatives = {"tanh": lambda z: 1 - np.tanh(z) ** 2,
                   "sigmoid": lambda z: sigmoid_reference(z) * (1 - sigmoid_reference(z)),
                   "relu": lambda z: float(z > 0 or np.isnan(z))}  # NaN passes, as in PyTorch
    for name, derivative in derivatives.items():
        z = nl.tensor(value, dtype=dtype, requires_grad=True)
        getattr(z, name)().backward(nl.tensor(3.0, dtype=dtype))
        assert z.grad.shape == () and z.grad.dtype == dtype
        np.testing.assert_allclose(z.grad, 3 * derivative(np.float64(value)), rtol=1e-6)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sigmoid_saturates_exactly_without_warnings(dtype):
    z = nl.tensor([-1e4, -1000.0, 1000.0, 1e4], dtype=dtype, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = z.sigmoid()
        s.sum().backward()
    np.testing.assert_array_equal(s.data, [0.0, 0.0, 1.0, 1.0])
    assert np.all(np.isfinite(z.grad))


def test_sigmoid_keeps_precision_for_large_negative_inputs():
    s = F.sigmoid(nl.tensor(-30.0, dtype="float64")).item()
    assert s == pytest.approx(9.357622968839299e-14, rel=1e-12)


def test_softmax_family_is_stable_at_extremes():
    z = nl.tensor([[-1000.0, 0.0, 1000.0], [1e4, 1e4, -1e4]], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = F.softmax(z)
        lp = F.log_softmax(z)
        (p.sum() + lp.sum()).backward()
    np.testing.assert_allclose(p.data, [[0, 0, 1], [0.5, 0.5, 0]], atol=1e-7)
    assert np.all(np.isfinite(lp.data)) and np.all(np.isfinite(z.grad))


def test_step_forward_is_the_perceptron_threshold():
    np.testing.assert_array_equal(F.step([-1.0, 0.0, 0.1, 5.0]).data, [0, 0, 1, 1])


def test_step_backward_explains_why_it_cannot_learn():
    z = nl.tensor([0.5, -0.5], requires_grad=True)
    y = z.step().sum()
    with pytest.raises(nl.NonDifferentiableError, match=r"step function.*zero almost "
                       r"everywhere and undefined at 0.*sigmoid.*perceptron"):
        y.backward()


def test_unknown_activation_name_lists_the_choices():
    with pytest.raises(ValueError, match=r"Unknown activation 'swish'.*relu.*sigmoid"):
        F.get_activation("swish")
    assert F.get_activation("Leaky-ReLU") is F.leaky_relu


@pytest.mark.parametrize(("shape", "axis"), [((40, 6), -1), ((6, 40), 0), ((4, 20, 3), -1),
                                             ((), -1)])
def test_softmax_family_on_many_rows_of_few_classes_matches_the_row_by_row_layout(
        shape, axis, monkeypatch):
    """With few classes and many rows the softmax is computed on the transposed values: the
    same outputs (C-order arrays) and gradients as row by row; a single number is its own row."""
    from neuralab.autograd.ops import activation

    z = np.random.default_rng(5).normal(0, 3, shape)
    upstream = np.random.default_rng(6).normal(size=shape)

    def run(name):
        zt = nl.tensor(z, dtype="float64", requires_grad=True)
        out = getattr(F, name)(zt, axis)
        out.backward(upstream)
        return out.data, zt.grad

    for name in ("softmax", "log_softmax"):
        transposed = run(name)
        with monkeypatch.context() as patch:
            patch.setattr(activation, "FEW_CLASSES", 0)  # every batch row by row
            by_rows = run(name)
        for got, expected in zip(transposed, by_rows, strict=True):
            assert got.shape == shape and got.flags.c_contiguous
            np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)
        if shape:
            probabilities = np.exp(transposed[0]) if name == "log_softmax" else transposed[0]
            np.testing.assert_allclose(probabilities.sum(axis=axis), 1.0, rtol=1e-12)
    assert nl.gradcheck(lambda t: F.log_softmax(t, axis).tanh().sum(),
                        nl.tensor(z, dtype="float64", requires_grad=True))
