"""Fused, numerically stable losses.

Each loss is one op whose backward is the simplified derivative the course derives by hand, so no
intermediate ratio like (y - ŷ) / (ŷ(1 - ŷ)) is ever formed where it could blow up:

* binary cross-entropy with logits:  dL/dz = σ(z) - y
* softmax cross-entropy:             dL/dz = softmax(z) - onehot(y)  (rows t: softmax(z) Σt - t)
* Poisson with a log link:           dL/dz = e^z - y

``reduction`` is "mean" (divide by the number of loss terms), "sum", or "none" (one loss per
element or per row, whose backward takes a gradient of that shape). The targets are a parameter
of the op, not an input of the graph: they never need a gradient.
"""

from __future__ import annotations

import math

import numpy as np

from ..derivative import Local
from ..function import Op, quiet
from .activation import _softmax_parts, stable_sigmoid

#: BCE on probabilities clamps each log at -100 (as PyTorch does): log(0) would be -inf.
LOG_FLOOR = -100.0
#: e^-100, the probability whose log is the floor (a Python float, so float32 stays float32)
TINY_PROB = math.exp(LOG_FLOOR)
#: smallest ŷ(1 - ŷ) used when dividing in BCE's backward
PROB_EPS = 1e-12


def _floored_log(q: np.ndarray) -> np.ndarray:
    """max(ln q, -100) without ever evaluating ln 0 (which would warn and give -inf); NaN
    stays NaN (the log is taken wherever q <= e^-100 is false, and ln NaN is quiet)."""
    out = np.full(q.shape, LOG_FLOOR, dtype=q.dtype)
    return np.log(q, out=out, where=~(q <= TINY_PROB))


def _reduce(losses: np.ndarray, reduction: str, count: int):
    """Apply the reduction to per-element losses; also return the scale backward must apply.

    A reduced loss comes back as a NumPy scalar of the losses' dtype (``apply`` makes it a 0-d
    array).
    """
    if reduction == "none":
        return losses, None
    total = np.add.reduce(losses, axis=None)  # losses.sum() without its Python wrapper
    if reduction == "sum":
        return total, 1.0
    return total / count, 1.0 / count


def _scaled(grad, scale, local):
    """dL/dinput = upstream gradient × local derivative, for a reduced or unreduced loss.

    ``local`` is a fresh array owned by the op, so it is scaled in place -- unless the loss
    had one element and NumPy's arithmetic on 0-d arrays made it a scalar.
    """
    if type(local) is not np.ndarray:
        local = np.array(local)
    if scale is None:  # reduction="none": grad has the loss's own shape
        return local * grad.reshape(grad.shape + (1,) * (local.ndim - grad.ndim))
    # a Python float factor: one ufunc call, and float32 stays float32
    return np.multiply(local, float(grad) * scale, out=local)


def _term(site, value, formula: str, scale, row: bool = False) -> list[Local]:
    """The one local of a loss term: dL/d(prediction) at ``site.index``, whose formula names
    the prediction {p} and its target {y}; a mean divides it by the number of terms.
    ``row``: the loss has one term per row (cross-entropy), not one per element."""
    index = site.index
    refs = {key: ref for key, ref in (("p", (0, index)), ("y", ("target", index)))
            if "{" + key + "}" in formula}
    if scale is None:  # reduction="none": one output per term
        return [Local(index[:-1] if row else index, float(value), formula, refs)]
    count = round(1 / scale)
    text = formula if count == 1 else f"({formula}) / {count}"
    return [Local((), float(value) * scale, text, refs)]


class BinaryCrossEntropy(Op):
    """L = -[y ln ŷ + (1 - y) ln(1 - ŷ)] on probabilities ŷ;  dL/dŷ = (ŷ - y) / (ŷ(1 - ŷ)).

    Each log is clamped at -100, so ŷ = 0 or 1 gives a large finite loss instead of inf.
    """

    name = "binary_cross_entropy"

    @staticmethod
    def forward(p, *, y, reduction):
        log_p, log_1mp = _floored_log(p), _floored_log(1 - p)
        losses = -(y * log_p + (1 - y) * log_1mp)
        out, scale = _reduce(losses, reduction, losses.size)
        return out, (p, y, scale)

    @staticmethod
    def backward(saved, grad, needs):
        p, y, scale = saved
        local = (p - y) / np.maximum(p * (1 - p), PROB_EPS)
        return (_scaled(grad, scale, local),)

    @staticmethod
    def local(site):
        p, y, scale = site.saved
        i = site.index
        value = (p[i] - y[i]) / max(p[i] * (1 - p[i]), PROB_EPS)
        return _term(site, value, "-({y}-{p})/({p}(1-{p}))", scale)


class BinaryCrossEntropyWithLogits(Op):
    """L = -[p y ln σ(z) + (1 - y) ln(1 - σ(z))] from the logit z;  dL/dz = σ(z) - y for p = 1.

    p is the weight of the positive examples (``pos_weight``, PyTorch's), 1 unless given; a
    p above 1 raises recall, below 1 precision. With softplus(z) = ln(1 + e^z) (NumPy's
    ``logaddexp(0, z)``, which never overflows), ln σ(z) = -softplus(-z) and
    ln(1 - σ(z)) = -softplus(z), so

        L = softplus(z) - z y                          (p = 1)
        L = (1 - y) softplus(z) + p y softplus(-z)     (any p)
        dL/dz = (1 - y + p y) σ(z) - p y

    with σ(z) from the stable sigmoid of the activations: exact, with full relative precision
    in both tails. At z = ±inf the loss is its limit (0 when the logit points at the target,
    else inf) where the formulas would give inf - inf or 0 · inf.
    """

    name = "binary_cross_entropy_with_logits"

    @staticmethod
    @quiet
    def forward(z, *, y, reduction, pos_weight=None):
        if pos_weight is None:
            losses = np.logaddexp(0, z)
            losses -= z * y  # into the array just made: one allocation fewer
            positive = y
        else:
            positive = pos_weight * y
            losses = (1 - y) * np.logaddexp(0, z) + positive * np.logaddexp(0, -z)
        out, scale = _reduce(losses, reduction, losses.size)
        # Finite logits give finite losses; only an infinite logit (or a NaN, or a sum that
        # overflows) makes the result non-finite. Checking the reduced value is one scalar
        # test where checking z for inf would be two array passes at every step.
        if not (np.isfinite(out).all() if type(out) is np.ndarray else math.isfinite(out)):
            infinite = np.isinf(z)  # the limits, where the sums meet inf - inf or 0 · inf
            toward_target = np.where(z > 0, y >= 1, positive <= 0)
            losses = np.where(infinite, np.where(toward_target, 0, np.inf), losses)
            out, scale = _reduce(losses, reduction, losses.size)
        return out, (z, y, pos_weight, scale)

    @staticmethod
    def backward(saved, grad, needs):
        z, y, pos_weight, scale = saved
        sigma = stable_sigmoid(z)
        if pos_weight is None:
            sigma -= y
        else:
            positive = pos_weight * y
            sigma *= 1 - y + positive
            sigma -= positive
        return (_scaled(grad, scale, sigma),)

    @staticmethod
    def local(site):
        z, y, pos_weight, scale = site.saved
        i = site.index
        if pos_weight is None:
            return _term(site, stable_sigmoid(z[i]) - y[i], "σ({p}) - {y}", scale)
        w = float(np.broadcast_to(pos_weight, z.shape)[i])
        value = (1 - y[i] + w * y[i]) * stable_sigmoid(z[i]) - w * y[i]
        return _term(site, value, f"(1 - {{y}} + {w:g}{{y}})σ({{p}}) - {w:g}{{y}}", scale)


class CrossEntropy(Op):
    """Softmax cross-entropy over the last axis: L = -Σ_k t_k log softmax(z)_k per row.

    ``target`` holds either class indices (shape (N,): t is one-hot) or non-negative rows
    t of shape (N, C), such as probabilities. With label smoothing ε (PyTorch's
    ``label_smoothing``) the target becomes t' = (1 - ε) t + ε / C. Then

        dL/dz = softmax(z) Σ_k t'_k - t'

    which is the course's "prediction minus truth" softmax(z) - t' when the row sums to 1
    (one-hot labels, probabilities); rows with another sum keep the first factor.
    The mean is over rows (samples).
    """

    name = "cross_entropy"

    @staticmethod
    @quiet
    def forward(z, *, target, reduction, label_smoothing=0.0):
        shifted, softmax, log_total = _softmax_parts(z)
        smooth = label_smoothing / z.shape[-1] if label_smoothing else 0.0
        if target.ndim == z.ndim:  # target rows, smoothed
            if smooth:
                target = target * (1 - label_smoothing) + smooth
            losses = -(target * (shifted - log_total)).sum(axis=-1)
            picked = None
        else:  # class indices: -log softmax(z)_y = log Σ e^shifted - shifted_y, row by row
            picked = _label_index(target)
            losses = log_total[..., 0] - shifted[picked]
            if smooth:
                losses *= 1 - label_smoothing
                losses -= smooth * (shifted - log_total).sum(axis=-1)
        out, scale = _reduce(losses, reduction, losses.size)
        # softmax(z) kept for backward, which then needs no exponential
        return out, (softmax, target, picked, label_smoothing, smooth, scale)

    @staticmethod
    def backward(saved, grad, needs):
        softmax, target, picked, label_smoothing, smooth, scale = saved
        local = softmax.copy()  # C order, whatever the layout softmax was computed in
        if picked is None:
            local *= target.sum(axis=-1, keepdims=True)
            local -= target
        else:
            if smooth:
                local -= smooth
            local[picked] -= 1 - label_smoothing
        return (_scaled(grad, scale, local),)

    @staticmethod
    def local(site):
        softmax, target, picked, label_smoothing, smooth, scale = site.saved
        i, k = site.index, site.index[-1]
        softmax, share = softmax[i], ""
        if picked is None:  # target rows (already smoothed): softmax · Σt - t
            total = float(target[i[:-1]].sum())
            truth, text = target[i], f"t_{k}"
            if total != 1:
                softmax, share = softmax * total, f"·{total:g}"
        else:
            truth = (1 - label_smoothing) * float(target[i[:-1]] == k) + smooth
            text = f"[y = {k}]" if not smooth else (
                f"({1 - label_smoothing:g}[y = {k}] + {smooth:g})")
        return _term(site, softmax - truth, f"softmax(z)_{k}{share} - {text}", scale, row=True)


def _label_index(labels: np.ndarray) -> tuple:
    """The index that picks, in an array of shape labels.shape + (C,), entry labels[i] of
    every row i: (rows..., labels) for ``array[index]``."""
    rows = np.indices(labels.shape, sparse=True) if labels.ndim != 1 else (
        np.arange(len(labels)),)
    return (*rows, labels)


class MeanSquaredError(Op):
    """L = (ŷ - y)²  (averaged for reduction="mean");  dL/dŷ = 2(ŷ - y)."""

    name = "mse_loss"

    @staticmethod
    @quiet
    def forward(pred, *, y, reduction):
        diff = pred - y
        out, scale = _reduce(diff * diff, reduction, diff.size)
        return out, (diff, scale)

    @staticmethod
    def backward(saved, grad, needs):
        diff, scale = saved
        return (_scaled(grad, scale, 2 * diff),)

    @staticmethod
    def local(site):
        diff, scale = site.saved
        return _term(site, 2 * diff[site.index], "2({p} - {y})", scale)


class PoissonNLL(Op):
    """Poisson negative log-likelihood of counts y from the log-rate z (a log link, ŷ = e^z):

        L = e^z - y z,      dL/dz = e^z - y = ŷ - y

    The term ln(y!) of the full likelihood does not depend on z and is left out (PyTorch's
    ``PoissonNLLLoss(log_input=True)``). A rate e^z beyond the float range is inf: the loss is
    then inf too, which ``fit`` reports as divergence, instead of an overflow warning (the
    forward runs under :data:`quiet`).
    """

    name = "poisson_nll_loss"

    @staticmethod
    @quiet
    def forward(z, *, y, reduction):
        rate = np.exp(z)
        losses = rate - z * y
        out, scale = _reduce(losses, reduction, losses.size)
        return out, (rate, y, scale)

    @staticmethod
    def backward(saved, grad, needs):
        rate, y, scale = saved
        return (_scaled(grad, scale, rate - y),)

    @staticmethod
    def local(site):
        rate, y, scale = site.saved
        i = site.index
        return _term(site, rate[i] - y[i], "e^{p} - {y}", scale)
