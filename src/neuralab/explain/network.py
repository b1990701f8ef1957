"""The trace of an MLP: one example through a Sequential, named with the course's symbols.

A layer is one ``Linear`` with what follows it (see ``_stages``): its output z, and a its
activation's. The example runs forward in evaluation mode (Dropout passes values through),
the loss is built as ``fit`` builds it, and the chains are read from that graph
(:mod:`.graph`); this module only gives the elements their names and orders the rows as the
model's parameters.
"""

from __future__ import annotations

import numpy as np

from .._config import enable_grad
from .._stages import Stage, loss_function, split_stages
from ..autograd.tensor import Tensor
from ..nn import Dropout, Identity, LeakyReLU, ReLU, Sigmoid, Tanh
from .graph import Chains, Graph
from .records import ForwardStep, Trace
from .symbols import CourseSymbols

_ACTIVATIONS = (Sigmoid, Tanh, ReLU, LeakyReLU, Identity)


def _check_traceable(stages: list[Stage]) -> None:
    for stage in stages:
        activations = 0
        for name, module in stage.after:
            if isinstance(module, Dropout):
                continue
            if not isinstance(module, _ACTIVATIONS):
                hint = (" Trace the loss tensor instead, computed in evaluation mode (with "
                        "model.evaluating(): nl.explain.trace(loss)), or use "
                        "nl.diagnostics.report." if type(module).__name__ == "BatchNorm1d" else
                        " Drop the Softmax: trace works on logits with loss='cross_entropy'."
                        if type(module).__name__ == "Softmax" else "")
                raise TypeError(
                    f"trace supports Linear layers followed by one element-wise activation "
                    f"(Sigmoid, Tanh, ReLU, LeakyReLU, Identity) and Dropout; module {name!r} is "
                    f"a {type(module).__name__}.{hint}"
                )
            activations += 1
        if activations > 1:
            raise TypeError(
                f"trace supports one activation per layer; layer {stage.number} has {activations}."
            )


def _targets(y, kind: str, width: int) -> np.ndarray:
    """The example's target as a float vector of the output's width (one-hot for classes)."""
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    if kind == "cross_entropy" and y.size == 1:
        label = int(y[0])
        if not 0 <= label < width or label != y[0]:
            raise ValueError(f"The class label must be an integer in 0..{width - 1}; got {y[0]}.")
        return np.eye(width)[label]
    if y.size != width:
        raise ValueError(
            f"The target needs {width} value(s), one per output unit; got {y.size}."
        )
    return y


class _Names:
    """The course's symbol of each element of the network's tensors: ``of[tensor]`` maps an
    element's index to its symbol; the loss is L."""

    def __init__(self, width_out: int) -> None:
        self.width_out = width_out
        self.of: dict[Tensor, object] = {}

    def __call__(self, tensor: Tensor, index: tuple) -> str:
        name = self.of.get(tensor)
        return "L" if name is None else name(index)

    def target(self, node: Tensor, index: tuple) -> str:
        return "y" if self.width_out == 1 else f"y{index[-1] + 1}"


def _example(stages: list[Stage], x) -> np.ndarray:
    dtype = stages[0].linear.weight.dtype
    x = np.asarray(x.data if isinstance(x, Tensor) else x, dtype=dtype).reshape(1, -1)
    if x.shape[1] != stages[0].linear.in_features:
        raise ValueError(
            f"trace needs one example with {stages[0].linear.in_features} features; got "
            f"{x.shape[1]} values. Pass a single row, e.g. X[0]."
        )
    return x


def trace_network(model, x, y, loss, wanted) -> Trace:
    """:func:`neuralab.explain.trace` for a Sequential (see there)."""
    stages = split_stages(model, "trace")
    _check_traceable(stages)
    loss_fn, kind = loss_function(loss, stages)
    if kind == "custom":
        raise ValueError(
            "trace names the loss's derivative with the course's formula, so it needs a known "
            "loss: 'bce', 'bce_with_logits', 'mse' or 'cross_entropy' (or their nn modules)."
        )
    x = _example(stages, x)
    widths = [x.shape[1]] + [s.width for s in stages]
    sym = CourseSymbols(widths)
    target = _targets(y, kind, widths[-1])
    names = _Names(widths[-1])
    with model.evaluating(), enable_grad():
        out = Tensor(x)
        names.of[out] = lambda index: sym.x(index[-1])
        steps = [ForwardStep(0, "input", [sym.x(i) for i in range(widths[0])],
                             x[0].astype(np.float64).tolist())]
        for stage in stages:
            layer, units = stage.number, range(stage.width)
            names.of[stage.linear.weight] = lambda index, layer=layer: sym.w(layer, *index)
            if stage.linear.bias is not None:
                names.of[stage.linear.bias] = lambda index, layer=layer: sym.b(layer, index[0])
            out = z = stage.linear(out)
            names.of[z] = lambda index, layer=layer: sym.z(layer, index[-1])
            steps.append(ForwardStep(layer, "linear", [sym.z(layer, j) for j in units],
                                     z.data[0].astype(np.float64).tolist()))
            for _, module in stage.after:
                out = module(out)
            if out is not z:  # an activation (nn.Identity and Dropout return z itself)
                names.of[out] = lambda index, layer=layer: sym.a(layer, index[-1])
                steps.append(ForwardStep(layer, type(stage.activation).__name__.lower(),
                                         [sym.a(layer, j) for j in units],
                                         out.data[0].astype(np.float64).tolist()))
        if kind == "cross_entropy":
            labels = Tensor(np.array([int(np.argmax(target))]))
        else:  # a Tensor: a loss module would turn a float64 array into float32
            labels = Tensor(target.reshape(1, -1).astype(out.dtype))
        loss_tensor = loss_fn(out, labels)
        chains = Chains(Graph(loss_tensor), names, names.target)
    trace = Trace(steps, kind, loss_tensor.item(), target.tolist())
    for stage in stages:
        trace.rows += _rows(chains, stage, widths, sym, wanted)
    if wanted is not None and not trace.rows:
        params = [f"{n}[i,j]" for n, _ in model.named_parameters()]
        raise ValueError(
            f"No parameter matches {wanted!r}. Give a name such as {params[0]!r} with an "
            f"element index, a whole parameter ({', '.join(n[:-5] for n in params)}), or a "
            "course symbol such as 'w11'."
        )
    return trace


def _rows(chains: Chains, stage: Stage, widths: list[int], sym: CourseSymbols, wanted) -> list:
    """The chains of the layer's weights (row-major) and biases that ``wanted`` selects."""
    layer = stage.number
    entries = [(f"{stage.name}.weight[{i},{j}]", sym.w(layer, i, j), stage.linear.weight, (i, j),
                "weight") for i in range(widths[layer - 1]) for j in range(widths[layer])]
    if stage.linear.bias is not None:
        entries += [(f"{stage.name}.bias[{j}]", sym.b(layer, j), stage.linear.bias, (j,), "bias")
                    for j in range(widths[layer])]
    return [chains.row(param, index, name, symbol)
            for name, symbol, param, index, kind in entries
            if wanted is None or wanted in (name, symbol, f"{stage.name}.{kind}")]
