"""The op contract every differentiable primitive follows, and the broadcasting helper they share.

An op is a class with two static methods that sit side by side, so that the forward formula and
its local derivative can be checked together:

``forward(*arrays, **params) -> (out, saved)``
    computes the output array from the input arrays and returns whatever ``backward`` will need
    (``saved``) -- and nothing more, so that the graph holds as little memory as possible.

``backward(saved, grad, needs) -> tuple``
    receives ``grad`` = dL/d(out) and returns one gradient dL/d(input_i) per input, in order.
    ``needs[i]`` is False when input *i* does not require a gradient (data, labels, constants):
    the op then returns ``None`` there and skips that work -- for ``x @ W`` on a first layer this
    saves a whole matrix product.

An op whose class sets ``accepts_out = True`` also takes ``backward(saved, grad, needs, out)``:
``out[i]`` is None or an array of input *i*'s shape and dtype to write that gradient into
(returned as the gradient). The trace-and-replay path (``replay.py``) uses it to have parameter
gradients land directly in one flat buffer.

An op whose class sets ``forward_accepts_out = True`` also takes ``forward(x, out=array)``:
it writes its result into ``out``, which may be its input ``x`` itself. The replay passes its
input there when nothing else will read that array again (see ``output_saved``): a
training step then allocates no new array for the activation. An op whose class sets
``output_saved = False`` promises that its ``saved`` never holds its own output array, so a
later op may overwrite that output (every other op may keep it, as the activations do).

``local(site) -> list of Local`` (optional)
    the same derivative one element at a time, as a value computed from ``saved`` and a
    formula, for the teaching views (``nl.explain.trace``); see ``derivative.py``.

Ops work on NumPy arrays only; :func:`neuralab.autograd.tensor.apply` wraps them into tensors and
records the graph. A backward never modifies ``grad`` in place: the same array may be handed to
several inputs.
"""

from __future__ import annotations

import functools

import numpy as np


class Op:
    """Base class of the differentiable primitives (see the module docstring for the contract)."""

    #: the name shown in graphs, traces and error messages, e.g. "matmul"
    name = "op"
    #: whether backward takes ``out`` (see the module docstring)
    accepts_out = False
    #: whether forward takes ``out``, possibly its own input (see the module docstring)
    forward_accepts_out = False
    #: whether ``saved`` may hold the output array itself (see the module docstring)
    output_saved = True

    @staticmethod
    def forward(*arrays, **params):  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    @staticmethod
    def backward(saved, grad, needs):  # pragma: no cover - every subclass overrides it
        raise NotImplementedError


def _make_quiet():
    """The :data:`quiet` decorator: ``np.errstate(all="ignore")`` around each call.

    ``np.errstate`` builds its floating-point state afresh at every call (≈ 0.5 µs, several
    times per training step of a small network). On NumPy 2, whose state is a context
    variable, the decorator below sets one state built once instead (≈ 0.1 µs), with the same
    meaning: set on entry, reset to the caller's on exit, per thread. Elsewhere (NumPy 1, or
    if NumPy's internals change) it is ``np.errstate`` itself.
    """
    try:
        from numpy._core._ufunc_config import _extobj_contextvar, _make_extobj

        state = _make_extobj(all="ignore")
    except (ImportError, TypeError, AttributeError):
        return np.errstate(all="ignore")

    def quiet(func):
        @functools.wraps(func)
        def in_quiet_state(*args, **kwargs):
            token = _extobj_contextvar.set(state)
            try:
                return func(*args, **kwargs)
            finally:
                _extobj_contextvar.reset(token)

        return in_quiet_state

    return quiet


#: Decorates an op's forward whose arithmetic meets ±inf or NaN (or overflows): the result is
#: the IEEE value PyTorch gives too (inf - inf = NaN, e^1000 = inf, ln 0 = -inf), quietly,
#: instead of a NumPy RuntimeWarning; the caller's floating-point state comes back on return
#: (thread-safe). Every backward runs inside one such state for the whole pass
#: (``backward.py``). The fused hot-path ops (linear, sigmoid, tanh, ReLU) do without it: see
#: their docstrings.
quiet = _make_quiet()


class NonDifferentiableError(RuntimeError):
    """Raised when backpropagation reaches an operation that has no usable derivative."""


class ShapeError(ValueError):
    """Raised when the shapes of an operation's inputs do not fit together."""


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``grad`` back to ``shape``, undoing NumPy broadcasting.

    If an input of shape ``shape`` was broadcast to the output's shape, every copy of an element
    contributed to the output, so its gradient is the *sum* over the copies:
    leading axes that broadcasting added are summed away, and axes where the input had size 1
    are summed with ``keepdims``. Returns ``grad`` itself (no copy) when nothing was broadcast.
    """
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    stretched = tuple(
        lead + i for i, size in enumerate(shape) if size == 1 and grad.shape[lead + i] != 1
    )
    axes = tuple(range(lead)) + stretched
    return grad.sum(axis=axes).reshape(shape) if axes else grad.reshape(shape)
