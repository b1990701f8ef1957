"""Losses as modules: thin wrappers over :mod:`neuralab.functional`, where the math lives.

Call a loss as ``loss_fn(prediction, target)``; ``reduction`` is "mean" (the default), "sum" or
"none" (one loss per element, or per row for cross-entropy).

:data:`LOSSES` is the one vocabulary of losses (``nl.fit(loss=...)``, ``loss_module``, the
playground, the estimators). Each loss class says what the network's output is for it
(``output``) and, for two classes, where its decision lies (``threshold``)::

    name              output         decision               threshold
    bce               "probability"  class 1 if ŷ > 0.5      0.5
    bce_with_logits   "logit"        class 1 if z > 0        0.0
    cross_entropy     "logits"       the largest of C        None
    mse               "value"        the value, rounded      None
    poisson_nll       "log_rate"     none (counts)           None
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import functional as F
from .._validation import check_option
from .._vocabulary import Entry, Vocabulary
from ..autograd.tensor import Tensor
from .module import Module
from .registry import register_module


class Loss(Module):
    """Base of the loss modules: stores the reduction and calls ``function``."""

    #: the functional loss a subclass wraps: fn(input, target, reduction) -> Tensor
    function: Callable[..., Tensor]
    #: its name in :data:`LOSSES`, how pages show it, and its other spellings
    name: str
    label: str
    aliases: tuple[str, ...] = ()
    #: what the network outputs for it: "probability", "logit", "logits", "value", "log_rate"
    output: str
    #: two classes: the output above which the decision is class 1 (None for the others)
    threshold: float | None = None

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        self.reduction = check_option(reduction, "reduction", type(self).__name__, F.REDUCTIONS)

    def forward(self, input, target):
        return self.function(input, target, self.reduction)

    def __call__(self, input, target):
        # The functional losses take arrays and tensors alike and check the targets
        # themselves, so the generic input conversion of Module.__call__ is skipped.
        return self.function(input, target, self.reduction)

    def get_config(self) -> dict:
        return {"reduction": self.reduction}

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}"


@register_module
class BCELoss(Loss):
    """Binary cross-entropy on probabilities ŷ (after a sigmoid):

        L = -[y ln ŷ + (1 - y) ln(1 - ŷ)]

    See :func:`neuralab.functional.binary_cross_entropy`.
    """

    function = staticmethod(F.binary_cross_entropy)
    name, label, output = "bce", "Binary cross-entropy", "probability"
    threshold = 0.5


@register_module
class BCEWithLogitsLoss(Loss):
    """Binary cross-entropy of σ(z) from the raw score z, exact for any z, optionally with a
    weight p on the positive examples (``pos_weight``):

        L = -[p y ln σ(z) + (1 - y) ln(1 - σ(z))],      dL/dz = σ(z) - y  (p = 1)

    See :func:`neuralab.functional.binary_cross_entropy_with_logits`.
    """

    function = staticmethod(F.binary_cross_entropy_with_logits)
    name, label, output = "bce_with_logits", "Binary cross-entropy of logits", "logit"
    threshold = 0.0

    def __init__(self, reduction: str = "mean", pos_weight=None) -> None:
        """
        Parameters
        ----------
        reduction : "mean", "sum" or "none"
        pos_weight : number or sequence of numbers, optional
            The weight of the positive examples, one number or one per output column (see
            :func:`neuralab.functional.binary_cross_entropy_with_logits`). Default: 1.
        """
        super().__init__(reduction)
        self.pos_weight = None if pos_weight is None else np.asarray(
            pos_weight.data if isinstance(pos_weight, Tensor) else pos_weight, dtype=np.float64)

    def __call__(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, self.reduction,
                                                  pos_weight=self.pos_weight)

    forward = __call__

    def get_config(self) -> dict:
        weight = None if self.pos_weight is None else self.pos_weight.tolist()
        return {"reduction": self.reduction, "pos_weight": weight}

    def extra_repr(self) -> str:
        if self.pos_weight is None:
            return super().extra_repr()
        return f"{super().extra_repr()}, pos_weight={self.pos_weight.tolist()}"


@register_module
class CrossEntropyLoss(Loss):
    """Softmax cross-entropy from logits z of shape (N, C) and class labels y of shape (N,)
    (or non-negative target rows of shape (N, C)), optionally with label smoothing:

        L = -log softmax(z)[y],      dL/dz = softmax(z) - onehot(y)

    See :func:`neuralab.functional.cross_entropy`.
    """

    function = staticmethod(F.cross_entropy)
    name, label, output = "cross_entropy", "Cross-entropy", "logits"

    def __init__(self, reduction: str = "mean", label_smoothing: float = 0.0) -> None:
        """
        Parameters
        ----------
        reduction : "mean", "sum" or "none"
        label_smoothing : float
            ε in [0, 1]: the target becomes (1 - ε) t + ε / C (see
            :func:`neuralab.functional.cross_entropy`). Default 0.
        """
        super().__init__(reduction)
        self.label_smoothing = F._check_label_smoothing(label_smoothing)

    def __call__(self, input, target):
        return F.cross_entropy(input, target, self.reduction, self.label_smoothing)

    forward = __call__

    def get_config(self) -> dict:
        return {"reduction": self.reduction, "label_smoothing": self.label_smoothing}

    def extra_repr(self) -> str:
        if not self.label_smoothing:
            return super().extra_repr()
        return f"{super().extra_repr()}, label_smoothing={self.label_smoothing!r}"


@register_module
class MSELoss(Loss):
    """Mean squared error L = (ŷ - y)², averaged over all elements for "mean".

    See :func:`neuralab.functional.mse_loss`.
    """

    function = staticmethod(F.mse_loss)
    name, label, output = "mse", "Squared error", "value"


@register_module
class PoissonNLLLoss(Loss):
    """Poisson negative log-likelihood for counts y, from the log-rate z the model outputs
    (its prediction of the rate is e^z):

        L = e^z - y z,      dL/dz = e^z - y

    See :func:`neuralab.functional.poisson_nll_loss`.
    """

    function = staticmethod(F.poisson_nll_loss)
    name, label, output = "poisson_nll", "Poisson deviance", "log_rate"


#: the losses by name: the loss module classes, each with its function, output and threshold
LOSSES: Vocabulary[type[Loss]] = Vocabulary("loss", [
    Entry(cls.name, cls, cls.label, cls.aliases)
    for cls in (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, PoissonNLLLoss)
])


def loss_module(name: str, reduction: str = "mean") -> Loss:
    """A new loss module from its name: "bce", "bce_with_logits", "cross_entropy", "mse" or
    "poisson_nll" (see :data:`LOSSES`)."""
    return LOSSES[name](reduction)
