"""Stateless functions: activations, the fused linear layer, and the losses with input checks.

``import neuralab as nl; F = nl.functional``. Every function accepts tensors, arrays or numbers.
The losses check their targets before computing anything and say what to fix.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ._vocabulary import Entry, Vocabulary
from .autograd.function import ShapeError
from .autograd.ops import linalg
from .autograd.ops import loss as loss_ops
from .autograd.ops.activation import Sigmoid
from .autograd.tensor import Tensor, _as_array, apply

REDUCTIONS = ("mean", "sum", "none")


def _tensor(x) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(_as_array(x))


# ---------------------------------------------------------------------- activations
def sigmoid(x) -> Tensor:
    """σ(z) = 1 / (1 + e^(-z)), in (0, 1);  σ'(z) = σ(z)(1 - σ(z)). Stable for any z."""
    return _tensor(x).sigmoid()


def tanh(x) -> Tensor:
    """tanh(z) = (e^z - e^(-z)) / (e^z + e^(-z)), in (-1, 1);  tanh'(z) = 1 - tanh(z)²."""
    return _tensor(x).tanh()


def relu(x) -> Tensor:
    """ReLU(z) = max(0, z);  ReLU'(z) = 1 for z > 0, else 0."""
    return _tensor(x).relu()


def leaky_relu(x, alpha: float = 0.01) -> Tensor:
    """LeakyReLU(z) = max(αz, z) for 0 < α < 1;  derivative 1 for z > 0, else α."""
    return _tensor(x).leaky_relu(alpha)


def softmax(x, axis: int = -1) -> Tensor:
    """softmax(z)_i = e^(z_i) / Σ_j e^(z_j): a probability distribution along ``axis``."""
    return _tensor(x).softmax(axis)


def log_softmax(x, axis: int = -1) -> Tensor:
    """log softmax(z)_i = z_i - log Σ_j e^(z_j), computed without overflow."""
    return _tensor(x).log_softmax(axis)


def identity(x) -> Tensor:
    """identity(z) = z: the linear "activation"."""
    return _tensor(x).identity()


def step(x) -> Tensor:
    """Heaviside step H(z) = 1 if z > 0 else 0: the perceptron's activation (no gradient)."""
    return _tensor(x).step()


#: the activations by name, for layers, estimators, the CLI, sweeps and the playground (which
#: of them gradient descent can train through is the modules' ``trainable``, nn/activation.py)
ACTIVATIONS: Vocabulary[Callable[..., Tensor]] = Vocabulary("activation", [
    Entry("relu", relu, "ReLU"),
    Entry("leaky_relu", leaky_relu, "Leaky ReLU"),
    Entry("tanh", tanh, "Tanh"),
    Entry("sigmoid", sigmoid, "Sigmoid", aliases=("logistic",)),
    Entry("identity", identity, "Identity", aliases=("linear",)),
    # a distribution over the last axis: an output, not a hidden layer's activation
    Entry("softmax", softmax, "Softmax"),
    # no gradient: Rosenblatt's perceptron, trained by its own rule
    Entry("step", step, "Step"),
])


def get_activation(name: str) -> Callable[[Tensor], Tensor]:
    """The activation function called ``name`` ("relu", "tanh", ...); raises for unknown names."""
    return ACTIVATIONS[name]


# ---------------------------------------------------------------------- layers
def linear(x, weight, bias=None) -> Tensor:
    """The fully connected layer z = x @ W + b, one fused op (W has shape (in, out))."""
    return linear_of_tensors(_tensor(x), _tensor(weight), None if bias is None else _tensor(bias))


def linear_of_tensors(x: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
    """:func:`linear` for arguments that are tensors already (``nn.Linear`` calls it directly)."""
    if x.data.ndim:  # the product itself checks the shapes (try costs nothing until it raises)
        try:
            if bias is None:
                return apply(linalg.Linear, x, weight)
            return apply(linalg.Linear, x, weight, bias)
        except ShapeError:
            if x.data.shape[-1] == weight.data.shape[0]:
                raise  # the bias does not fit: apply's message says so
    x_shape, w_shape = x.data.shape, weight.data.shape
    raise ShapeError(
        f"linear: input of shape {x_shape} has {x_shape[-1] if x_shape else 0} features but "
        f"the weight of shape {w_shape} expects {w_shape[0]} "
        "(x @ W needs x.shape[-1] == W.shape[0])."
    )


# ---------------------------------------------------------------------- losses
def _check_reduction(reduction: str) -> None:
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of {REDUCTIONS}. Got {reduction!r} instead.")


def _float_target(target, like: Tensor, loss: str) -> np.ndarray:
    """The target as an array of the prediction's dtype and shape, checked to be finite (and,
    for the binary losses, to lie in [0, 1]) with two reductions (usually one for binary)."""
    y = target if type(target) is np.ndarray else (
        target.data if isinstance(target, Tensor) else np.asarray(target))
    if y.dtype != like.data.dtype:
        if y.dtype.kind not in "fiub":
            raise TypeError(f"{loss}: targets must be numbers, not {y.dtype}. Encode them first.")
        y = y.astype(like.data.dtype)
    if y.shape != like.data.shape:
        hint = " e.g. y.reshape(-1, 1)" if y.size == like.data.size else ""
        raise ShapeError(
            f"{loss}: predictions have shape {like.shape} but targets have shape {y.shape}. "
            f"Give the targets the predictions' shape{hint}."
        )
    binary = loss.startswith("binary")
    if y.size and not (binary and _in_unit_interval(y)):
        low, high = float(y.min()), float(y.max())  # NaN and ±inf show up in one of the two
        if not (math.isfinite(low) and math.isfinite(high)):
            raise ValueError(f"{loss}: targets contain NaN or infinity; clean the labels first.")
        if binary and (low < 0 or high > 1):
            raise ValueError(
                f"{loss}: targets must lie in [0, 1] (class labels 0/1 or probabilities); found "
                f"values from {low:g} to {high:g}. For labels such as -1/1 or 1/2, map them to "
                "0/1 first."
            )
    return y


#: float dtype -> (the unsigned integer type of its bit patterns, the bit pattern of 1.0)
_UNIT_BITS = {np.dtype(np.float32): (np.uint32, 0x3F800000),
              np.dtype(np.float64): (np.uint64, 0x3FF0000000000000)}


def _in_unit_interval(y: np.ndarray) -> bool:
    """A one-reduction test that every float target lies in [0, 1] (so none is NaN or inf).

    True means valid; False means "look closer": ``_float_target`` then checks with min and
    max and raises with the range it found. Read as unsigned integers, the IEEE-754 bit
    patterns of +0.0 ... 1.0 are exactly the integers 0 ... bits(1.0), in order, and every
    negative number, infinity and NaN has a larger pattern (a set sign bit or an all-ones
    exponent). So max(bits) <= bits(1.0) holds exactly when every target lies in [0, 1]; only
    -0.0 fails it and then passes the closer look. Speed: the binary losses check their
    targets at every call, and one reduction instead of two saves about 9,000 instructions.
    """
    if y.dtype not in _UNIT_BITS:
        return False
    unsigned, one = _UNIT_BITS[y.dtype]
    return int(np.maximum.reduce(y.view(unsigned), axis=None)) <= one


def binary_cross_entropy(input, target, reduction: str = "mean") -> Tensor:
    """Binary cross-entropy on probabilities ŷ in [0, 1], the course's loss:

        L(y, ŷ) = -y ln(ŷ) - (1 - y) ln(1 - ŷ)

    with each log clamped at -100 (as PyTorch does) so that ŷ = 0 or 1 stays finite. Through
    a sigmoid output the chain rule gives dL/dz = ŷ - y. Prefer
    :func:`binary_cross_entropy_with_logits` on raw scores: it is exact where ŷ rounds to 0
    or 1.

    Parameters
    ----------
    input : Tensor
        Predicted probabilities, any shape. A value outside [0, 1] or NaN raises a
        ValueError: it is not a probability (raw scores belong in the with-logits loss).
        The output of a sigmoid is not checked: it is a probability, or NaN from a NaN
        logit, which makes the loss NaN.
    target : array-like
        Same shape, values in [0, 1].
    reduction : "mean", "sum" or "none"

    Returns
    -------
    Tensor
        The loss: a scalar, or one value per element for ``reduction="none"``.
    """
    _check_reduction(reduction)
    p = _tensor(input)
    if p._op is not Sigmoid:  # a sigmoid's output is a probability, or NaN from a NaN logit,
        _check_probabilities(p.data)  # which the loss then propagates: no check needed
    y = _float_target(target, p, "binary_cross_entropy")
    return apply(loss_ops.BinaryCrossEntropy, p, y=y, reduction=reduction)


def _check_probabilities(p: np.ndarray) -> None:
    """Raise unless every prediction of BCE lies in [0, 1] (one reduction when they do)."""
    if not p.size or _in_unit_interval(p):
        return
    if np.isnan(p).any():
        problem = "contain NaN"
    else:
        low, high = float(p.min()), float(p.max())
        if low >= 0 and high <= 1:
            return  # only -0.0, which is a probability
        problem = f"range from {low:g} to {high:g}"
    raise ValueError(
        f"binary_cross_entropy: the predictions must be probabilities in [0, 1], but they "
        f"{problem}. For raw scores (logits) use binary_cross_entropy_with_logits (loss="
        "'bce_with_logits'), or end the model with a Sigmoid."
    )


def binary_cross_entropy_with_logits(input, target, reduction: str = "mean",
                                     pos_weight=None) -> Tensor:
    """Binary cross-entropy of σ(z) computed from the logit z in one stable step.

        L = -[p y ln σ(z) + (1 - y) ln(1 - σ(z))],      dL/dz = σ(z) - y   (p = 1)

    Parameters
    ----------
    input : Tensor
        Logits (raw scores), any shape.
    target : array-like
        Same shape, values in [0, 1].
    reduction : "mean", "sum" or "none"
    pos_weight : array-like, optional
        The weight p of the positive term (PyTorch's ``pos_weight``): one number, or one per
        output column (shape (C,), broadcast against the input). p = n_negative / n_positive
        balances a rare positive class. Must be finite and >= 0. Default: 1 everywhere.

    Returns
    -------
    Tensor
        The loss: a scalar, or one value per element for ``reduction="none"``.
    """
    _check_reduction(reduction)
    z = _tensor(input)
    y = _float_target(target, z, "binary_cross_entropy_with_logits")
    if pos_weight is None:
        return apply(loss_ops.BinaryCrossEntropyWithLogits, z, y=y, reduction=reduction)
    return apply(loss_ops.BinaryCrossEntropyWithLogits, z, y=y, reduction=reduction,
                 pos_weight=_pos_weight(pos_weight, z))


def _pos_weight(pos_weight, like: Tensor) -> np.ndarray:
    """``pos_weight`` as a checked array of the input's dtype that broadcasts to its shape."""
    weight = np.asarray(pos_weight.data if isinstance(pos_weight, Tensor) else pos_weight)
    if weight.dtype.kind not in "fiu":
        raise TypeError(f"pos_weight must hold numbers, not {weight.dtype}.")
    weight = weight.astype(like.data.dtype)
    try:
        fits = np.broadcast_shapes(weight.shape, like.shape) == like.shape
    except ValueError:
        fits = False
    if not fits:
        raise ShapeError(
            f"binary_cross_entropy_with_logits: pos_weight of shape {weight.shape} does not "
            f"broadcast to the input's shape {like.shape}; give one number or one per column "
            f"(shape ({like.shape[-1] if like.ndim else 1},))."
        )
    if weight.size and not (np.all(np.isfinite(weight)) and weight.min() >= 0):
        raise ValueError(
            "binary_cross_entropy_with_logits: pos_weight must be finite and >= 0 (the weight "
            f"of the positive examples); got values from {weight.min():g} to {weight.max():g}."
        )
    return weight


def _class_labels(target: np.ndarray, n_classes: int) -> np.ndarray:
    """Validated integer class indices in [0, n_classes)."""
    if target.dtype.kind == "f":
        if not np.all(np.isfinite(target)) or not np.all(target == np.round(target)):
            raise ValueError(
                "cross_entropy: class labels must be whole numbers 0..C-1 (or give probability "
                "rows with the logits' shape)."
            )
        target = target.astype(np.int64)
    elif target.dtype.kind not in "iu":
        raise ValueError(f"cross_entropy: class labels must be integers, not {target.dtype}.")
    if target.size and (target.min() < 0 or target.max() >= n_classes):
        raise ValueError(
            f"cross_entropy: class labels must lie in 0..{n_classes - 1} for {n_classes} logits "
            f"per row; found labels from {target.min()} to {target.max()}. Encode the classes as "
            "0..C-1 (e.g. with sklearn.preprocessing.LabelEncoder) or widen the output layer."
        )
    return target


def _check_label_smoothing(label_smoothing) -> float:
    """``label_smoothing`` as a float, or a ValueError unless it is a number in [0, 1]."""
    if isinstance(label_smoothing, bool) or not (
            isinstance(label_smoothing, int | float | np.floating | np.integer)
            and 0.0 <= label_smoothing <= 1.0):
        raise ValueError(
            f"cross_entropy: label_smoothing must be a number in [0, 1]. Got "
            f"{label_smoothing!r} instead."
        )
    return float(label_smoothing)


def cross_entropy(input, target, reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """Softmax cross-entropy from logits (the last axis holds the C classes).

        L = -log softmax(z)[y]         (class indices y of shape (N,))
        L = -Σ_k t_k log softmax(z)_k  (target rows t >= 0 of shape (N, C), e.g. probabilities)
        dL/dz = softmax(z) - onehot(y),   or softmax(z) Σ_k t_k - t for rows

    Parameters
    ----------
    input : Tensor
        Logits of shape (N, C) (or (..., C)).
    target : array-like
        Class indices in 0..C-1 of shape (N,), or non-negative rows of shape (N, C) (soft
        labels; a row need not sum to 1, its gradient is then the true one above).
    reduction : "mean", "sum" or "none"
        "mean" averages over the rows.
    label_smoothing : float
        ε in [0, 1], PyTorch's: the target becomes (1 - ε) t + ε / C, a mix of the labels and
        the uniform distribution over the C classes. Default 0 (no smoothing).

    Returns
    -------
    Tensor
        The loss: a scalar, or one value per row for ``reduction="none"``.
    """
    _check_reduction(reduction)
    _check_label_smoothing(label_smoothing)
    z = _tensor(input)
    if z.ndim == 0:
        raise ShapeError("cross_entropy: logits need at least one axis (the classes).")
    t = target.data if isinstance(target, Tensor) else np.asarray(target)
    if t.ndim == z.ndim:
        y = _float_target(t, z, "cross_entropy")
        if y.size and float(y.min()) < 0:
            raise ValueError(
                f"cross_entropy: target rows must be >= 0 (probabilities or weights of the "
                f"classes); found values down to {float(y.min()):g}. For class labels give "
                f"integer indices of shape {z.shape[:-1]}."
            )
    elif t.shape == z.shape[:-1]:
        y = _class_labels(t, z.shape[-1])
    else:
        raise ShapeError(
            f"cross_entropy: logits of shape {z.shape} need class labels of shape {z.shape[:-1]} "
            f"or probability rows of shape {z.shape}; got targets of shape {t.shape}."
        )
    if label_smoothing:
        return apply(loss_ops.CrossEntropy, z, target=y, reduction=reduction,
                     label_smoothing=float(label_smoothing))
    return apply(loss_ops.CrossEntropy, z, target=y, reduction=reduction)


def mse_loss(input, target, reduction: str = "mean") -> Tensor:
    """Mean squared error L = (ŷ - y)², averaged over all elements for "mean"."""
    _check_reduction(reduction)
    pred = _tensor(input)
    return apply(loss_ops.MeanSquaredError, pred, y=_float_target(target, pred, "mse_loss"),
                 reduction=reduction)


def poisson_nll_loss(input, target, reduction: str = "mean") -> Tensor:
    """Poisson negative log-likelihood from log-rates z (the rate is ŷ = e^z), for counts y:

        L = e^z - y z,      dL/dz = e^z - y

    (the ln(y!) term, constant in z, is left out). ``target`` holds counts or rates >= 0 of
    the input's shape.
    """
    _check_reduction(reduction)
    z = _tensor(input)
    y = _float_target(target, z, "poisson_nll_loss")
    if y.size and float(y.min()) < 0:
        raise ValueError(
            f"poisson_nll_loss: targets are counts or rates >= 0; found values down to "
            f"{float(y.min()):g}. Use mse_loss for targets that can be negative."
        )
    return apply(loss_ops.PoissonNLL, z, y=y, reduction=reduction)
