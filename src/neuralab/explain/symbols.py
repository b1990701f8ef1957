"""Names for the elements of a traced graph: the course's for an MLP, generated ones else.

The course writes one hidden layer as inputs x1, x2, ..., hidden z1, a1, ..., weights w11
(input 1 to hidden unit 1), w21, ..., biases b1, ...; a single output unit as z, ŷ, weights w1,
w2, ... and bias b. Deeper networks put the layer in brackets: z[2]_1, a[2]_1, w[2]_12.

Any other graph names its tensors by their ``name`` (``nl.tensor(..., name="w")``), or, if
unnamed, by the op that made them ("sigmoid", "add2"), by their value for one-number
constants ("2"), as θ (parameters) or x (data); the loss is "L". An element of a tensor
with several is written w[0,1].
"""

from __future__ import annotations

from ..autograd.tensor import Tensor


class CourseSymbols:
    """The course's names for the units and parameters of a network with these layer widths."""

    def __init__(self, widths: list[int]) -> None:
        self.widths = widths  # [n_in, n_1, ..., n_L]
        self.depth = len(widths) - 1
        self.sep = "," if max(widths) > 9 else ""

    def _layer(self, layer: int) -> str:
        """"" where the course writes no layer (a single neuron, the hidden layer of a one-hidden-
        layer net, a single output unit), else "[l]"."""
        output = layer == self.depth
        plain = (self.depth == 1 or (output and self.widths[-1] == 1)
                 or (self.depth == 2 and not output))
        return "" if plain else f"[{layer}]"

    def _unit(self, layer: int, j: int, letter: str) -> str:
        if layer == self.depth and self.widths[-1] == 1:
            return letter
        tag = self._layer(layer)
        return f"{letter}{tag}_{j + 1}" if tag else f"{letter}{j + 1}"

    def x(self, i: int) -> str:
        return f"x{i + 1}"

    def z(self, layer: int, j: int) -> str:
        return self._unit(layer, j, "z")

    def a(self, layer: int, j: int) -> str:
        if layer == self.depth:
            return "ŷ" if self.widths[-1] == 1 else f"ŷ{j + 1}"
        return self._unit(layer, j, "a")

    def inp(self, layer: int, i: int) -> str:
        """The symbol of input i of ``layer`` (x_i for the first, a of the previous else)."""
        return self.x(i) if layer == 1 else self.a(layer - 1, i)

    def w(self, layer: int, i: int, j: int) -> str:
        tag = self._layer(layer)
        if layer == self.depth and self.widths[-1] == 1:
            return f"w{tag}{'_' if tag else ''}{i + 1}"
        return f"w{tag}{'_' if tag else ''}{i + 1}{self.sep}{j + 1}"

    def b(self, layer: int, j: int) -> str:
        if layer == self.depth and self.widths[-1] == 1:
            return "b"
        tag = self._layer(layer)
        return f"b{tag}_{j + 1}" if tag else f"b{j + 1}"


def element(name: str, index: tuple, size: int) -> str:
    """``name`` for a one-element tensor, else name[i,j] (row-major indices)."""
    return name if size == 1 else f"{name}[{','.join(str(i) for i in index)}]"


class GraphNames:
    """Symbols for every element of a graph's tensors, made once per tensor.

    Parameters
    ----------
    root : Tensor
        The loss, named "L" unless it has a name.
    nodes : list of Tensor
        The graph's tensors in creation order (the counters follow it).
    """

    def __init__(self, root: Tensor, nodes: list[Tensor]) -> None:
        self.base: dict[Tensor, str] = {}
        counts: dict[str, int] = {}
        for node in nodes:
            if node.name:
                label = node.name
            elif node is root:
                label = "L"
            elif self.is_constant(node):
                self.base[node] = f"{node.data.item():g}"  # the 2 of 2 * x
                continue
            else:
                label = node.op or ("θ" if node.requires_grad else "x")  # a parameter, data
            counts[label] = counts.get(label, 0) + 1
            self.base[node] = label if counts[label] == 1 else f"{label}{counts[label]}"

    @staticmethod
    def is_constant(tensor: Tensor) -> bool:
        """An unnamed one-number leaf without gradient: a constant, named by its value."""
        return tensor.is_leaf and not tensor.name and tensor.size == 1 and (
            not tensor.requires_grad)

    def __call__(self, tensor: Tensor, index: tuple) -> str:
        return element(self.base[tensor], index, tensor.size)

    def target(self, node: Tensor, index: tuple) -> str:
        """The target of loss ``node`` at ``index``: "y", or y[i] when it has several."""
        target = node._params.get("y", node._params.get("target"))
        size = 1 if target is None else target.size
        return element("y", index, size)
