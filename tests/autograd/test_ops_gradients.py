"""Every differentiable op, gradient-checked in float64 against central differences,
including broadcasting and the edge values where derivatives are delicate."""

from __future__ import annotations

import numpy as np
import pytest

import neuralab as nl

from .helpers import check_op

BROADCAST_PAIRS = [
    ((3, 4), (3, 4)),
    ((3, 4), (4,)),
    ((3, 1), (1, 4)),
    ((2, 3, 4), (3, 1)),
    ((), (2, 3)),
    ((5,), ()),
]


@pytest.mark.parametrize(("shape_a", "shape_b"), BROADCAST_PAIRS)
@pytest.mark.parametrize(
    ("fn", "reference"),
    [
        (lambda a, b: a + b, np.add),
        (lambda a, b: a - b, np.subtract),
        (lambda a, b: a * b, np.multiply),
    ],
    ids=["add", "sub", "mul"],
)
def test_binary_ops_broadcast_gradients(fn, reference, shape_a, shape_b):
    check_op(fn, reference, shape_a, shape_b)


@pytest.mark.parametrize(("shape_a", "shape_b"), BROADCAST_PAIRS)
def test_division_gradient_away_from_zero(shape_a, shape_b):
    rng = np.random.default_rng(1)
    a = rng.uniform(-2, 2, shape_a)
    b = rng.uniform(0.5, 2, shape_b) * rng.choice([-1, 1], shape_b)
    check_op(lambda x, y: x / y, np.divide, inputs=[a, b])


def test_scalars_and_arrays_mix_in_on_both_sides():
    check_op(lambda a: 2 * a + 1 - a / 4 + np.ones(3) * a - 3 / (a + 5), None, (2, 3))


@pytest.mark.parametrize("exponent", [2, 3, 0.5, -1.5])
def test_power_with_constant_exponent(exponent):
    rng = np.random.default_rng(2)
    a = rng.uniform(0.5, 2.0, (3, 2))
    check_op(lambda x: x**exponent, lambda x: x**exponent, inputs=[a])


def test_constant_base_power():
    check_op(lambda x: 2.0**x, lambda x: 2.0**x, (4,))


def test_negation_exp_log_sqrt_abs():
    check_op(lambda a: -a, np.negative, (3, 2))
    check_op(lambda a: a.exp(), np.exp, (3, 2))
    check_op(lambda a: a.log(), np.log, (3, 2), low=0.1, high=3.0)
    check_op(lambda a: a.sqrt(), np.sqrt, (3, 2), low=1e-2, high=3.0)
    check_op(lambda a: a.abs(), np.abs, (3, 2))


def test_log_and_sqrt_near_zero():
    check_op(lambda a: a.log(), np.log, inputs=[np.array([1e-4, 1e-3, 0.01])])
    check_op(lambda a: a.sqrt(), np.sqrt, inputs=[np.array([1e-4, 1e-3, 0.01])])


def test_clip_passes_gradient_only_inside_the_range():
    x = nl.tensor([-2.0, -0.5, 0.5, 2.0], requires_grad=True)
    x.clip(-1, 1).sum().backward()
    np.testing.assert_array_equal(x.grad, [0, 1, 1, 0])
    check_op(lambda a: a.clip(-1, 1), lambda a: np.clip(a, -1, 1),
             inputs=[np.array([-2.0, -0.5, 0.3, 1.7])])
    check_op(lambda a: a.clip(min=0), lambda a: np.clip(a, 0, None),
             inputs=[np.array([-2.0, 0.5])])


@pytest.mark.parametrize(
    ("shape", "axis", "keepdims"),
    [((3, 4), None, False), ((3, 4), 0, False), ((3, 4), 1, True), ((2, 3, 4), (0, 2), False),
     ((2, 3, 4), -1, True), ((5,), 0, False)],
)
@pytest.mark.parametrize("name", ["sum", "mean", "max", "min"])
def test_reductions(name, shape, axis, keepdims):
    reference = getattr(np, name)
    check_op(lambda a: getattr(a, name)(axis=axis, keepdims=keepdims),
             lambda a: reference(a, axis=axis, keepdims=keepdims), shape)


def test_max_splits_gradient_between_ties():
    x = nl.tensor([1.0, 3.0, 3.0, 2.0], requires_grad=True)
    x.max().backward()
    np.testing.assert_array_equal(x.grad, [0, 0.5, 0.5, 0])


@pytest.mark.parametrize(
    ("shape_a", "shape_b"),
    [((3, 4), (4, 2)), ((2, 3, 4), (4, 5)), ((2, 3, 4), (2, 4, 5)), ((1, 3, 4), (2, 4, 2)),
     ((4,), (4, 3)), ((3, 4), (4,)), ((4,), (4,)), ((2, 3, 4), (4,))],
)
def test_matmul_2d_batched_and_vectors(shape_a, shape_b):
    check_op(lambda a, b: a @ b, np.matmul, shape_a, shape_b)


@pytest.mark.parametrize("x_shape", [(5, 3), (2, 5, 3), (3,)])
def test_fused_linear(x_shape):
    F = nl.functional
    check_op(F.linear, lambda x, w, b: x @ w + b, x_shape, (3, 4), (4,))
    check_op(F.linear, lambda x, w: x @ w, x_shape, (3, 4))


def test_reshape_and_transpose():
    check_op(lambda a: a.reshape(6, 2), lambda a: a.reshape(6, 2), (3, 4))
    check_op(lambda a: a.reshape((2, -1)), lambda a: a.reshape(2, -1), (3, 4))
    check_op(lambda a: a.T, lambda a: a.T, (3, 4))
    check_op(lambda a: a.transpose(1, 2, 0), lambda a: a.transpose(1, 2, 0), (2, 3, 4))


@pytest.mark.parametrize(
    "index",
    [1, slice(1, 3), (slice(None), 2), (Ellipsis, 0), [0, 2, 2], np.array([[1, 0], [1, 1]]),
     ([0, 1, 1], [2, 0, 0]), np.array([True, False, True])],
    ids=["int", "slice", "column", "ellipsis", "list-repeat", "int-array", "pairs", "bool-mask"],
)
def test_getitem(index):
    check_op(lambda a: a[index], lambda a: a[index], (3, 4))


def test_getitem_repeated_indices_accumulate():
    x = nl.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[[0, 0, 2, 0]].sum().backward()
    np.testing.assert_array_equal(x.grad, [3, 0, 1])


def test_concatenate_stack_where():
    check_op(lambda a, b: nl.concatenate([a, b], axis=1),
             lambda a, b: np.concatenate([a, b], axis=1), (2, 3), (2, 2))
    check_op(lambda a, b, c: nl.concatenate([a, b, c]),
             lambda a, b, c: np.concatenate([a, b, c]), (1, 3), (2, 3), (3, 3))
    check_op(lambda a, b: nl.stack([a, b], axis=-1),
             lambda a, b: np.stack([a, b], axis=-1), (2, 3), (2, 3))
    cond = np.array([[True, False, True], [False, False, True]])
    check_op(lambda a, b: nl.where(cond, a, b), lambda a, b: np.where(cond, a, b), (2, 3), (3,))
    check_op(lambda a: nl.where(cond, a, 0.0), lambda a: np.where(cond, a, 0.0), (2, 3))


def test_cast_between_float_dtypes_is_differentiable():
    x = nl.tensor([1.0, 2.0], requires_grad=True)
    y = x.astype("float64")
    assert y.dtype == np.float64
    (y * y).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_allclose(x.grad, [2.0, 4.0])


def test_gradient_of_a_value_used_twice_accumulates():
    x = nl.tensor(3.0, requires_grad=True)
    (x * x + x).backward()
    assert isinstance(x.grad, np.ndarray) and x.grad == pytest.approx(7.0)
