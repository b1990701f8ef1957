"""Batch normalisation: standardise each feature over the batch, then scale and shift it."""

from __future__ import annotations

import numpy as np

from .._config import default_dtype
from .._validation import check_bool, check_float, check_int
from ..autograd.function import ShapeError
from ..autograd.ops.normalization import BatchNorm
from ..autograd.tensor import apply
from .module import Module, Parameter
from .registry import register_module


@register_module
class BatchNorm1d(Module):
    """Batch normalisation over a batch of feature vectors x of shape (N, C):

        y = γ (x - μ) / sqrt(σ² + ε) + β

    In training mode μ and σ² are the mean and the biased variance (divided by N) of each
    feature over the batch, and the running statistics are updated with them:

        running_mean = (1 - momentum) running_mean + momentum μ
        running_var  = (1 - momentum) running_var  + momentum σ² N / (N - 1)

    (the running variance uses the unbiased batch variance, as PyTorch does). In evaluation
    mode (``eval()``) μ and σ² are the running statistics, so a prediction does not depend on the
    rest of its batch. This ``momentum`` is the weight of the newest batch in a running average;
    it is *not* the momentum of an optimizer.

    The normalisation is one fused op (:class:`neuralab.autograd.ops.normalization.BatchNorm`)
    with the closed-form backward.

    Parameters
    ----------
    num_features : int
        C, the number of features (columns).
    eps : float
        ε > 0, added to the variance so that a constant feature does not divide by zero.
    momentum : float in [0, 1]
        Weight of the current batch in the running statistics.
    affine : bool
        Learn the scale γ (``weight``, initialised to ones) and shift β (``bias``, zeros).

    Shape
    -----
    input (N, C) -> output (N, C); training needs N >= 2.

    Attributes
    ----------
    weight, bias : Parameter of shape (C,) or None
    running_mean, running_var : ndarray of shape (C,) (buffers; start at 0 and 1)
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1,
                 affine: bool = True) -> None:
        super().__init__()
        self.num_features = check_int(num_features, "num_features", "BatchNorm1d")
        self.eps = check_float(eps, "eps", "BatchNorm1d", 0.0, low_open=True)
        self.momentum = check_float(momentum, "momentum", "BatchNorm1d", 0.0, 1.0)
        self.affine = check_bool(affine, "affine", "BatchNorm1d")
        dtype = default_dtype()
        self.weight = Parameter(np.ones(num_features, dtype)) if affine else None
        self.bias = Parameter(np.zeros(num_features, dtype)) if affine else None
        self.register_buffer("running_mean", np.zeros(num_features, dtype))
        self.register_buffer("running_var", np.ones(num_features, dtype))

    def forward(self, x):
        if x.ndim != 2 or x.shape[1] != self.num_features:
            raise ShapeError(
                f"BatchNorm1d({self.num_features}) expects input of shape "
                f"(N, {self.num_features}); got {x.shape}."
            )
        if self.training and x.shape[0] < 2:
            raise ValueError(
                "BatchNorm1d in training mode needs at least 2 samples per batch (the variance of "
                f"one sample is undefined); got a batch of {x.shape[0]}. Use larger batches, or "
                "call eval() to normalise with the running statistics."
            )
        inputs = (x, self.weight, self.bias) if self.affine else (x,)
        return apply(BatchNorm, *inputs, training=self.training, eps=self.eps,
                     momentum=self.momentum, running_mean=self.running_mean,
                     running_var=self.running_var)

    def get_config(self) -> dict:
        return {"num_features": self.num_features, "eps": self.eps, "momentum": self.momentum,
                "affine": self.affine}

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}")
