"""What a loss expects of its targets, checked before training, and the metrics that go with it.

``fit`` accepts a loss by name (one of ``nn.LOSSES``: "cross_entropy", "bce",
"bce_with_logits", "mse", "poisson_nll"), as a loss module or as one of the ``nl.functional``
losses; each loss class carries what it needs here (its output and decision threshold).
Knowing the kind lets it check the labels *before* touching the model, turn 1-D binary labels
into the (N, 1) column a one-unit output needs, and compute accuracy the right way (argmax, a
threshold on probabilities or on logits).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..nn.loss import LOSSES, Loss
from .checks import cast_checked

METRICS = ("accuracy", "mae", "mse")


def loss_function(kind: str) -> Callable:
    """The functional loss of the built-in loss ``kind`` (a name of ``nn.LOSSES``)."""
    return LOSSES[kind].function


def threshold(kind: str) -> float | None:
    """Where a binary loss's decision lies (logits at 0, probabilities at 0.5); None for the
    other losses and for "custom"."""
    return LOSSES[kind].threshold if kind in LOSSES else None


def resolve_loss(loss) -> tuple[Callable, str]:
    """``(callable, kind)`` for a loss given by name, module or function.

    ``kind`` is a name of ``nn.LOSSES`` or "custom" for any other callable
    ``loss(output, target) -> scalar Tensor`` (whose targets are then passed through unchecked).
    """
    if isinstance(loss, str):
        cls = LOSSES[loss]
        return cls(), cls.name
    name = getattr(type(loss), "name", None) if isinstance(loss, Loss) else None
    if name in LOSSES and type(loss).function is LOSSES[name].function:
        return loss, name  # a loss module (or a subclass that keeps its function)
    for cls in LOSSES.values():
        if loss is cls.function:
            return loss, cls.name
    if callable(loss):
        return loss, "custom"
    raise TypeError(
        f"loss must be a name ({', '.join(LOSSES.spellings)}), a loss module or a callable "
        f"loss(output, target). Got {type(loss).__name__}."
    )


def prepare_targets(y: np.ndarray, kind: str, output, name: str = "y") -> np.ndarray:
    """Check that ``y`` fits a loss of ``kind`` for the model's ``output`` (a sample of it).

    Returns the targets in the form the loss takes: int64 labels for cross-entropy, float
    columns of the output's dtype for the others (converted once here, not at every batch).
    Raises ValueError naming the problem and the fix.
    """
    output_shape = output.shape
    n_outputs = output_shape[-1] if len(output_shape) > 1 else 1
    if kind == "custom":
        return y
    if kind == "cross_entropy":
        return _class_targets(y, n_outputs, name)
    if y.dtype.kind not in "fiub":
        raise ValueError(
            f"{name} holds {y.dtype} values, but the {kind} loss needs numbers. Encode labels as "
            "0/1 (binary) or use cross_entropy with integer class labels."
        )
    y = cast_checked(y, output.dtype, name)
    if y.ndim == 1 and n_outputs == 1 and len(output_shape) == 2:
        y = y.reshape(-1, 1)
    if y.shape[1:] != tuple(output_shape[1:]):
        raise ValueError(
            f"{name} has shape {y.shape} but the model outputs {n_outputs} value(s) per sample "
            f"(shape {output_shape}): give one target per output."
        )
    if threshold(kind) is not None and (y.min() < 0 or y.max() > 1):
        raise ValueError(
            f"{name} has values from {y.min():g} to {y.max():g}, but the {kind} loss needs labels "
            "0/1 (or probabilities in [0, 1]). Map the two classes to 0 and 1 first."
        )
    if kind in LOSSES and LOSSES[kind].output == "log_rate" and y.min() < 0:
        raise ValueError(
            f"{name} has values down to {y.min():g}, but the poisson_nll loss needs counts or "
            "rates >= 0. Use mse for targets that can be negative."
        )
    return y


def _class_targets(y: np.ndarray, n_classes: int, name: str) -> np.ndarray:
    if y.ndim == 2 and y.shape[1] == n_classes and y.dtype.kind == "f":
        return y  # probability (one-hot) rows
    if y.ndim != 1:
        raise ValueError(
            f"{name} has shape {y.shape}; cross_entropy needs one class label per sample "
            f"(shape (N,)) or probability rows of shape (N, {n_classes})."
        )
    if y.dtype.kind == "f" and np.all(y == np.round(y)):
        y = y.astype(np.int64)
    if y.dtype.kind not in "iu":
        raise ValueError(
            f"{name} holds {y.dtype} labels; cross_entropy needs integer classes 0..C-1. Encode "
            "them with neuralab.data.encode_labels (or use NeuralabClassifier, which does it)."
        )
    if y.min() < 0 or y.max() >= n_classes:
        raise ValueError(
            f"{name} has class labels from {y.min()} to {y.max()}, but the model has "
            f"{n_classes} outputs (classes 0..{n_classes - 1}). Make the last layer as wide as "
            "the number of classes, or re-encode the labels as 0..C-1."
        )
    return y.astype(np.int64)


def predicted_labels(output: np.ndarray, kind: str) -> np.ndarray:
    """Class decisions from raw model outputs for a loss of ``kind``, as labels (int64 for
    the classification losses)."""
    decisions = _decisions(output, kind)
    return decisions.astype(np.int64) if decisions.dtype == bool else decisions


def _decisions(output: np.ndarray, kind: str) -> np.ndarray:
    """Class decisions: class indices for cross-entropy, booleans for the binary losses
    (logit > 0, probability > 0.5), rounded values for mse."""
    if kind == "cross_entropy":
        return output.argmax(axis=-1)
    if threshold(kind) is not None:
        return output > threshold(kind)
    return np.rint(output)


def weighted_loss(kind: str) -> Callable:
    """The sample-weighted loss of a batch for a loss of ``kind``:

        loss(output, target, w) = (1/n) Σ_i w_i l_i

    over the batch's n samples, where l_i is sample i's loss (averaged over its outputs). With
    weights of mean 1 over the data (see ``check_sample_weight``) an epoch's mean is the
    weighted mean Σ w_i l_i / Σ w_i, and each batch's loss an unbiased estimate of it.
    """
    if kind not in LOSSES:
        raise ValueError(
            f"sample_weight needs one of the built-in losses ({', '.join(LOSSES)}), whose "
            "per-sample losses can be weighted; a custom loss callable cannot be."
        )
    function = loss_function(kind)

    def loss(output, target, weight: np.ndarray):
        losses = function(output, target, reduction="none")
        if losses.ndim > 1:
            losses = losses.mean(axis=tuple(range(1, losses.ndim)))
        return (losses * weight.astype(losses.dtype)).mean()

    return loss


def metric_summers(names, kind: str, dtype) -> list[tuple[str, Callable]]:
    """``(name, batch_sum)`` per metric, chosen once per run for the loss ``kind``.

    ``batch_sum(output, y_batch, weights)`` returns the batch's *sum* of the metric (divided by
    the sample count at the end of an epoch), each sample's value times its weight when
    ``weights`` are given. accuracy: fraction of correct decisions (for mse: predictions
    within 0.5 of the target); mae / mse: absolute and squared error per sample (averaged over
    outputs). ``dtype`` is the targets' (and the outputs') dtype.
    """
    return [(metric, _accuracy_sum(kind, dtype) if metric == "accuracy"
             else _error_sum(square=metric == "mse")) for metric in names]


def _accuracy_sum(kind: str, dtype) -> Callable:
    """The batch sum of accuracy for a loss of ``kind`` (see ``metric_summers``).

    Binary decisions compare booleans with booleans: the output and the labels are each
    thresholded against a 0-d array of their dtype. (Comparing a boolean array with float
    labels directly costs more than thresholding the labels, and a Python float threshold is
    converted at every call.)
    """
    binary = threshold(kind) is not None
    if binary:
        decision, half = np.array(threshold(kind), dtype), np.array(0.5, dtype)

    def accuracy(output, y, weights):
        if binary:  # the decision against the label, each a boolean
            correct = (output > decision) == (y > half)
        else:
            truth = y.argmax(axis=-1) if (kind == "cross_entropy" and y.ndim == 2) else y
            correct = _decisions(output, kind) == truth
        if weights is None:  # Σ over samples of (fraction of the sample's outputs right)
            return np.count_nonzero(correct) * len(output) / correct.size
        return float(correct.reshape(len(output), -1).mean(axis=1) @ weights)

    return accuracy


def _error_sum(square: bool) -> Callable:
    """The batch sum of the mean squared (or absolute) error per sample."""

    def error_sum(output, y, weights):
        error = output.reshape(len(output), -1) - y.reshape(len(y), -1)
        per_sample = (error * error if square else np.abs(error)).mean(axis=1)
        return float(per_sample.sum() if weights is None else per_sample @ weights)

    return error_sum


def check_metrics(metrics, kind: str) -> tuple[str, ...]:
    """Validate metric names; accuracy needs a classification (or rounded mse) loss, and is left
    out for the others (a custom loss, or poisson_nll, whose outputs are log-rates)."""
    names = tuple(metrics)
    for metric in names:
        if metric not in METRICS:
            raise ValueError(f"Unknown metric {metric!r}. Choose from: {', '.join(METRICS)}.")
    if kind not in LOSSES or LOSSES[kind].output == "log_rate":
        return tuple(m for m in names if m != "accuracy")
    return names
