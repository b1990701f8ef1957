"""Functions that make tensors: constants, ranges, random draws, and joins of several tensors."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .. import _config
from .ops import elementwise as ew
from .ops import shape as shape_ops
from .tensor import Tensor, _as_array, _lift, apply


def _shape(shape: tuple) -> tuple:
    """Accept ``f(2, 3)`` and ``f((2, 3))`` alike, as NumPy and PyTorch do."""
    if len(shape) == 1 and isinstance(shape[0], Sequence | np.ndarray):
        return tuple(int(n) for n in shape[0])
    return tuple(int(n) for n in shape)


def _float_dtype(dtype) -> np.dtype:
    return _config.default_dtype() if dtype is None else _config.as_dtype(dtype)


def zeros(*shape, dtype=None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros: ``nl.zeros(2, 3)``."""
    return Tensor(np.zeros(_shape(shape), _float_dtype(dtype)), requires_grad=requires_grad)


def ones(*shape, dtype=None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones: ``nl.ones(2, 3)``."""
    return Tensor(np.ones(_shape(shape), _float_dtype(dtype)), requires_grad=requires_grad)


def full(shape, fill_value, dtype=None, requires_grad: bool = False) -> Tensor:
    """A tensor of ``shape`` filled with ``fill_value``."""
    shape = (shape,) if isinstance(shape, int | np.integer) else tuple(shape)
    return Tensor(np.full(shape, fill_value, _float_dtype(dtype)), requires_grad=requires_grad)


def zeros_like(t, dtype=None, requires_grad: bool = False) -> Tensor:
    """Zeros with the shape (and, by default, the dtype) of ``t``."""
    data = t.data if isinstance(t, Tensor) else np.asarray(t)
    dtype = data.dtype if dtype is None else _config.as_dtype(dtype)
    return Tensor(np.zeros(data.shape, dtype), requires_grad=requires_grad)


def ones_like(t, dtype=None, requires_grad: bool = False) -> Tensor:
    """Ones with the shape (and, by default, the dtype) of ``t``."""
    data = t.data if isinstance(t, Tensor) else np.asarray(t)
    dtype = data.dtype if dtype is None else _config.as_dtype(dtype)
    return Tensor(np.ones(data.shape, dtype), requires_grad=requires_grad)


def arange(start, stop=None, step=1, dtype=None) -> Tensor:
    """Evenly spaced values in [start, stop), as ``numpy.arange``.

    Integers give an int64 tensor, floats the default float dtype.
    """
    values = np.arange(start, stop, step) if stop is not None else np.arange(start)
    if dtype is not None:
        values = values.astype(_config.as_dtype(dtype))
    elif values.dtype.kind == "f":
        values = values.astype(_config.default_dtype())
    return Tensor(values)


def randn(*shape, seed=None, rng=None, dtype=None, requires_grad: bool = False) -> Tensor:
    """Standard normal draws N(0, 1). ``seed=`` (int) or ``rng=`` (Generator) make it repeatable."""
    draws = _config.get_rng(seed, rng).standard_normal(_shape(shape))
    return Tensor(draws.astype(_float_dtype(dtype)), requires_grad=requires_grad)


def rand(*shape, seed=None, rng=None, dtype=None, requires_grad: bool = False) -> Tensor:
    """Uniform draws in [0, 1). ``seed=`` (int) or ``rng=`` (Generator) make it repeatable."""
    draws = _config.get_rng(seed, rng).random(_shape(shape))
    return Tensor(draws.astype(_float_dtype(dtype)), requires_grad=requires_grad)


def uniform(low=0.0, high=1.0, shape=(), *, seed=None, rng=None, dtype=None,
            requires_grad: bool = False) -> Tensor:
    """Uniform draws in [low, high) of the given ``shape``."""
    shape = (shape,) if isinstance(shape, int | np.integer) else tuple(shape)
    draws = _config.get_rng(seed, rng).uniform(low, high, shape)
    return Tensor(np.asarray(draws).astype(_float_dtype(dtype)), requires_grad=requires_grad)


def _tensors(items: Sequence) -> tuple[Tensor, ...]:
    """Lift a sequence of tensors/arrays/numbers to tensors, using the first tensor's dtype."""
    items = list(items)
    if not items:
        raise ValueError("Need at least one tensor to join.")
    like = next((t for t in items if isinstance(t, Tensor)), None)
    like = like if like is not None else Tensor(_as_array(items[0]))
    return tuple(_lift(t, like) for t in items)


def concatenate(tensors: Sequence, axis: int = 0) -> Tensor:
    """Join tensors along an existing axis (differentiable)."""
    return apply(shape_ops.Concatenate, *_tensors(tensors), axis=axis)


def stack(tensors: Sequence, axis: int = 0) -> Tensor:
    """Join tensors of equal shape along a new axis (differentiable)."""
    return apply(shape_ops.Stack, *_tensors(tensors), axis=axis)


def where(condition, a, b) -> Tensor:
    """Elementwise choice: ``a`` where ``condition`` holds, else ``b`` (differentiable in a, b)."""
    cond = condition.data if isinstance(condition, Tensor) else np.asarray(condition)
    a_t, b_t = _tensors([a, b])
    return apply(ew.Where, a_t, b_t, cond=cond.astype(bool, copy=False))
