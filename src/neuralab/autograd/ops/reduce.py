"""Reductions: sum, mean, max, min over all elements or chosen axes."""

from __future__ import annotations

import numpy as np

from ..derivative import Local
from ..function import Op, quiet


def _normalize_axis(axis, ndim: int) -> tuple:
    """``axis`` (None, an int or a tuple, negatives allowed) as a sorted tuple of positive axes."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, int | np.integer) else tuple(axis)
    for a in axes:
        if not -ndim <= a < ndim:
            raise np.exceptions.AxisError(f"axis {a} is out of bounds for a tensor of {ndim} dims")
    return tuple(sorted({int(a) % ndim for a in axes}))


def _expand_to(grad, in_shape: tuple, axes: tuple, keepdims: bool) -> np.ndarray:
    """Broadcast the gradient of a reduction back over the axes it removed (a read-only view)."""
    if not keepdims and axes:
        grad = np.expand_dims(grad, axes)
    return np.broadcast_to(grad, in_shape)


def _reduced(index: tuple, axes: tuple, keepdims: bool) -> tuple:
    """The output element of a reduction over ``axes`` that input element ``index`` joins."""
    if keepdims:
        return tuple(0 if axis in axes else i for axis, i in enumerate(index))
    return tuple(i for axis, i in enumerate(index) if axis not in axes)


class Sum(Op):
    """z = Σ a over ``axes``;  dz/da_i = 1 for every element that was summed."""

    name = "sum"

    @staticmethod
    @quiet
    def forward(a, axis, keepdims):
        axes = _normalize_axis(axis, a.ndim)
        return a.sum(axis=axes, keepdims=keepdims), (a.shape, axes, keepdims)

    @staticmethod
    def backward(saved, grad, needs):
        in_shape, axes, keepdims = saved
        return (_expand_to(grad, in_shape, axes, keepdims),)

    @staticmethod
    def local(site):
        _, axes, keepdims = site.saved
        return [Local(_reduced(site.index, axes, keepdims), 1.0, "1")]


class Mean(Op):
    """z = (1/n) Σ a over ``axes`` (n elements);  dz/da_i = 1/n."""

    name = "mean"

    @staticmethod
    @quiet
    def forward(a, axis, keepdims):
        axes = _normalize_axis(axis, a.ndim)
        count = int(np.prod([a.shape[i] for i in axes])) if axes else 1
        return a.mean(axis=axes, keepdims=keepdims), (a.shape, axes, keepdims, count)

    @staticmethod
    def backward(saved, grad, needs):
        in_shape, axes, keepdims, count = saved
        return (_expand_to(grad / count, in_shape, axes, keepdims),)

    @staticmethod
    def local(site):
        _, axes, keepdims, count = site.saved
        return [Local(_reduced(site.index, axes, keepdims), 1.0 / count, f"1/{count}")]


class _Extremum(Op):
    """Shared backward of max and min: the gradient flows to the element(s) that were chosen.

    When several elements tie for the extremum, the gradient is split equally among them (the
    average of the one-sided derivatives), so ``x.max()`` of a constant tensor spreads 1/n.
    """

    reduce = staticmethod(np.max)

    @classmethod
    def forward(cls, a, axis, keepdims):
        axes = _normalize_axis(axis, a.ndim)
        kept = cls.reduce(a, axis=axes, keepdims=True)
        kept_shape = [n for i, n in enumerate(a.shape) if i not in axes]
        out = kept if keepdims else kept.reshape(kept_shape)
        return out, (a, kept, axes, keepdims)

    @staticmethod
    def backward(saved, grad, needs):
        a, kept, axes, keepdims = saved
        chosen = a == kept
        share = chosen / chosen.sum(axis=axes, keepdims=True)
        return (_expand_to(grad, a.shape, axes, keepdims) * share.astype(a.dtype, copy=False),)

    @classmethod
    def local(cls, site):
        a, kept, axes, keepdims = site.saved
        chosen = a == kept
        share = (chosen / chosen.sum(axis=axes, keepdims=True))[site.index]
        return [Local(_reduced(site.index, axes, keepdims), float(share),
                      f"[{{in0}} is the {cls.name}] / ties", {"in0": (0, site.index)})]


class Max(_Extremum):
    """z = max a over ``axes``;  dz/da_i = 1 for the maximal element (shared on ties), else 0."""

    name = "max"
    reduce = staticmethod(np.max)


class Min(_Extremum):
    """z = min a over ``axes``;  dz/da_i = 1 for the minimal element (shared on ties), else 0."""

    name = "min"
    reduce = staticmethod(np.min)
