"""The only global state of neuralab: default dtype, default random generator, gradient mode.

The gradient mode is per thread (as in PyTorch): ``no_grad()`` in one thread -- a server drawing
a heat map, say -- never switches recording off for a network training in another.

Everything random in neuralab takes ``seed=`` (an int) or ``rng=`` (a ``numpy.random.Generator``);
only when neither is given does it draw from the default generator kept here.

The default dtype and the default generator have a process-wide value and, inside an
``nl.config(...)`` block, a value of the block's own thread:

* ``nl.config(dtype=..., seed=...)`` sets them for the thread that enters it, until the block
  exits, which restores that thread's previous values; other threads -- and threads started
  inside the block -- keep seeing theirs (the process-wide ones, unless they are in a block of
  their own). A model built in a worker thread is never float64 because another thread is
  inside ``nl.config(dtype="float64")``.
* ``nl.set_default_dtype(d)`` and ``nl.manual_seed(s)`` change the value the calling thread
  sees: outside any block of that thread the process-wide value (for every thread without a
  block), inside a block the block's (undone when the block exits, like the block's own
  settings).
* Outside blocks, all threads draw from the one process-wide generator.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import numpy as np

#: dtypes a tensor may have, by name. Floats carry gradients; integers and bools hold labels/masks.
ALLOWED_DTYPES = {
    "float32": np.dtype(np.float32),
    "float64": np.dtype(np.float64),
    "int32": np.dtype(np.int32),
    "int64": np.dtype(np.int64),
    "bool": np.dtype(np.bool_),
}
FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


class _ThreadSettings(threading.local):
    """One thread's ``nl.config`` values (None: the process-wide one) and the values to restore
    as its open blocks exit."""

    def __init__(self) -> None:
        self.default_dtype: np.dtype | None = None
        self.rng: np.random.Generator | None = None
        self.saved: list[tuple] = []


THREAD_SETTINGS = _ThreadSettings()
#: how many ``config`` blocks are open in all threads together. While none is, no thread has a
#: value of its own, so the settings below skip the thread-local lookup (see OPEN_NO_GRAD).
OPEN_CONFIG = [0]
_OPEN_CONFIG_LOCK = threading.Lock()


class _State:
    """The default dtype and generator as the calling thread sees them (attributes read
    ``STATE.default_dtype``, ``STATE.rng``): its ``config`` block's value, else the process's."""

    __slots__ = ("_default_dtype", "_rng")

    def __init__(self) -> None:
        self._default_dtype = np.dtype(np.float32)
        self._rng = np.random.default_rng()

    @property
    def default_dtype(self) -> np.dtype:
        if OPEN_CONFIG[0]:
            dtype = THREAD_SETTINGS.default_dtype
            if dtype is not None:
                return dtype
        return self._default_dtype

    @property
    def rng(self) -> np.random.Generator:
        if OPEN_CONFIG[0]:
            rng = THREAD_SETTINGS.rng
            if rng is not None:
                return rng
        return self._rng

    def set(self, name: str, value) -> None:
        """Set ``name`` for the calling thread: its block's value inside a block, else the
        process-wide one."""
        if THREAD_SETTINGS.saved:
            setattr(THREAD_SETTINGS, name, value)
        else:
            setattr(self, "_" + name, value)


class _ThreadGradMode(threading.local):
    """Whether operations record the graph, separately for every thread (True at the start)."""

    def __init__(self) -> None:
        self.enabled = True
        self.saved: list[bool] = []  # modes to restore when the open no_grad blocks exit


STATE = _State()
GRAD_MODE = _ThreadGradMode()
#: how many no_grad blocks are open in all threads together. While none is, every thread
#: records the graph, so ``apply`` skips the thread-local lookup of GRAD_MODE (a threading.local
#: attribute costs about 800 instructions, a sixth of what ``apply`` adds to an op).
OPEN_NO_GRAD = [0]
_OPEN_NO_GRAD_LOCK = threading.Lock()


def as_dtype(dtype) -> np.dtype:
    """Turn a dtype spec ("float32", np.float64, np.dtype(...)) into a numpy dtype, or raise.

    Raises
    ------
    TypeError
        If the spec is not one of :data:`ALLOWED_DTYPES`; the message lists the allowed names.
    """
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        resolved = None
    if resolved is None or resolved not in ALLOWED_DTYPES.values():
        allowed = ", ".join(f'"{name}"' for name in ALLOWED_DTYPES)
        raise TypeError(
            f"Unknown dtype {dtype!r}. Allowed dtypes: {allowed} (or the numpy dtypes)."
        )
    return resolved


def default_dtype() -> np.dtype:
    """The floating dtype new float tensors get (float32 unless changed)."""
    return STATE.default_dtype


def _float_dtype(dtype) -> np.dtype:
    """``dtype`` resolved, if it may be the default: float32 or float64."""
    resolved = as_dtype(dtype)
    if resolved not in FLOAT_DTYPES:
        raise TypeError(f'The default dtype must be "float32" or "float64". Got {dtype!r} instead.')
    return resolved


def set_default_dtype(dtype) -> None:
    """Make ``dtype`` the default for new floating tensors and layers.

    Parameters
    ----------
    dtype : str or numpy dtype
        "float32" (the library's default) or "float64" (for gradient checks).

    Raises
    ------
    TypeError
        For any other dtype.
    """
    STATE.set("default_dtype", _float_dtype(dtype))


def manual_seed(seed: int) -> None:
    """Reseed the default generator, used wherever no ``seed=``/``rng=`` is passed.

    Outside an ``nl.config`` block this reseeds the process-wide generator; inside one, the
    block's generator of the calling thread (see the module docstring).

    Parameters
    ----------
    seed : int
        The seed of the new ``numpy.random.Generator``; the same seed gives the same draws.
    """
    STATE.set("rng", np.random.default_rng(seed))


def default_generator() -> np.random.Generator:
    """The generator drawn from when no ``seed=``/``rng=`` is given, as this thread sees it."""
    return STATE.rng


def get_rng(seed=None, rng=None) -> np.random.Generator:
    """The generator a random function should draw from.

    ``rng`` (a Generator) wins; else a new generator from ``seed`` (an int, or a Generator for
    convenience); else the default generator. Passing both is an error.
    """
    if rng is not None and seed is not None:
        raise TypeError("Pass either seed= or rng=, not both.")
    if rng is not None:
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator. Got {type(rng).__name__}.")
        return rng
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None:
        return np.random.default_rng(seed)
    return STATE.rng


def is_grad_enabled() -> bool:
    """True unless inside ``no_grad()``: operations record the graph for backward."""
    return GRAD_MODE.enabled


class _GradMode(contextlib.ContextDecorator):
    """Context manager and decorator that sets gradient recording on or off, then restores it."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __enter__(self) -> None:
        GRAD_MODE.saved.append(GRAD_MODE.enabled)
        GRAD_MODE.enabled = self.enabled
        if not self.enabled:
            with _OPEN_NO_GRAD_LOCK:
                OPEN_NO_GRAD[0] += 1

    def __exit__(self, *exc) -> None:
        GRAD_MODE.enabled = GRAD_MODE.saved.pop()
        if not self.enabled:
            with _OPEN_NO_GRAD_LOCK:
                OPEN_NO_GRAD[0] -= 1


def no_grad() -> _GradMode:
    """Turn off graph recording: ``with nl.no_grad(): ...`` (or as a decorator).

    Inside, operations produce tensors without history, which saves time and memory for
    evaluation and for in-place parameter updates.
    """
    return _GradMode(False)


def enable_grad() -> _GradMode:
    """Turn graph recording back on inside a ``no_grad`` block."""
    return _GradMode(True)


@contextlib.contextmanager
def config(*, dtype=None, seed: int | None = None) -> Iterator[None]:
    """Change the default dtype and/or use a freshly seeded default generator inside a block,
    for the calling thread only.

    The thread's previous values come back on exit, whatever happens inside; other threads
    never see the block's values (see the module docstring)::

        with nl.config(dtype="float64", seed=0):
            w = nl.randn(3, 2)   # float64, reproducible

    Parameters
    ----------
    dtype : str or numpy dtype, optional
        The default floating dtype inside the block, "float32" or "float64"; unchanged if None.
    seed : int, optional
        Seed of a fresh default generator for the block; the current one is kept if None.

    Raises
    ------
    TypeError
        For a dtype other than float32 or float64.
    """
    settings = THREAD_SETTINGS
    new_dtype = None if dtype is None else _float_dtype(dtype)
    settings.saved.append((settings.default_dtype, settings.rng))
    with _OPEN_CONFIG_LOCK:
        OPEN_CONFIG[0] += 1
    try:
        if new_dtype is not None:
            settings.default_dtype = new_dtype
        if seed is not None:
            settings.rng = np.random.default_rng(seed)
        yield
    finally:
        settings.default_dtype, settings.rng = settings.saved.pop()
        with _OPEN_CONFIG_LOCK:
            OPEN_CONFIG[0] -= 1
