"""Weight initialisation for a weight matrix W of shape (fan_in, fan_out).

Random weights break the symmetry between units; their scale decides whether signals and
gradients keep their size from layer to layer. With n_in = fan_in and n_out = fan_out:

=================  =====================================  =============================
name               distribution                           keeps the variance for
=================  =====================================  =============================
"glorot_uniform"   U(-a, a),  a = sqrt(6 / (n_in + n_out))  tanh, sigmoid, linear (Xavier)
"glorot_normal"    N(0, σ²),  σ = sqrt(2 / (n_in + n_out))  tanh, sigmoid, linear (Xavier)
"he_uniform"       U(-a, a),  a = sqrt(6 / n_in)            ReLU, LeakyReLU (Kaiming, fan_in)
"he_normal"        N(0, σ²),  σ = sqrt(2 / n_in)            ReLU, LeakyReLU (Kaiming, fan_in)
"zeros"            all 0 (every unit stays identical: for experiments showing why not to)
=================  =====================================  =============================

Draws are made in float64 and then cast, so float32 and float64 weights from the same seed agree.

The choice is made when a layer is built and never revised later: ``nn.Linear`` draws Glorot
uniform unless told otherwise, and ``nn.MLP``, which knows the activation after each of its
layers, asks for He uniform before ReLU and LeakyReLU (:func:`init_for_activation`).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .._config import default_dtype, get_rng


def glorot_limit(fan_in: int, fan_out: int) -> float:
    """a = sqrt(6 / (fan_in + fan_out)), the bound of Glorot's (Xavier's) uniform init."""
    return math.sqrt(6.0 / (fan_in + fan_out))


def he_limit(fan_in: int) -> float:
    """a = sqrt(6 / fan_in), the bound of He's (Kaiming's) uniform init for ReLU layers."""
    return math.sqrt(6.0 / fan_in)


def glorot_uniform(shape: tuple, rng: np.random.Generator) -> np.ndarray:
    """U(-a, a) with a = sqrt(6 / (fan_in + fan_out))."""
    limit = glorot_limit(*shape)
    return rng.uniform(-limit, limit, shape)


def glorot_normal(shape: tuple, rng: np.random.Generator) -> np.ndarray:
    """N(0, σ²) with σ = sqrt(2 / (fan_in + fan_out))."""
    return rng.normal(0.0, math.sqrt(2.0 / (shape[0] + shape[1])), shape)


def he_uniform(shape: tuple, rng: np.random.Generator) -> np.ndarray:
    """U(-a, a) with a = sqrt(6 / fan_in)."""
    limit = he_limit(shape[0])
    return rng.uniform(-limit, limit, shape)


def he_normal(shape: tuple, rng: np.random.Generator) -> np.ndarray:
    """N(0, σ²) with σ = sqrt(2 / fan_in)."""
    return rng.normal(0.0, math.sqrt(2.0 / shape[0]), shape)


def zeros(shape: tuple, rng: np.random.Generator) -> np.ndarray:
    """All zeros (draws nothing from ``rng``)."""
    return np.zeros(shape)


#: initialisers by name
INITIALIZERS: dict[str, Callable[[tuple, np.random.Generator], np.ndarray]] = {
    "glorot_uniform": glorot_uniform,
    "glorot_normal": glorot_normal,
    "he_uniform": he_uniform,
    "he_normal": he_normal,
    "zeros": zeros,
}


#: activations after which a layer's weights should be He's, not Glorot's
_RECTIFIERS = ("relu", "leaky_relu")


def init_for_activation(activation: str | None) -> str:
    """The uniform initialiser suited to the activation that follows a layer.

    "he_uniform" before "relu" and "leaky_relu" (half the units are zero, so the weights need
    twice the variance to keep the signal's size: Var(W) = 2 / fan_in), "glorot_uniform"
    before anything else, or before nothing (None: a layer whose raw outputs are the result).
    """
    return "he_uniform" if activation in _RECTIFIERS else "glorot_uniform"


def initial_weight(shape: tuple, init: str = "glorot_uniform", *, seed=None, rng=None,
                   dtype=None) -> np.ndarray:
    """A new weight matrix of ``shape`` = (fan_in, fan_out) drawn with the initialiser ``init``.

    Parameters
    ----------
    shape : tuple of two ints
    init : str
        One of :data:`INITIALIZERS`.
    seed, rng : int or numpy.random.Generator, optional
        Same seed, same weights.
    dtype : optional
        Default: the default float dtype (float32).
    """
    if init not in INITIALIZERS:
        raise ValueError(
            f"Unknown init {init!r}. Choose one of: {', '.join(repr(n) for n in INITIALIZERS)}."
        )
    values = INITIALIZERS[init](tuple(shape), get_rng(seed, rng))
    return values.astype(default_dtype() if dtype is None else dtype, copy=False)
