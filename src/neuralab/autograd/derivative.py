"""Each op's local derivatives one element at a time: the formula as text and its value.

``backward`` multiplies whole gradient arrays; a teaching view (``nl.explain.trace``) needs the
same derivatives element by element, written out: dŷ/dz = ŷ(1-ŷ) = 0.105. An op provides them
with a static method next to its backward::

    @staticmethod
    def local(site):
        out = site.saved                          # what forward saved: σ(z)
        return site.elementwise(out * (1 - out), "{out}(1-{out})")

``site`` says which element of which input the derivative is taken with respect to; ``local``
returns one :class:`Local` per output element that this input element feeds, with the value
computed from what forward saved (the very numbers backward uses) and a formula whose
``{placeholders}`` name other elements of the graph: the trace replaces them by the symbols it
gives those elements ("a1", "w[0,1]").
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Local:
    """d out[out_index] / d input[index]: its value and its formula.

    Attributes
    ----------
    out_index : tuple of int
        The output element.
    value : float
    formula : str
        Text with ``{name}`` placeholders, one per key of ``refs``.
    refs : dict
        placeholder -> (which, index): ``which`` is ``"out"`` (the op's output), an int (that
        input), or ``"target"`` (a loss's target, e.g. y).
    """

    out_index: tuple
    value: float
    formula: str
    refs: dict = field(default_factory=dict)


@dataclass
class Site:
    """Where a local derivative is taken: input ``wrt`` at element ``index`` of one node.

    Attributes
    ----------
    saved : object
        What the op's forward saved.
    params : dict
        The op's keyword parameters (``axis``, ``alpha``, ``y``, ...).
    wrt : int
        Which input.
    index : tuple of int
        The input element.
    in_shapes : tuple of tuple
        The shapes of all inputs.
    out_shape : tuple
    """

    saved: object
    params: dict
    wrt: int
    index: tuple
    in_shapes: tuple
    out_shape: tuple

    def fed(self) -> list[tuple]:
        """The output elements that input element ``index`` reaches under broadcasting."""
        shape = self.in_shapes[self.wrt]
        lead = len(self.out_shape) - len(shape)
        axes = []
        for axis, size in enumerate(self.out_shape):
            k = axis - lead
            if k < 0 or (shape[k] == 1 and size != 1):
                axes.append(range(size))
            else:
                axes.append((self.index[k],))
        return list(itertools.product(*axes))

    def at(self, which: int, out_index: tuple) -> tuple:
        """The element of input ``which`` that broadcasting pairs with ``out_index``."""
        shape = self.in_shapes[which]
        tail = out_index[len(out_index) - len(shape):]
        return tuple(0 if size == 1 else i for size, i in zip(shape, tail, strict=True))

    def elementwise(self, values, formula: str) -> list[Local]:
        """The locals of an element-wise op: ``values`` (broadcastable to the output) holds
        d out/d input at each output element. In ``formula``, ``{out}`` is the output element
        and ``{in0}``, ``{in1}``, ... the inputs' elements at the same place."""
        values = np.broadcast_to(np.asarray(values), self.out_shape)
        locals_ = []
        for out in self.fed():
            refs = {"out": ("out", out)}
            refs.update({f"in{k}": (k, self.at(k, out)) for k in range(len(self.in_shapes))})
            used = {key: ref for key, ref in refs.items() if "{" + key + "}" in formula}
            locals_.append(Local(out, float(values[out]), formula, used))
        return locals_

    def constant(self, value: float, formula: str) -> list[Local]:
        """The same derivative (1 for an add, 1/n for a mean) at every element it feeds."""
        return [Local(out, value, formula) for out in self.fed()]


def flat_position(index: tuple, shape: tuple) -> int:
    """The row-major position of ``index`` in an array of ``shape``."""
    return int(np.ravel_multi_index(index, shape)) if shape else 0


def unravel(position: int, shape: tuple) -> tuple:
    """The index of row-major ``position`` in an array of ``shape``."""
    return tuple(int(i) for i in np.unravel_index(position, shape)) if shape else ()
