"""Property tests: for any broadcastable pair of shapes, each operand's gradient has the
operand's own shape and equals the upstream gradient summed over the broadcast copies."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import neuralab as nl

OPS = {
    "add": (lambda a, b: a + b, lambda g, a, b: (g, g)),
    "sub": (lambda a, b: a - b, lambda g, a, b: (g, -g)),
    "mul": (lambda a, b: a * b, lambda g, a, b: (g * b, g * a)),
}


def _sum_to(grad, shape):
    """Reference un-broadcast, written independently: sum by explicit loops over axes."""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


@settings(max_examples=60, deadline=None)
@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=4),
    op=st.sampled_from(sorted(OPS)),
    seed=st.integers(0, 2**16),
)
def test_broadcast_gradients_sum_back_to_each_operand_shape(shapes, op, seed):
    shape_a, shape_b = shapes.input_shapes
    rng = np.random.default_rng(seed)
    a_val, b_val = rng.normal(size=shape_a), rng.normal(size=shape_b)
    a = nl.tensor(a_val, dtype="float64", requires_grad=True)
    b = nl.tensor(b_val, dtype="float64", requires_grad=True)
    forward, local = OPS[op]
    out = forward(a, b)
    upstream = rng.normal(size=out.shape)
    out.backward(upstream)
    expected_a, expected_b = (
        _sum_to(g * np.ones(out.shape), s)
        for g, s in zip(local(upstream, a_val, b_val), (shape_a, shape_b), strict=True)
    )
    assert a.grad.shape == shape_a and b.grad.shape == shape_b
    np.testing.assert_allclose(a.grad, expected_a, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(b.grad, expected_b, rtol=1e-12, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=1, max_dims=3, max_side=3))
def test_broadcast_gradients_pass_gradcheck(shapes):
    shape_a, shape_b = shapes.input_shapes
    rng = np.random.default_rng(0)
    a = nl.tensor(rng.normal(size=shape_a), requires_grad=True)
    b = nl.tensor(rng.uniform(0.5, 2.0, size=shape_b), requires_grad=True)
    assert nl.gradcheck(lambda x, y: x * y + x / y - y, a, b)
