"""Backpropagation traced: the chain of local derivatives for one example, with numbers.

For a parameter θ the chain rule writes dL/dθ as a product of local derivatives, one per step
from θ to the loss. For the course's 2-2-1 network and the weight w11::

    dL/dw11 = dz1/dw11 · da1/dz1 · dz/da1 · dŷ/dz · dL/dŷ
            = x1 · a1(1 - a1) · w1 · ŷ(1 - ŷ) · -(y - ŷ)/(ŷ(1 - ŷ))

:func:`trace` reads these factors from the graph that autograd recorded: every op states its
own local derivative, as a formula and as a value computed from what its forward saved
(``op.local``, :mod:`neuralab.autograd.derivative`), e.g. dσ/dz = σ(z)(1 - σ(z)) from the saved
σ(z). The product of the factors is put next to the gradient that ``backward()`` computed for
the same graph: the two agree to rounding. So it works on any graph -- an MLP, a hand-built
neuron ``(x @ w + b).sigmoid()`` with its loss, a micrograd-style expression of numbers.

Where a value feeds several others (a hidden unit read by every unit of the next layer, a
number used twice), the chain branches; it then ends with the backprop sum

    dL/da_j = Σ_k dz_k/da_j · dL/dz_k

over the uses, with the dL/dz_k that backward computed there, so every factor is still one
number you can check.

Modules: :mod:`.graph` (the walk along the recorded graph), :mod:`.network` (a Sequential with
the course's symbols), :mod:`.symbols` (names), :mod:`.records` (what a trace holds),
:mod:`.report` (its printed form; the notebook display is ``neuralab._display.trace``).
"""

from __future__ import annotations

import numpy as np

from .._config import enable_grad
from ..autograd.tensor import Tensor
from .graph import Chains, Graph
from .network import trace_network
from .records import Factor, ForwardStep, ParameterTrace, Trace
from .symbols import GraphNames

__all__ = ["Factor", "ForwardStep", "ParameterTrace", "Trace", "trace"]


def trace(model, x=None, y=None, loss=None, param: str | None = None) -> Trace:
    """The chain rule for one example, factor by factor, next to autograd's gradient.

    Parameters
    ----------
    model : nn.Sequential, nn.MLP or Tensor
        A network of Linear layers, each followed by at most one element-wise activation
        (Sigmoid, Tanh, ReLU, LeakyReLU, Identity) and optionally Dropout (the trace runs in
        evaluation mode, where Dropout passes values through); BatchNorm1d, Softmax and Step
        are refused. Or a loss tensor: any one-element result of recorded operations, whose
        graph is traced as it is (then pass neither ``x``, ``y`` nor ``loss``).
    x : array-like of shape (n_in,) or (1, n_in)
        One example (for a network).
    y : number or array-like
        Its target: 0/1 (or one per output unit) for "bce"/"bce_with_logits", numbers for
        "mse", the class index for "cross_entropy".
    loss : str or loss module, optional
        Default: "bce" if the network ends with a Sigmoid (the course's network),
        "bce_with_logits" for one raw output, "cross_entropy" for several.
    param : str, optional
        Trace only this parameter: a name with its element ("0.weight[0,0]", "2.bias[0]"), a
        whole parameter ("0.weight") or a course symbol ("w11", "b"); for a loss tensor, a
        tensor's name ("w") or an element's symbol ("w[1,0]"). Default: all.

    Returns
    -------
    Trace
        ``str(trace)`` prints the report; ``trace.rows`` are the chains; ``trace.to_dict()`` is
        JSON-ready. The model, its mode and every ``.grad`` are left as they were.

    Examples
    --------
    >>> t = nl.explain.trace(net, [1.0, 0.0], 1.0, param="w11")
    >>> row = t["w11"]; row.product, row.autograd     # equal
    >>> w = nl.tensor([[0.3], [0.6]], dtype="float64", requires_grad=True, name="w")
    >>> y_hat = (nl.tensor([[1.0, 0.0]], dtype="float64") @ w).sigmoid()
    >>> nl.explain.trace(nl.functional.binary_cross_entropy(y_hat, [[1.0]]))["w[0,0]"]
    """
    if isinstance(model, Tensor):
        if x is not None or y is not None or loss is not None:
            raise TypeError(
                "trace(loss_tensor) traces the graph the loss was computed with; x, y and "
                "loss= are for a model: trace(model, x, y, loss=...)."
            )
        return _trace_graph(model, param)
    if x is None or y is None:
        raise TypeError("trace(model, x, y) needs one example x and its target y.")
    with enable_grad():  # the autograd side needs a graph even inside no_grad()
        return trace_network(model, x, y, loss, param)


def _trace_graph(root: Tensor, wanted) -> Trace:
    """The trace of ``root``'s graph as recorded, with generated names."""
    graph = Graph(root)
    names = GraphNames(root, graph.nodes)
    chains = Chains(graph, names, names.target)
    forward = []
    for node in graph.nodes:
        if node is root or (node.is_leaf and names.is_constant(node)):
            continue  # the loss has its own line; a constant such as 2 is its own name
        kind = node.op or ("parameter" if node.requires_grad else "input")
        forward.append(ForwardStep(len(forward), kind, [names(node, i) for i in _indices(node)],
                                   [float(v) for v in node.data.reshape(-1)]))
    target = root._params.get("y", root._params.get("target")) if root._params else None
    result = Trace(forward, root.op, float(root.item()),
                   [] if target is None else [float(v) for v in target.reshape(-1)])
    for leaf in graph.leaves():
        for index in _indices(leaf):
            symbol = names(leaf, index)
            if wanted is None or wanted in (symbol, names.base[leaf]):
                result.rows.append(chains.row(leaf, index, symbol, symbol))
    if wanted is not None and not result.rows:
        raise ValueError(
            f"No parameter matches {wanted!r}; the graph's parameters are "
            f"{[names.base[leaf] for leaf in graph.leaves()]} (name a whole one or an element "
            "such as 'w[0,1]')."
        )
    return result


def _indices(tensor: Tensor) -> list[tuple]:
    """Every element index of ``tensor``, row-major."""
    return [tuple(int(i) for i in index) for index in np.ndindex(tensor.shape)]
