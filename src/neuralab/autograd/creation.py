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
    """A tensor of zeros: ``nl.zeros(2, 3)``.

    Parameters
    ----------
    *shape : int, or one tuple of ints
        ``nl.zeros(2, 3)`` and ``nl.zeros((2, 3))`` are the same.
    dtype : "float32" or "float64", optional
        Default: the default float dtype (float32, see ``nl.set_default_dtype``).
    requires_grad : bool
        Record operations on it for ``backward()``.

    Returns
    -------
    Tensor
    """
    return Tensor(np.zeros(_shape(shape), _float_dtype(dtype)), requires_grad=requires_grad)


def ones(*shape, dtype=None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones: ``nl.ones(2, 3)``.

    Parameters
    ----------
    *shape, dtype, requires_grad
        As for :func:`zeros`.

    Returns
    -------
    Tensor
    """
    return Tensor(np.ones(_shape(shape), _float_dtype(dtype)), requires_grad=requires_grad)


def full(shape, fill_value, dtype=None, requires_grad: bool = False) -> Tensor:
    """A tensor of ``shape`` filled with ``fill_value``.

    Parameters
    ----------
    shape : int or tuple of ints
    fill_value : number
    dtype : "float32" or "float64", optional
        Default: the default float dtype.
    requires_grad : bool
        Record operations on it for ``backward()``.

    Returns
    -------
    Tensor
    """
    shape = (shape,) if isinstance(shape, int | np.integer) else tuple(shape)
    return Tensor(np.full(shape, fill_value, _float_dtype(dtype)), requires_grad=requires_grad)


def zeros_like(t, dtype=None, requires_grad: bool = False) -> Tensor:
    """Zeros with the shape (and, by default, the dtype) of ``t``.

    Parameters
    ----------
    t : Tensor or array_like
        Whose shape (and dtype) to take.
    dtype : str or numpy dtype, optional
        Default: the dtype of ``t``.
    requires_grad : bool
        Record operations on it for ``backward()``.

    Returns
    -------
    Tensor
    """
    data = t.data if isinstance(t, Tensor) else np.asarray(t)
    dtype = data.dtype if dtype is None else _config.as_dtype(dtype)
    return Tensor(np.zeros(data.shape, dtype), requires_grad=requires_grad)


def ones_like(t, dtype=None, requires_grad: bool = False) -> Tensor:
    """Ones with the shape (and, by default, the dtype) of ``t``.

    Parameters
    ----------
    t, dtype, requires_grad
        As for :func:`zeros_like`.

    Returns
    -------
    Tensor
    """
    data = t.data if isinstance(t, Tensor) else np.asarray(t)
    dtype = data.dtype if dtype is None else _config.as_dtype(dtype)
    return Tensor(np.ones(data.shape, dtype), requires_grad=requires_grad)


def arange(start, stop=None, step=1, dtype=None) -> Tensor:
    """Evenly spaced values in [start, stop), as ``numpy.arange``.

    Parameters
    ----------
    start : number
        The first value; with ``stop`` omitted, the end of the range, which then starts at 0.
    stop : number, optional
        The end of the range (excluded).
    step : number
        The spacing between values.
    dtype : str or numpy dtype, optional
        Default: int64 when all arguments are integers, else the default float dtype.

    Returns
    -------
    Tensor
        A 1-D tensor without gradient.
    """
    values = np.arange(start, stop, step) if stop is not None else np.arange(start)
    if dtype is not None:
        values = values.astype(_config.as_dtype(dtype))
    elif values.dtype.kind == "f":
        values = values.astype(_config.default_dtype())
    return Tensor(values)


def randn(*shape, seed=None, rng=None, dtype=None, requires_grad: bool = False) -> Tensor:
    """Standard normal draws N(0, 1). ``seed=`` (int) or ``rng=`` (Generator) make it repeatable.

    Parameters
    ----------
    *shape : int, or one tuple of ints
    seed : int, optional
        Draw from a new generator seeded with it: same seed, same numbers.
    rng : numpy.random.Generator, optional
        Draw from this generator (advancing it). Pass ``seed`` or ``rng``, not both; with
        neither, the default generator (``nl.manual_seed``) is used.
    dtype : "float32" or "float64", optional
        Default: the default float dtype.
    requires_grad : bool
        Record operations on it for ``backward()``.

    Returns
    -------
    Tensor
    """
    draws = _config.get_rng(seed, rng).standard_normal(_shape(shape))
    return Tensor(draws.astype(_float_dtype(dtype)), requires_grad=requires_grad)


def rand(*shape, seed=None, rng=None, dtype=None, requires_grad: bool = False) -> Tensor:
    """Uniform draws in [0, 1). ``seed=`` (int) or ``rng=`` (Generator) make it repeatable.

    Parameters
    ----------
    *shape, seed, rng, dtype, requires_grad
        As for :func:`randn`.

    Returns
    -------
    Tensor
    """
    draws = _config.get_rng(seed, rng).random(_shape(shape))
    return Tensor(draws.astype(_float_dtype(dtype)), requires_grad=requires_grad)


def uniform(low=0.0, high=1.0, shape=(), *, seed=None, rng=None, dtype=None,
            requires_grad: bool = False) -> Tensor:
    """Uniform draws in [low, high) of the given ``shape``.

    Parameters
    ----------
    low, high : float
        The bounds of the interval (``high`` excluded).
    shape : int or tuple of ints
        Default: () (one number, a 0-d tensor).
    seed, rng, dtype, requires_grad
        As for :func:`randn`.

    Returns
    -------
    Tensor
    """
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
    """Join tensors along an existing axis (differentiable).

    Parameters
    ----------
    tensors : sequence of Tensor, arrays or numbers
        At least one; arrays and numbers take the dtype of the first tensor among them.
    axis : int
        The axis to join along; the other axes must match.

    Returns
    -------
    Tensor
        Each input receives its own slice of the gradient.
    """
    return apply(shape_ops.Concatenate, *_tensors(tensors), axis=axis)


def stack(tensors: Sequence, axis: int = 0) -> Tensor:
    """Join tensors of equal shape along a new axis (differentiable).

    Parameters
    ----------
    tensors : sequence of Tensor, arrays or numbers
        At least one; arrays and numbers take the dtype of the first tensor among them.
    axis : int
        Where the new axis goes in the result.

    Returns
    -------
    Tensor
        Each input receives its own slice of the gradient.
    """
    return apply(shape_ops.Stack, *_tensors(tensors), axis=axis)


def where(condition, a, b) -> Tensor:
    """Elementwise choice: ``a`` where ``condition`` holds, else ``b`` (differentiable in a, b).

    Parameters
    ----------
    condition : Tensor or array_like of bool
        Broadcast against ``a`` and ``b``; not differentiated.
    a, b : Tensor, array_like or number

    Returns
    -------
    Tensor
        dL/da is the output gradient where ``condition`` holds and 0 elsewhere; dL/db the
        reverse.
    """
    cond = condition.data if isinstance(condition, Tensor) else np.asarray(condition)
    a_t, b_t = _tensors([a, b])
    return apply(ew.Where, a_t, b_t, cond=cond.astype(bool, copy=False))
