"""neuralab: a neural-network library and lab.

A fast NumPy autograd engine with layers, optimizers and a training loop, and the course that
explains how it all learns::

    import neuralab as nl
    F = nl.functional
    x = nl.tensor([[1.0, 0.0]])
    w = nl.tensor([[0.3], [0.6]], requires_grad=True)
    b = nl.tensor([0.1], requires_grad=True)
    y_hat = (x @ w + b).sigmoid()
    loss = F.binary_cross_entropy(y_hat, nl.tensor([[1.0]]))
    loss.backward()
    w.grad  # = -(y - y_hat) * x, the course's formula

Subpackages beyond the engine are imported on first use, so ``import neuralab`` stays fast.
"""

from __future__ import annotations

import importlib

from . import functional
from ._config import (
    config,
    default_dtype,
    enable_grad,
    is_grad_enabled,
    manual_seed,
    no_grad,
    set_default_dtype,
)
from .autograd import (
    GradcheckError,
    NonDifferentiableError,
    ShapeError,
    Tensor,
    arange,
    concatenate,
    full,
    gradcheck,
    ones,
    ones_like,
    rand,
    randn,
    stack,
    tensor,
    uniform,
    where,
    zeros,
    zeros_like,
)

__version__ = "0.1.0"

# name -> module that defines it; loaded lazily by __getattr__ below
_LAZY = {
    "data": ".data",
    "nn": ".nn",
    "optim": ".optim",
    "train": ".train",
    "fit": ".train",
    "evaluate": ".train",
    "History": ".train",
    "Callback": ".train",
    "EarlyStopping": ".train",
    "ModelCheckpoint": ".train",
    "CSVLogger": ".train",
    "LivePlot": ".train",
    "TrainingDivergedError": ".train",
    "io": ".io",
    "save": ".io",
    "load": ".io",
    "ModelFileError": ".io",
    "Predictor": ".predictor",
    "viz": ".viz",
    "onnx": ".onnx",
    "interop": ".interop",
    "Perceptron": ".perceptron",
    "lessons": ".lessons",
    "explain": ".explain",
    "diagnostics": ".diagnostics",
    "exercises": ".exercises",
    "sweep": ".sweeps",
    "estimators": ".estimators",
    "NeuralabClassifier": ".estimators",
    "NeuralabRegressor": ".estimators",
}

__all__ = [
    "GradcheckError",
    "NonDifferentiableError",
    "ShapeError",
    "Tensor",
    "__version__",
    "arange",
    "concatenate",
    "config",
    "default_dtype",
    "enable_grad",
    "full",
    "functional",
    "gradcheck",
    "is_grad_enabled",
    "manual_seed",
    "no_grad",
    "ones",
    "ones_like",
    "rand",
    "randn",
    "set_default_dtype",
    "stack",
    "tensor",
    "uniform",
    "where",
    "zeros",
    "zeros_like",
    *sorted(_LAZY),
]


def __getattr__(name: str):
    """Import subpackages and their public names on first access (PEP 562)."""
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name], __name__)
        value = module if _LAZY[name] == "." + name else getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'neuralab' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
