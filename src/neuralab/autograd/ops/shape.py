"""Ops that move elements without computing new values: reshape, transpose, indexing, joining.

Their backward routes each gradient element back to where its value came from.
"""

from __future__ import annotations

import numpy as np

from ..derivative import Local, flat_position, unravel
from ..function import Op, ShapeError


class Reshape(Op):
    """z = a viewed with another shape;  the gradient is reshaped back."""

    name = "reshape"

    @staticmethod
    def forward(a, shape):
        return a.reshape(shape), a.shape

    @staticmethod
    def backward(in_shape, grad, needs):
        return (grad.reshape(in_shape),)

    @staticmethod
    def local(site):
        position = flat_position(site.index, site.in_shapes[0])
        return [Local(unravel(position, site.out_shape), 1.0, "1")]


class Transpose(Op):
    """z = a with its axes permuted;  the gradient is permuted by the inverse permutation.

    The permutation is normalised to positive axes first: the inverse of (-2, -1, 1, 0) on a
    4-D array is the argsort of (2, 3, 1, 0), not of the negative numbers themselves.
    """

    name = "transpose"

    @staticmethod
    def forward(a, axes):
        axes = tuple(range(a.ndim))[::-1] if axes is None else _permutation(axes, a.ndim)
        return a.transpose(axes), axes

    @staticmethod
    def backward(axes, grad, needs):
        return (grad.transpose(np.argsort(axes)),)

    @staticmethod
    def local(site):
        return [Local(tuple(site.index[axis] for axis in site.saved), 1.0, "1")]


def _permutation(axes, ndim: int) -> tuple:
    """``axes`` (negatives allowed) as a permutation of 0..ndim-1, or a ShapeError naming why
    it is not one."""
    if len(axes) != ndim or any(not -ndim <= int(ax) < ndim for ax in axes):
        raise ShapeError(
            f"transpose: a tensor with {ndim} axes needs a permutation of {ndim} axes, each in "
            f"[-{ndim}, {ndim - 1}]; got {tuple(axes)}."
        )
    positive = tuple(int(ax) % ndim for ax in axes)
    if len(set(positive)) != ndim:
        raise ShapeError(f"transpose: axes {tuple(axes)} name the same axis twice.")
    return positive


def _is_basic(index) -> bool:
    """True for basic indexing (ints, slices, None, ...): no element is selected twice."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(
        isinstance(p, int | np.integer | slice) or p is None or p is Ellipsis for p in parts
    )


class GetItem(Op):
    """z = a[index];  dL/da is zero except at the selected positions, which get dL/dz.

    With integer-array indexing an element may be selected several times; its gradient is then
    the sum over the selections (``np.add.at``), since each copy contributed to the loss.
    """

    name = "getitem"

    @staticmethod
    def forward(a, index):
        return a[index], (a.shape, a.dtype, index)

    @staticmethod
    def backward(saved, grad, needs):
        shape, _dtype, index = saved
        out = np.zeros(shape, dtype=grad.dtype)
        if _is_basic(index):
            out[index] = grad
        else:
            np.add.at(out, index, grad)
        return (out,)

    @staticmethod
    def local(site):
        shape, _dtype, index = site.saved
        positions = np.arange(int(np.prod(shape))).reshape(shape)[index]
        hits = np.argwhere(positions == flat_position(site.index, shape))
        return [Local(tuple(int(i) for i in hit), 1.0, "1") for hit in hits]


class Concatenate(Op):
    """z = [a1, a2, ...] joined along ``axis``;  each input gets its own slice of the gradient."""

    name = "concatenate"

    @staticmethod
    def forward(*arrays, axis):
        sizes = [a.shape[axis] for a in arrays]
        return np.concatenate(arrays, axis=axis), (np.cumsum(sizes)[:-1], axis)

    @staticmethod
    def backward(saved, grad, needs):
        cuts, axis = saved
        return tuple(np.split(grad, cuts, axis=axis))

    @staticmethod
    def local(site):
        cuts, axis = site.saved
        offset = int(cuts[site.wrt - 1]) if site.wrt else 0
        axis %= len(site.out_shape)
        index = site.index
        return [Local((*index[:axis], index[axis] + offset, *index[axis + 1:]), 1.0, "1")]


class Stack(Op):
    """z = [a1, a2, ...] stacked along a new ``axis``;  input i gets the gradient's slice i."""

    name = "stack"

    @staticmethod
    def forward(*arrays, axis):
        return np.stack(arrays, axis=axis), axis

    @staticmethod
    def backward(axis, grad, needs):
        return tuple(np.moveaxis(grad, axis, 0))

    @staticmethod
    def local(site):
        axis = site.saved % len(site.out_shape)
        return [Local((*site.index[:axis], site.wrt, *site.index[axis:]), 1.0, "1")]
