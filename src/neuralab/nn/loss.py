"""Losses as modules: thin wrappers over :mod:`neuralab.functional`, where the math lives.

Call a loss as ``loss_fn(prediction, target)``; ``reduction`` is "mean" (the default), "sum" or
"none" (one loss per element, or per row for cross-entropy).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import functional as F
from .._validation import check_name, check_option
from ..autograd.tensor import Tensor
from .module import Module
from .registry import register_module


class Loss(Module):
    """Base of the loss modules: stores the reduction and calls ``function``."""

    #: the functional loss a subclass wraps: fn(input, target, reduction) -> Tensor
    function: Callable[..., Tensor]

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


@register_module
class BCEWithLogitsLoss(Loss):
    """Binary cross-entropy of σ(z) from the raw score z, exact for any z, optionally with a
    weight p on the positive examples (``pos_weight``):

        L = -[p y ln σ(z) + (1 - y) ln(1 - σ(z))],      dL/dz = σ(z) - y  (p = 1)

    See :func:`neuralab.functional.binary_cross_entropy_with_logits`.
    """

    function = staticmethod(F.binary_cross_entropy_with_logits)

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


@register_module
class PoissonNLLLoss(Loss):
    """Poisson negative log-likelihood for counts y, from the log-rate z the model outputs
    (its prediction of the rate is e^z):

        L = e^z - y z,      dL/dz = e^z - y

    See :func:`neuralab.functional.poisson_nll_loss`.
    """

    function = staticmethod(F.poisson_nll_loss)


#: loss module classes by name
LOSS_MODULES: dict[str, type[Loss]] = {
    "bce": BCELoss,
    "bce_with_logits": BCEWithLogitsLoss,
    "cross_entropy": CrossEntropyLoss,
    "mse": MSELoss,
    "poisson_nll": PoissonNLLLoss,
}


def loss_module(name: str, reduction: str = "mean") -> Loss:
    """A new loss module from its name: "bce", "bce_with_logits", "cross_entropy", "mse" or
    "poisson_nll"."""
    return LOSS_MODULES[check_name(name, LOSS_MODULES, "loss")](reduction)
