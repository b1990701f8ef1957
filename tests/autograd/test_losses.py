"""The fused losses: values, gradients (ŷ - y), stability at ±1000, reductions, target checks."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import neuralab as nl

from .helpers import check_op

F = nl.functional


def bce_reference(p, y):
    return np.mean(-y * np.log(p) - (1 - y) * np.log(1 - p))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_binary_cross_entropy_matches_formula_and_gradchecks(reduction):
    rng = np.random.default_rng(0)
    p = rng.uniform(0.05, 0.95, (6, 1))
    y = rng.integers(0, 2, (6, 1)).astype(float)
    values = -y * np.log(p) - (1 - y) * np.log(1 - p)
    expected = {"mean": values.mean(), "sum": values.sum(), "none": values}[reduction]
    check_op(lambda q: F.binary_cross_entropy(q, y, reduction=reduction),
             lambda q: expected, inputs=[p])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_bce_with_logits_gradient_is_sigmoid_minus_target(reduction):
    rng = np.random.default_rng(1)
    z = rng.normal(0, 3, (5, 2))
    y = rng.uniform(0, 1, (5, 2))
    check_op(lambda t: F.binary_cross_entropy_with_logits(t, y, reduction=reduction), None,
             inputs=[z])
    zt = nl.tensor(z, dtype="float64", requires_grad=True)
    F.binary_cross_entropy_with_logits(zt, y, reduction="sum").backward()
    np.testing.assert_allclose(zt.grad, 1 / (1 + np.exp(-z)) - y, rtol=1e-12)


def test_bce_on_sigmoid_equals_bce_with_logits():
    z = np.array([[-3.0], [0.2], [4.0]])
    y = np.array([[0.0], [1.0], [1.0]])
    a = F.binary_cross_entropy(F.sigmoid(nl.tensor(z, dtype="float64")), y).item()
    b = F.binary_cross_entropy_with_logits(nl.tensor(z, dtype="float64"), y).item()
    assert a == pytest.approx(b, rel=1e-12)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_with_labels_and_probabilities(reduction):
    rng = np.random.default_rng(2)
    z = rng.normal(0, 2, (4, 3))
    labels = np.array([0, 2, 1, 2])
    check_op(lambda t: F.cross_entropy(t, labels, reduction=reduction), None, inputs=[z])
    soft = rng.dirichlet(np.ones(3), size=4)
    check_op(lambda t: F.cross_entropy(t, soft, reduction=reduction), None, inputs=[z])
    zt = nl.tensor(z, dtype="float64", requires_grad=True)
    F.cross_entropy(zt, labels, reduction="sum").backward()
    probs = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(zt.grad, probs - np.eye(3)[labels], rtol=1e-10)


def test_cross_entropy_value():
    z = np.array([[1.0, 2.0, 3.0]])
    expected = -np.log(np.exp(3.0) / np.exp(z).sum())
    assert F.cross_entropy(nl.tensor(z, dtype="float64"), [2]).item() == pytest.approx(expected)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_mse(reduction):
    check_op(lambda p: F.mse_loss(p, np.ones((3, 2)), reduction=reduction), None, (3, 2))
    assert F.mse_loss(nl.tensor([1.0, 3.0]), [0.0, 0.0]).item() == pytest.approx(5.0)


@pytest.mark.parametrize("z", [-1000.0, 1000.0])
def test_fused_losses_stay_finite_at_extreme_logits(z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for target in (0.0, 1.0):
            logit = nl.tensor([[z]], requires_grad=True)
            loss = F.binary_cross_entropy_with_logits(logit, [[target]])
            loss.backward()
            assert np.isfinite(loss.item()) and np.all(np.isfinite(logit.grad))
            logit = nl.tensor([[z]], requires_grad=True)
            loss = F.binary_cross_entropy(logit.sigmoid(), [[target]])
            loss.backward()
            assert np.isfinite(loss.item()) and np.all(np.isfinite(logit.grad))
        logits = nl.tensor([[z, 0.0, -z]], requires_grad=True)
        loss = F.cross_entropy(logits, [1])
        loss.backward()
        assert np.isfinite(loss.item()) and np.all(np.isfinite(logits.grad))


def test_bce_clamps_log_of_zero():
    loss = F.binary_cross_entropy(nl.tensor([[0.0]]), [[1.0]])
    assert loss.item() == pytest.approx(100.0)


def test_bce_rejects_targets_outside_zero_one():
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 1\].*from -1 to 1"):
        F.binary_cross_entropy(nl.tensor([[0.5], [0.5]]), [[-1.0], [1.0]])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        F.binary_cross_entropy_with_logits(nl.tensor([0.5]), [2.0])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("bad", [-1e-30, 1.0000001, np.inf, -np.inf, np.nan, -2.0])
def test_binary_target_check_catches_every_value_outside_zero_one(dtype, bad):
    """The one-reduction bit-pattern test must not let any out-of-range value through."""
    if dtype == "float32" and bad == 1.0000001:
        bad = float(np.nextafter(np.float32(1), np.float32(2)))
    y = np.array([[0.0], [bad], [1.0]], dtype=dtype)
    with pytest.raises(ValueError, match=r"\[0, 1\]|NaN"):
        F.binary_cross_entropy_with_logits(nl.tensor(np.zeros((3, 1)), dtype=dtype), y)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_binary_target_check_accepts_the_whole_closed_interval(dtype):
    y = np.array([[0.0], [-0.0], [5e-324 if dtype == "float64" else 1e-45], [0.5], [1.0]],
                 dtype=dtype)
    loss = F.binary_cross_entropy_with_logits(nl.tensor(np.zeros((5, 1)), dtype=dtype), y)
    assert loss.item() == pytest.approx(np.log(2))


def test_mse_target_check_accepts_large_finite_targets_whose_sum_overflows():
    y = np.full((3, 1), 3e38, np.float32)
    assert np.isfinite(F.mse_loss(nl.tensor(y), y).item())
    with pytest.raises(ValueError, match="NaN or infinity"):
        F.mse_loss(nl.tensor(y), np.array([[1.0], [np.inf], [0.0]], np.float32))


def test_loss_shape_mismatch_names_both_shapes_and_the_fix():
    with pytest.raises(nl.ShapeError, match=r"shape \(4, 1\).*shape \(4,\).*reshape\(-1, 1\)"):
        F.binary_cross_entropy(nl.tensor(np.full((4, 1), 0.5)), np.ones(4))


def test_cross_entropy_rejects_bad_labels():
    z = nl.tensor(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"0\.\.2 for 3 logits.*from 0 to 3"):
        F.cross_entropy(z, [0, 3])
    with pytest.raises(ValueError, match="whole numbers"):
        F.cross_entropy(z, [0.5, 1.0])
    with pytest.raises(nl.ShapeError, match=r"labels of shape \(2,\)"):
        F.cross_entropy(z, [0, 1, 2])


def test_nan_targets_are_rejected():
    with pytest.raises(ValueError, match="NaN"):
        F.mse_loss(nl.tensor([1.0]), [np.nan])


def test_unknown_reduction():
    with pytest.raises(ValueError, match=r"reduction must be one of"):
        F.mse_loss(nl.tensor([1.0]), [1.0], reduction="average")


def test_cross_entropy_over_the_last_axis_of_a_3d_batch():
    rng = np.random.default_rng(3)
    z = rng.normal(size=(2, 3, 4))
    labels = rng.integers(0, 4, (2, 3))
    check_op(lambda t: F.cross_entropy(t, labels, reduction="sum"), None, inputs=[z])
    log_probs = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    expected = -np.take_along_axis(log_probs, labels[..., None], axis=-1).mean()
    assert F.cross_entropy(nl.tensor(z, dtype="float64"), labels).item() == pytest.approx(expected)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_poisson_nll_is_rate_minus_count_times_log_rate_and_gradchecks(reduction):
    rng = np.random.default_rng(3)
    z = rng.normal(0, 1, (5, 2))
    counts = rng.poisson(2.0, (5, 2)).astype(float)
    values = np.exp(z) - counts * z
    expected = {"mean": values.mean(), "sum": values.sum(), "none": values}[reduction]
    check_op(lambda t: F.poisson_nll_loss(t, counts, reduction=reduction),
             lambda t: expected, inputs=[z])
    zt = nl.tensor(z, dtype="float64", requires_grad=True)
    F.poisson_nll_loss(zt, counts, reduction="sum").backward()
    np.testing.assert_allclose(zt.grad, np.exp(z) - counts, rtol=1e-12)


def test_poisson_nll_refuses_negative_counts_and_overflows_to_inf_quietly():
    with pytest.raises(ValueError, match="poisson_nll_loss: targets are counts or rates >= 0"):
        F.poisson_nll_loss(nl.tensor([0.0, 1.0]), [1.0, -2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert F.poisson_nll_loss(nl.tensor([1000.0]), [1.0]).item() == np.inf
    assert isinstance(nl.nn.loss_module("poisson_nll"), nl.nn.PoissonNLLLoss)


@pytest.mark.parametrize("shape", [(40, 3), (5, 8, 4)])
def test_cross_entropy_on_many_rows_of_few_classes_matches_the_row_by_row_layout(
        shape, monkeypatch):
    """With few classes and many rows the softmax is computed on the transposed logits: the
    same losses and gradients as row by row, for labels (smoothed or not) and target rows."""
    from neuralab.autograd.ops import activation

    rng = np.random.default_rng(4)
    z = rng.normal(0, 3, shape)
    z[0, ..., 0] = 1000.0  # one row far from the others: its own shift keeps it finite
    labels = rng.integers(0, shape[-1], shape[:-1])
    rows = rng.dirichlet(np.ones(shape[-1]), size=shape[:-1]) * 1.5
    cases = [(labels, 0.0), (labels, 0.2), (rows, 0.0), (rows, 0.1)]

    def run(target, smoothing, reduction):
        zt = nl.tensor(z, dtype="float64", requires_grad=True)
        loss = F.cross_entropy(zt, target, reduction=reduction, label_smoothing=smoothing)
        loss.sum().backward()
        return loss.data, zt.grad

    for target, smoothing in cases:
        for reduction in ("mean", "none"):
            transposed = run(target, smoothing, reduction)
            with monkeypatch.context() as patch:
                patch.setattr(activation, "FEW_CLASSES", 0)  # every batch row by row
                by_rows = run(target, smoothing, reduction)
            for got, expected in zip(transposed, by_rows, strict=True):
                np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)
            assert transposed[1].flags.c_contiguous
    check_op(lambda t: F.cross_entropy(t, labels, label_smoothing=0.1), None,
             inputs=[z / 100])
