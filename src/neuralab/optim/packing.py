"""Parameters packed into one flat array while ``fit`` trains, so that whole-model work is one
NumPy call instead of one per parameter.

A training step touches every parameter several times after backward: the global gradient
norm ‖g‖ = sqrt(Σ_i g_i·g_i) and the optimizer's update w ← w − η d. Done parameter by
parameter, that is a few NumPy calls per parameter, and on small networks each call costs far
more in dispatch than in arithmetic. With every parameter's values as a view of one array and
every gradient as a view of another, the same arithmetic over the concatenation is one call::

    data = [W1.ravel() | b1 | W2.ravel() | b2]       W1 is data[0:8].reshape(2, 4), ...
    grad = [dW1.ravel() | db1 | dW2.ravel() | db2]   (the replay writes each gradient here)

    ‖g‖ = sqrt(grad · grad)            w ← w − η d     as   data -= η · direction

The pack has ``data`` and ``grad`` like a parameter, so an optimizer's update rule runs on it
unchanged, as on one big parameter (see ``optimizer.py``).

Speed: on the 2-4-1 XOR step the norm and the SGD update drop from about 62,000 instructions
to about 16,000 (see docs/performance.md).

The pack is temporary: :meth:`unpack` copies the values back into the parameters' own arrays
and hands those back, so a reference to ``layer.weight.data`` taken before ``fit`` sees the
trained values afterwards, as it would with per-parameter updates. Meanwhile it holds one
extra copy of the parameters (the flat arrays, beside the parameters' own ones) and one of
their gradients.
"""

from __future__ import annotations

import math
from operator import attrgetter, is_

import numpy as np

_data = attrgetter("data")


def shared_dtype(params) -> np.dtype | None:
    """The dtype all of ``params`` (tensors) share, or None when they differ (or are none): only
    parameters of one dtype can live in one flat array."""
    dtypes = {param.data.dtype for param in params}
    return dtypes.pop() if len(dtypes) == 1 else None


def split(flat: np.ndarray, shapes: list[tuple]) -> list[np.ndarray]:
    """``flat`` cut into consecutive views, one of each shape (their sizes must add up)."""
    ends = np.cumsum([math.prod(shape) for shape in shapes])
    return [flat[end - math.prod(shape):end].reshape(shape)
            for shape, end in zip(shapes, ends, strict=True)]


class ParameterPack:
    """The values and gradients of ``params`` as views of two flat arrays.

    Build one with :meth:`pack`; while :meth:`intact` holds, ``param.data`` of ``params[i]`` is
    ``value_views[i]``, a view of ``data``, and writing ``grad_views[i]`` writes ``grad``.

    Attributes
    ----------
    params : list of Tensor
    data, grad : ndarray, 1-D
        Every parameter's values (and gradient) in the order of ``params``, each raveled.
    value_views, grad_views : list of ndarray
        One view per parameter, in its shape.
    sizes : list of int
        The number of elements of each parameter.
    """

    def __init__(self, params: list) -> None:
        self.params = params
        self.sizes = [param.data.size for param in params]
        self._homes = [param.data for param in params]  # the arrays handed back by unpack()
        self.data = np.concatenate([param.data.ravel() for param in params])
        self.grad = np.zeros_like(self.data)
        shapes = [param.shape for param in params]
        self.value_views = split(self.data, shapes)
        self.grad_views = split(self.grad, shapes)
        for param, view in zip(params, self.value_views, strict=True):
            param.data = view

    @classmethod
    def pack(cls, params) -> ParameterPack | None:
        """Pack ``params`` (a list of tensors), or return None when they cannot share one array:
        when there are none or their dtypes differ."""
        params = list(params)
        if shared_dtype(params) is None:
            return None
        return cls(params)

    def intact(self) -> bool:
        """Whether every parameter's ``data`` is still its view (code that assigns a new array to
        ``param.data`` unlinks that parameter from the pack)."""
        return all(map(is_, map(_data, self.params), self.value_views))

    def unpack(self) -> None:
        """Copy the values back into the parameters' own arrays and make those their ``data``
        again; parameters that were given another array meanwhile keep it."""
        for param, home, view in zip(self.params, self._homes, self.value_views, strict=True):
            if param.data is view:
                np.copyto(home, view)
                param.data = home
            if param.grad is not None and param.grad.base is self.grad:
                param.grad = param.grad.copy()  # each gradient its own array again
