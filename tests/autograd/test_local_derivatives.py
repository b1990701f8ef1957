"""Every op's local derivatives (``op.local``, read by nl.explain) equal the Jacobian that its
backward computes, element by element, in float64; their formulas name only known elements."""

from __future__ import annotations

import string

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn
from neuralab.autograd.derivative import Site

F = nl.functional
RNG = np.random.default_rng(0)


def _leaves(*shapes, low=-2.0, high=2.0):
    return [nl.tensor(RNG.uniform(low, high, s), dtype="float64", requires_grad=True)
            for s in shapes]


def _jacobians(out):
    """(from local, from backward): d out / d parent, one (out.size, parent.size) per parent."""
    op, saved, parents = out._op, out._saved, out._parents
    shapes = tuple(p.shape for p in parents)
    by_local, by_backward = [], []
    for position, parent in enumerate(parents):
        local = np.zeros((out.size, parent.size))
        for k, index in enumerate(np.ndindex(parent.shape)):
            site = Site(saved, out._params, position, index, shapes, out.shape)
            for entry in op.local(site):
                fields = {f for _, f, _, _ in string.Formatter().parse(entry.formula) if f}
                assert fields == set(entry.refs), (op.name, entry)
                entry.formula.format_map(dict.fromkeys(entry.refs, "s"))
                local[np.ravel_multi_index(entry.out_index, out.shape) if out.shape else 0,
                      k] += entry.value
        by_local.append(local)
        backward = np.zeros((out.size, parent.size))
        for o, index in enumerate(np.ndindex(out.shape)):
            seed = np.zeros(out.shape)
            seed[index] = 1.0
            grads = op.backward(saved, seed, out._needs)
            if grads[position] is not None:
                backward[o] = np.asarray(grads[position], dtype=np.float64).reshape(-1)
        by_backward.append(backward)
    return by_local, by_backward


def _positive(*shapes):
    return _leaves(*shapes, low=0.5, high=2.0)


CONDITION = np.array([[True, False, True], [False, False, True]])
CASES = {
    "add broadcast": (lambda a, b: a + b, _leaves((3, 1), (1, 4))),
    "sub broadcast": (lambda a, b: a - b, _leaves((2, 3), (3,))),
    "mul broadcast": (lambda a, b: a * b, _leaves((2, 3), (3,))),
    "mul by itself": (lambda a: a * a, _leaves((3,))),
    "div": (lambda a, b: a / b, _leaves((2, 3)) + _positive((2, 1))),
    "square": (lambda a: a ** 2, _leaves((4,))),
    "cube": (lambda a: a ** 3, _leaves((4,))),
    "root": (lambda a: a ** 0.5, _positive((4,))),
    "pow zero": (lambda a: a ** 0, _leaves((4,))),
    "tensor power": (lambda a, b: a ** b, _positive((2, 1)) + _leaves((3,))),
    "power at a zero base": (lambda a, b: a ** b, [
        nl.tensor(values, dtype="float64", requires_grad=True)
        for values in ([0.0, 0.0, 2.0], [0.0, 2.0, -1.5])]),
    "neg": (lambda a: -a, _leaves((2, 2))),
    "exp": (lambda a: a.exp(), _leaves((3,))),
    "log": (lambda a: a.log(), _positive((3,))),
    "sqrt": (lambda a: a.sqrt(), _positive((3,))),
    "abs": (lambda a: a.abs(), _leaves((5,))),
    "clip": (lambda a: a.clip(-0.5, 0.7), _leaves((6,))),
    "clip below": (lambda a: a.clip(min=0.0), _leaves((6,))),
    "where": (lambda a, b: nl.where(CONDITION, a, b), _leaves((2, 3), (3,))),
    "cast": (lambda a: a.astype("float32"), _leaves((3,))),
    "sigmoid": (lambda a: a.sigmoid(), _leaves((2, 3), low=-30, high=30)),
    "tanh": (lambda a: a.tanh(), _leaves((2, 3))),
    "relu": (lambda a: a.relu(), _leaves((2, 3))),
    "leaky_relu": (lambda a: a.leaky_relu(0.1), _leaves((2, 3))),
    "identity": (lambda a: a.identity(), _leaves((2, 3))),
    "softmax rows": (lambda a: a.softmax(), _leaves((2, 3))),
    "softmax columns": (lambda a: a.softmax(axis=0), _leaves((3, 2))),
    "log_softmax": (lambda a: a.log_softmax(), _leaves((2, 4))),
    "matmul": (lambda a, b: a @ b, _leaves((2, 3), (3, 4))),
    "vector @ matrix": (lambda a, b: a @ b, _leaves((3,), (3, 4))),
    "matrix @ vector": (lambda a, b: a @ b, _leaves((2, 3), (3,))),
    "dot": (lambda a, b: a @ b, _leaves((3,), (3,))),
    "dot with itself": (lambda a: a @ a, _leaves((3,))),
    "linear": (lambda x, w, b: F.linear(x, w, b), _leaves((2, 3), (3, 4), (4,))),
    "linear of one row": (lambda x, w, b: F.linear(x, w, b), _leaves((3,), (3, 2), (2,))),
    "sum": (lambda a: a.sum(), _leaves((2, 3))),
    "sum over axis 0": (lambda a: a.sum(axis=0), _leaves((2, 3))),
    "mean keepdims": (lambda a: a.mean(axis=1, keepdims=True), _leaves((2, 3))),
    "max": (lambda a: a.max(axis=1), _leaves((2, 3))),
    "min with ties": (lambda a: a.min(), [nl.tensor([[1.0, 0.5], [0.5, 2.0]], dtype="float64",
                                                    requires_grad=True)]),
    "reshape": (lambda a: a.reshape(3, 2), _leaves((2, 3))),
    "transpose": (lambda a: a.transpose(1, 0, 2), _leaves((2, 3, 2))),
    "getitem slice": (lambda a: a[1:, ::2], _leaves((3, 4))),
    "getitem repeats": (lambda a: a[[0, 2, 0]], _leaves((3, 2))),
    "concatenate": (lambda a, b: nl.concatenate([a, b], axis=1), _leaves((2, 3), (2, 2))),
    "stack": (lambda a, b: nl.stack([a, b], axis=-1), _leaves((2, 3), (2, 3))),
    "bce": (lambda p: F.binary_cross_entropy(p, np.array([[1.0], [0.0], [1.0]])),
            _leaves((3, 1), low=0.1, high=0.9)),
    "bce sum": (lambda p: F.binary_cross_entropy(p, np.array([1.0, 0.0]), reduction="sum"),
                _leaves((2,), low=0.1, high=0.9)),
    "bce with logits": (lambda z: F.binary_cross_entropy_with_logits(
        z, np.array([1.0, 0.0, 1.0])), _leaves((3,))),
    "bce none": (lambda z: F.binary_cross_entropy_with_logits(
        z, np.array([1.0, 0.0]), reduction="none"), _leaves((2,))),
    "cross_entropy labels": (lambda z: F.cross_entropy(z, np.array([2, 0])), _leaves((2, 3))),
    "cross_entropy none": (lambda z: F.cross_entropy(z, np.array([1, 0]), reduction="none"),
                           _leaves((2, 3))),
    "cross_entropy probabilities": (lambda z: F.cross_entropy(
        z, np.array([[0.2, 0.8, 0.0], [0.5, 0.25, 0.25]])), _leaves((2, 3))),
    "cross_entropy smoothed": (lambda z: F.cross_entropy(z, np.array([2, 0]),
                                                         label_smoothing=0.3), _leaves((2, 3))),
    "cross_entropy rows not summing to 1": (lambda z: F.cross_entropy(
        z, np.array([[0.5, 0.5, 0.5], [0.0, 2.0, 0.1]]), label_smoothing=0.1), _leaves((2, 3))),
    "bce with logits pos_weight": (lambda z: F.binary_cross_entropy_with_logits(
        z, np.array([[1.0, 0.0], [0.0, 1.0]]), pos_weight=np.array([2.0, 0.5])),
        _leaves((2, 2))),
    "mse": (lambda p: F.mse_loss(p, np.array([[0.3, -1.2, 2.0]])), _leaves((1, 3))),
    "poisson": (lambda z: F.poisson_nll_loss(z, np.array([0.0, 2.0, 5.0])), _leaves((3,))),
}


@pytest.mark.parametrize("case", list(CASES))
def test_local_derivatives_equal_the_backward_jacobian(case):
    fn, inputs = CASES[case]
    by_local, by_backward = _jacobians(fn(*inputs))
    for local, backward in zip(by_local, by_backward, strict=True):
        np.testing.assert_allclose(local, backward, rtol=1e-12, atol=1e-12)


def test_batch_norm_in_evaluation_mode_is_element_wise_and_refused_in_training():
    with nl.config(dtype="float64"):
        bn = nn.BatchNorm1d(3)
    bn.running_mean[...] = [0.5, -1.0, 2.0]
    bn.running_var[...] = [1.5, 0.25, 4.0]
    bn.weight.data[...] = [2.0, -1.0, 0.5]
    x = _leaves((4, 3))[0]
    with bn.evaluating():
        by_local, by_backward = _jacobians(bn(x))
    for local, backward in zip(by_local, by_backward, strict=True):
        np.testing.assert_allclose(local, backward, rtol=1e-12, atol=1e-12)
    out = bn(x)
    site = Site(out._saved, out._params, 0, (0, 0), ((4, 3), (3,), (3,)), out.shape)
    with pytest.raises(ValueError, match="evaluation mode"):
        out._op.local(site)


def test_formulas_are_the_courses():
    z = nl.tensor([0.5], dtype="float64", requires_grad=True)
    out = z.sigmoid()
    site = Site(out._saved, out._params, 0, (0,), ((1,),), (1,))
    (entry,) = out._op.local(site)
    assert entry.formula == "{out}(1-{out})" and entry.refs == {"out": ("out", (0,))}
    s = 1 / (1 + np.exp(-0.5))
    assert entry.value == pytest.approx(s * (1 - s), rel=1e-15)
