"""Activation functions with their derivatives: the non-linearities of the course.

Where the derivative can be written with the output (sigmoid, tanh, ReLU, softmax), backward uses
the saved output instead of recomputing from the input: that is both cheaper and exactly the
formula the course derives, e.g. σ'(z) = σ(z)(1 - σ(z)).
"""

from __future__ import annotations

import functools

import numpy as np

from ..derivative import Local
from ..function import NonDifferentiableError, Op, quiet


@functools.cache
def _expit():
    """SciPy's logistic ufunc, imported on first use (``scipy.special`` takes ~0.15 s to load)."""
    from scipy.special import expit

    return expit


def stable_sigmoid(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """σ(z) = 1 / (1 + e^(-z)) for any z, exact at the extremes and without warnings.

    This is SciPy's ``expit``: one ufunc pass that computes 1 / (1 + e^(-z)) in C, where an
    overflowing e^(-z) (z below about -88 in float32, -709 in float64) gives 1 / inf = 0, the
    right limit, without a warning. Dividing instead of subtracting keeps full relative
    precision for negative z (σ(-30) ≈ 9.3576e-14, not 0), and σ(1e4) == 1.0, σ(-1e4) == 0.0.
    Speed: one call instead of four NumPy passes inside ``np.errstate`` -- on the 2-4-1 XOR
    step that is about 22,000 fewer instructions (a sixth of the forward pass).
    """
    return _expit()(z, out=out)


class Sigmoid(Op):
    """σ(z) = 1/(1 + e^(-z));  σ'(z) = σ(z)(1 - σ(z)), computed from the saved output σ(z)."""

    name = "sigmoid"
    forward_accepts_out = True

    @staticmethod
    def forward(z, out=None):
        out = stable_sigmoid(z, out=out)
        return out, out

    @staticmethod
    def backward(out, grad, needs):
        local = 1 - out
        local *= out
        local *= grad
        return (local,)

    @staticmethod
    def local(site):
        out = site.saved  # σ(z) itself: the derivative needs no exponential again
        return site.elementwise(out * (1 - out), "{out}(1-{out})")


class Tanh(Op):
    """tanh(z) = (e^z - e^(-z)) / (e^z + e^(-z));  tanh'(z) = 1 - tanh(z)², from the output."""

    name = "tanh"
    forward_accepts_out = True

    @staticmethod
    def forward(z, out=None):
        out = np.tanh(z, out=out)
        return out, out

    @staticmethod
    def backward(out, grad, needs):
        local = out * out  # one fresh array, the rest in place: grad · (1 - out²)
        if type(local) is np.ndarray:
            np.subtract(1, local, out=local)
        else:  # a 0-d input: NumPy scalars, which have no place to write into
            local = 1 - local
        local *= grad
        return (local,)

    @staticmethod
    def local(site):
        out = site.saved
        return site.elementwise(1 - out * out, "(1-{out}²)")


class ReLU(Op):
    """ReLU(z) = max(0, z);  ReLU'(z) = 1 for z > 0, else 0.

    At the kink z = 0 the derivative is taken as 0 (as in the course and in PyTorch). Backward
    reads the sign from the saved output: out = max(z, 0) is 0 exactly where z <= 0, so the
    mask is out != 0 -- which, unlike out > 0, passes the gradient through a NaN input, as
    PyTorch does, at the same cost. The mask is made a 0/1 array of grad's dtype first and
    multiplied in place: a float times bool product casts through a buffer, which costs more
    than the conversion (128 x 256 float32: 9.0 µs against 10.7; np.where is ten times
    slower on a random mask).
    """

    name = "relu"
    forward_accepts_out = True

    @staticmethod
    def forward(z, out=None):
        out = np.maximum(z, 0, out=out)
        return out, out

    @staticmethod
    def backward(out, grad, needs):
        local = (out != 0).astype(grad.dtype)
        local *= grad
        return (local,)

    @staticmethod
    def local(site):
        return site.elementwise(site.saved != 0, "[{in0} > 0]")


class LeakyReLU(Op):
    """LeakyReLU(z) = z for z > 0, else αz;  derivative 1 for z > 0, else α (α at the kink).

    The small slope α keeps a gradient flowing for negative inputs, so a unit cannot "die".
    """

    name = "leaky_relu"

    @staticmethod
    def forward(z, alpha):
        positive = z > 0
        return np.where(positive, z, alpha * z), (positive, alpha)

    @staticmethod
    def backward(saved, grad, needs):
        positive, alpha = saved
        slope = np.where(positive, np.ones((), grad.dtype), np.asarray(alpha, grad.dtype))
        return (grad * slope,)

    @staticmethod
    def local(site):
        positive, alpha = site.saved
        return site.elementwise(np.where(positive, 1.0, alpha), f"1 if {{in0}} > 0 else {alpha:g}")


class Identity(Op):
    """identity(z) = z;  derivative 1. The "linear activation" of an output or a linear layer."""

    name = "identity"

    @staticmethod
    def forward(z):
        return z.copy(), None

    @staticmethod
    def backward(saved, grad, needs):
        return (grad,)

    @staticmethod
    def local(site):
        return site.constant(1.0, "1")


class Step(Op):
    """The Heaviside step of the perceptron: H(z) = 1 if z > 0, else 0.

    The course's perceptron and its XOR network fire when ``wx + b > 0`` (strictly), so
    H(0) = 0 here. Backward raises: H has derivative 0 wherever it is defined and none at 0, so
    gradient descent gets no signal through it.
    """

    name = "step"

    @staticmethod
    def forward(z):
        return (z > 0).astype(z.dtype), None

    @staticmethod
    def backward(saved, grad, needs):
        raise NonDifferentiableError(
            "Cannot backpropagate through the step function (Heaviside): its derivative is zero "
            "almost everywhere and undefined at 0, so it gives gradient descent nothing to follow. "
            "Use sigmoid (a smooth step) to train with gradients, or train step units with the "
            "perceptron learning rule (nl.Perceptron)."
        )


#: with up to this many classes and at least this many rows, a softmax over the last axis
#: is computed on the transposed array (see ``_softmax_parts``)
FEW_CLASSES, MANY_ROWS = 32, 16


def _softmax_parts(z: np.ndarray, axis: int = -1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """z - max(z), softmax(z) and log Σ e^(z - max(z)) along ``axis`` of z.

    The shift by the maximum keeps every exponential <= 1, so softmax(z) =
    e^shifted / Σ e^shifted and log softmax(z) = shifted - log Σ e^shifted for any z.
    The first two have z's shape, the last one z's shape with ``axis`` of size 1 (as
    ``keepdims``); a single number is its own row.

    Speed: NumPy reduces a short contiguous last axis one row at a time (the maximum of a
    128 x 10 batch takes 8.2 µs, 6 ns an element). With few classes and many rows the
    values are copied transposed, one row per class, where the same maximum and sum are
    elementwise passes over whole rows (1.9 µs with the copy); shifted and softmax are then
    transposed views, not C-order arrays.
    """
    if z.ndim and axis not in (-1, z.ndim - 1):  # the softmax axis last (a view), and back
        parts = _softmax_parts(np.moveaxis(z, axis, -1))
        return tuple(np.moveaxis(part, -1, axis) for part in parts)
    if z.ndim != 2:
        shifted, softmax, log_total = _softmax_parts(z.reshape(-1, z.shape[-1] if z.ndim else 1))
        return (shifted.reshape(z.shape), softmax.reshape(z.shape),
                log_total.reshape((*z.shape[:-1], 1) if z.ndim else ()))
    rows, axis = z, 1
    if z.shape[1] <= FEW_CLASSES and z.shape[0] >= MANY_ROWS:
        rows, axis = z.T.copy(), 0
    shifted = rows - np.maximum.reduce(rows, axis=axis, keepdims=True)
    softmax = np.exp(shifted)
    total = np.add.reduce(softmax, axis=axis, keepdims=True)
    softmax /= total
    log_total = np.log(total)
    return (shifted.T, softmax.T, log_total.T) if axis == 0 else (shifted, softmax, log_total)


def _c_order(array: np.ndarray) -> np.ndarray:
    """``array`` itself if it is C-contiguous, else a C-order copy (of any rank, 0-d too)."""
    return array if array.flags.c_contiguous else array.copy()


def _row(index: tuple, axis: int, shape: tuple) -> list[tuple]:
    """The indices that share ``index`` except along ``axis``: one softmax row."""
    axis %= len(shape)
    return [(*index[:axis], j, *index[axis + 1:]) for j in range(shape[axis])]


class Softmax(Op):
    """softmax(z)_i = e^(z_i) / Σ_j e^(z_j);  dL/dz = s ⊙ (g - Σ_j g_j s_j), with s the output.

    Computed as e^(z - max z) / Σ e^(z - max z): subtracting the maximum first makes it safe
    for any z.
    """

    name = "softmax"

    @staticmethod
    @quiet
    def forward(z, axis):
        out = _c_order(_softmax_parts(z, axis)[1])
        return out, (out, axis)

    @staticmethod
    def backward(saved, grad, needs):
        out, axis = saved
        return (out * (grad - (grad * out).sum(axis=axis, keepdims=True)),)

    @staticmethod
    def local(site):
        """ds_i/dz_k = s_i(1 - s_i) for i = k, else -s_i s_k: every output of the row."""
        out, axis = site.saved
        k = site.index
        locals_ = []
        for i in _row(k, axis, out.shape):
            if i == k:
                locals_.append(Local(i, float(out[i] * (1 - out[i])), "{s}(1-{s})",
                                     {"s": ("out", i)}))
            else:
                locals_.append(Local(i, float(-out[i] * out[k]), "-{s}·{t}",
                                     {"s": ("out", i), "t": ("out", k)}))
        return locals_


class LogSoftmax(Op):
    """log softmax(z)_i = z_i - log Σ_j e^(z_j);  dL/dz = g - softmax(z) Σ_j g_j."""

    name = "log_softmax"

    @staticmethod
    @quiet
    def forward(z, axis):
        shifted, softmax, log_total = _softmax_parts(z, axis)
        shifted -= log_total  # log softmax, in the array just made
        # softmax(z) = e^out kept for backward, which then needs no exponential
        return _c_order(shifted), (_c_order(softmax), axis)

    @staticmethod
    def backward(saved, grad, needs):
        softmax, axis = saved
        return (grad - softmax * grad.sum(axis=axis, keepdims=True),)

    @staticmethod
    def local(site):
        """d log s_i/dz_k = [i = k] - s_k, with s_k = e^(log s_k) = the saved softmax."""
        softmax, axis = site.saved
        k = site.index
        s_k = float(softmax[k])
        return [Local(i, (i == k) - s_k, f"{int(i == k)} - e^{{t}}", {"t": ("out", k)})
                for i in _row(k, axis, softmax.shape)]
