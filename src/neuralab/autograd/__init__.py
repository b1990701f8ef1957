"""The reverse-mode automatic-differentiation engine: tensors, ops, backward, gradcheck."""

from .creation import (
    arange,
    concatenate,
    full,
    ones,
    ones_like,
    rand,
    randn,
    stack,
    uniform,
    where,
    zeros,
    zeros_like,
)
from .function import NonDifferentiableError, Op, ShapeError, unbroadcast
from .gradcheck import GradcheckError, gradcheck
from .tensor import Tensor, apply, tensor

__all__ = [
    "GradcheckError",
    "NonDifferentiableError",
    "Op",
    "ShapeError",
    "Tensor",
    "apply",
    "arange",
    "concatenate",
    "full",
    "gradcheck",
    "ones",
    "ones_like",
    "rand",
    "randn",
    "stack",
    "tensor",
    "unbroadcast",
    "uniform",
    "where",
    "zeros",
    "zeros_like",
]
