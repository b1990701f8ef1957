"""A small builder of ONNX graphs on top of ``onnx.helper``: nodes, constants, unique names.

Every node made here has one output, named after a hint and made unique; constants become
graph initializers. :func:`module_nodes` adds the nodes of a neuralab module in evaluation mode.
"""

from __future__ import annotations

import numpy as np

from .._optional import require

#: the ONNX operator set the graphs use (and the IR version that goes with it: ONNX 1.12+)
OPSET = 17
IR_VERSION = 8


def onnx_module():
    return require("onnx", install='"neuralab[onnx]"', purpose="ONNX export (nl.onnx.export)")


class Graph:
    """Nodes and initializers of one graph whose float tensors have ``dtype``."""

    def __init__(self, dtype) -> None:
        self.dtype = np.dtype(dtype)
        self.nodes: list = []
        self.initializers: list = []
        self._names: set[str] = set()

    def name(self, hint: str) -> str:
        """``hint``, or ``hint_2``, ``hint_3``... if it is taken."""
        name, count = hint, 1
        while name in self._names:
            count += 1
            name = f"{hint}_{count}"
        self._names.add(name)
        return name

    def constant(self, array, hint: str, dtype=None) -> str:
        """An initializer holding ``array`` (in the graph's float dtype unless ``dtype``)."""
        from onnx import numpy_helper

        values = np.asarray(array, dtype=self.dtype if dtype is None else dtype)
        name = self.name(hint)
        self.initializers.append(numpy_helper.from_array(values, name))
        return name

    def node(self, op: str, inputs: list[str], hint: str, output: str | None = None,
             **attributes) -> str:
        """Add the node ``op(inputs)`` and return its output's name (``output`` if given)."""
        from onnx import helper

        name = self.name(output or hint)
        self.nodes.append(helper.make_node(op, inputs, [name], name=f"{name}_node",
                                           **attributes))
        return name

    def float_type(self) -> int:
        from onnx import helper

        return helper.np_dtype_to_tensor_dtype(self.dtype)


# ---------------------------------------------------------------------- neuralab modules
def _linear(graph: Graph, layer, x: str, where: str) -> str:
    """z = x W + b (W stored (in, out), as ONNX's MatMul takes it)."""
    z = graph.node("MatMul", [x, graph.constant(layer.weight.data, f"{where}weight")],
                   f"{where}matmul")
    if layer.bias is None:
        return z
    return graph.node("Add", [z, graph.constant(layer.bias.data, f"{where}bias")], f"{where}add")


def _batch_norm(graph: Graph, layer, x: str, where: str) -> str:
    """Evaluation mode: y = γ (x − running_mean) / sqrt(running_var + ε) + β."""
    n = layer.num_features
    scale = layer.weight.data if layer.affine else np.ones(n)
    shift = layer.bias.data if layer.affine else np.zeros(n)
    inputs = [graph.constant(scale, f"{where}scale"), graph.constant(shift, f"{where}shift"),
              graph.constant(layer.running_mean, f"{where}running_mean"),
              graph.constant(layer.running_var, f"{where}running_var")]
    return graph.node("BatchNormalization", [x, *inputs], f"{where}batch_norm",
                      epsilon=float(layer.eps))


def _step(graph: Graph, layer, x: str, where: str) -> str:
    """H(z) = 1 if z > 0 else 0."""
    positive = graph.node("Greater", [x, graph.constant(0.0, f"{where}zero")], f"{where}gt")
    return graph.node("Cast", [positive], f"{where}step", to=graph.float_type())


def _simple(op: str, **attributes_of):
    """A layer that is one ONNX op; ``attributes_of`` maps attribute -> function of the layer."""
    def emit(graph: Graph, layer, x: str, where: str) -> str:
        attributes = {key: get(layer) for key, get in attributes_of.items()}
        return graph.node(op, [x], f"{where}{op.lower()}", **attributes)
    return emit


#: module class name -> function adding its nodes (Sequential and MLP are walked instead)
EMITTERS = {
    "Linear": _linear,
    "BatchNorm1d": _batch_norm,
    "Step": _step,
    "Sigmoid": _simple("Sigmoid"),
    "Tanh": _simple("Tanh"),
    "ReLU": _simple("Relu"),
    "LeakyReLU": _simple("LeakyRelu", alpha=lambda layer: float(layer.alpha)),
    "Softmax": _simple("Softmax", axis=lambda layer: int(layer.axis)),
    "Identity": _simple("Identity"),
    "Dropout": lambda graph, layer, x, where: x,  # evaluation mode: y = x
}


def module_nodes(graph: Graph, module, x: str, where: str = "") -> str:
    """Add the nodes computing ``module(x)`` in evaluation mode; return the output's name.

    Raises
    ------
    TypeError
        For a module type without an ONNX translation, naming it and those there are.
    """
    from ..nn import Sequential

    if isinstance(module, Sequential):
        for index, layer in enumerate(module):
            x = module_nodes(graph, layer, x, f"{where}{index}.")
        return x
    emit = EMITTERS.get(type(module).__name__)
    if emit is None:
        raise TypeError(
            f"nl.onnx.export cannot translate a {type(module).__name__} (layer "
            f"{where.rstrip('.') or 'model'!r}). It translates Sequential, MLP and "
            f"{', '.join(EMITTERS)}."
        )
    return emit(graph, module, x, where)
