"""Regression guard for the speed work: every fused primitive gives the same values and the same
gradients as the same math composed from the engine's elementary ops."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

import neuralab as nl
from neuralab import nn

F = nl.functional


def _values_and_grads(fn, arrays):
    tensors = [nl.tensor(a, dtype="float64", requires_grad=True) for a in arrays]
    out = fn(*tensors)
    upstream = np.random.default_rng(7).normal(size=out.shape)
    out.backward(upstream)
    return out.data, [t.grad for t in tensors]


def assert_same(fused, composed, *arrays):
    value_a, grads_a = _values_and_grads(fused, arrays)
    value_b, grads_b = _values_and_grads(composed, arrays)
    np.testing.assert_allclose(value_a, value_b, rtol=1e-10, atol=1e-12)
    for grad_a, grad_b in zip(grads_a, grads_b, strict=True):
        np.testing.assert_allclose(grad_a, grad_b, rtol=1e-9, atol=1e-12)


RNG = np.random.default_rng(0)
Z = RNG.normal(0, 3, (6, 4))
LABELS = np.array([0, 3, 1, 2, 3, 0])
BINARY = RNG.integers(0, 2, (6, 4)).astype(float)


# (rows, inputs, outputs): few rows and a tiny weight, then enough rows for the bias gradient
# as a matrix-vector product and a weight copied transposed for dL/dX (see Linear), batched
LINEAR_SHAPES = [((5,), 3, 4), ((40,), 8, 10), ((2, 20), 8, 10), ((3,), 80, 50)]


@pytest.mark.parametrize(("rows", "inputs", "outputs"), LINEAR_SHAPES)
def test_fused_linear_equals_matmul_plus_bias(rows, inputs, outputs):
    arrays = (RNG.normal(size=(*rows, inputs)), RNG.normal(size=(inputs, outputs)),
              RNG.normal(size=outputs))
    assert_same(F.linear, lambda x, w, b: x @ w + b, *arrays)
    tensors = [nl.tensor(a, dtype="float64", requires_grad=True) for a in arrays]
    assert nl.gradcheck(lambda x, w, b: F.linear(x, w, b).tanh().sum(), *tensors)


@pytest.mark.parametrize(("rows", "inputs", "outputs"), [*LINEAR_SHAPES, ((2, 5), 3, 4)])
def test_fused_linear_backward_writes_its_parameter_gradients_into_out(rows, inputs, outputs):
    """``out=`` (the replay's path into the parameter pack) gives the same gradients."""
    from neuralab.autograd.ops.linalg import Linear

    x, weight = RNG.normal(size=(*rows, inputs)), RNG.normal(size=(inputs, outputs))
    _, saved = Linear.forward(x, weight, RNG.normal(size=outputs))
    grad = RNG.normal(size=(*rows, outputs))
    expected = Linear.backward(saved, grad, (True, True, True))
    out = (None, np.empty((inputs, outputs)), np.empty(outputs))
    written = Linear.backward(saved, grad, (True, True, True), out)
    assert written[1] is out[1] and written[2] is out[2]
    for mine, reference in zip(written, expected, strict=True):
        np.testing.assert_array_equal(mine, reference)


def test_sigmoid_equals_its_definition():
    assert_same(F.sigmoid, lambda z: 1 / (1 + (-z).exp()), Z)


def test_tanh_equals_its_definition():
    assert_same(F.tanh, lambda z: (z.exp() - (-z).exp()) / (z.exp() + (-z).exp()), Z)


def test_relu_and_leaky_relu_equal_where():
    assert_same(F.relu, lambda z: nl.where(z.data > 0, z, 0.0), Z)
    assert_same(lambda z: F.leaky_relu(z, 0.1), lambda z: nl.where(z.data > 0, z, z * 0.1), Z)


def test_softmax_and_log_softmax_equal_their_definitions():
    def softmax(z):
        e = (z - z.data.max(axis=-1, keepdims=True)).exp()
        return e / e.sum(axis=-1, keepdims=True)

    assert_same(F.softmax, softmax, Z)
    assert_same(F.log_softmax, lambda z: softmax(z).log(), Z)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_bce_with_logits_equals_bce_on_the_sigmoid(reduction):
    def composed(z):
        p = 1 / (1 + (-z).exp())
        losses = -(BINARY * p.log() + (1 - BINARY) * (1 - p).log())
        return losses.mean() if reduction == "mean" else losses.sum()

    assert_same(lambda z: F.binary_cross_entropy_with_logits(z, BINARY, reduction=reduction),
                composed, Z / 3)
    assert_same(lambda z: F.binary_cross_entropy(F.sigmoid(z), BINARY, reduction=reduction),
                composed, Z / 3)


def test_cross_entropy_equals_log_softmax_picked_by_label():
    assert_same(lambda z: F.cross_entropy(z, LABELS),
                lambda z: -F.log_softmax(z)[np.arange(6), LABELS].mean(), Z)
    onehot = np.eye(4)[LABELS]
    assert_same(lambda z: F.cross_entropy(z, onehot, reduction="sum"),
                lambda z: -(F.log_softmax(z) * onehot).sum(), Z)


def test_mse_equals_mean_of_squares():
    target = RNG.normal(size=(6, 4))
    assert_same(lambda p: F.mse_loss(p, target), lambda p: ((p - target) ** 2).mean(), Z)


def test_fused_batch_norm_equals_its_formula():
    def composed(x, gamma, beta):
        mean = x.mean(axis=0, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=0, keepdims=True)
        return (x - mean) / (var + 1e-5).sqrt() * gamma + beta

    with nl.config(dtype="float64"):
        layer = nn.BatchNorm1d(4)
    x, gamma, beta = RNG.normal(size=(8, 4)), RNG.uniform(0.5, 2, 4), RNG.normal(size=4)
    value_b, grads_b = _values_and_grads(composed, [x, gamma, beta])
    tensors = [nl.tensor(a, dtype="float64", requires_grad=True) for a in (x, gamma, beta)]
    layer.weight, layer.bias = nn.Parameter(tensors[1].data), nn.Parameter(tensors[2].data)
    out = layer(tensors[0])
    out.backward(np.random.default_rng(7).normal(size=out.shape))
    np.testing.assert_allclose(out.data, value_b, rtol=1e-10, atol=1e-12)
    for grad, expected in zip([tensors[0].grad, layer.weight.grad, layer.bias.grad], grads_b,
                              strict=True):
        np.testing.assert_allclose(grad, expected, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("container", [sp.csr_matrix, sp.csr_array, sp.csc_matrix])
def test_fused_linear_on_sparse_rows_equals_the_dense_product_and_gradients(container):
    """A sparse x (a first layer on sparse features): the same z and dL/dW, dL/db, with x kept
    sparse (CSR rows of the default dtype) and never densified."""
    x = RNG.normal(size=(6, 5)) * (RNG.random((6, 5)) < 0.3)
    w0, b0 = RNG.normal(size=(5, 3)), RNG.normal(size=3)
    grads = []
    for rows in (x, container(x)):
        with nl.config(dtype="float64"):
            weight = nl.tensor(w0, requires_grad=True)
            bias = nl.tensor(b0, requires_grad=True)
            z = F.linear(rows, weight, bias)
            (z.tanh() * z).sum().backward()
        grads.append((z.data, weight.grad, bias.grad))
    for sparse_value, dense_value in zip(grads[1], grads[0], strict=True):
        np.testing.assert_allclose(sparse_value, dense_value, rtol=1e-12, atol=1e-14)
    held = nl.Tensor(container(x))
    assert sp.issparse(held.data) and held.data.format == "csr" and held.dtype == np.float32


def test_fused_linear_on_sparse_rows_passes_gradcheck_and_writes_into_out():
    from neuralab.autograd.ops.linalg import Linear

    rows = sp.csr_matrix(RNG.normal(size=(4, 6)) * (RNG.random((4, 6)) < 0.4))
    weight = nl.tensor(RNG.normal(size=(6, 2)), dtype="float64", requires_grad=True)
    bias = nl.tensor(RNG.normal(size=2), dtype="float64", requires_grad=True)
    assert nl.gradcheck(lambda w, b: F.linear(rows, w, b).sigmoid().sum(), weight, bias)
    _, saved = Linear.forward(rows, weight.data, bias.data)
    grad = RNG.normal(size=(4, 2))
    out = (None, np.empty((6, 2)), np.empty(2))
    written = Linear.backward(saved, grad, (False, True, True), out)
    assert written[1] is out[1]
    np.testing.assert_allclose(out[1], rows.toarray().T @ grad, rtol=1e-12)
