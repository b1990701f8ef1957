"""The recorded graph below a loss, walked element by element along the chain rule.

Nothing here knows a derivative: each factor comes from the op that made the node
(``op.local``, see :mod:`neuralab.autograd.derivative`), and the gradients to compare with come
from ``backward()`` itself. The walk starts at one element of a parameter and follows the
graph towards the loss. While the current element feeds exactly one element of the next node,
the chain gains that local derivative: dz1/dw11, then da1/dz1, and so on. Where it feeds
several (a hidden unit read by every unit of the next layer, a value used twice), the chain
rule sums over the uses, and the chain ends with that sum,

    dL/da1 = Σ_k dz_k/da1 · dL/dz_k,

whose local derivatives are again the ops' and whose dL/dz_k are the gradients backward
computed at those nodes.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..autograd.backward import RELEASED
from ..autograd.derivative import Local, Site
from ..autograd.tensor import Tensor
from .records import Factor, ParameterTrace
from .report import paren

#: a branch sum lists at most this many terms, then elides the middle ones
MAX_TERMS = 4


class Graph:
    """The nodes that ``root`` (a one-element loss) was computed from, and who reads whom.

    Parameters
    ----------
    root : Tensor
        The loss: one element, computed with gradients recorded and not yet released by a
        ``backward()`` without ``retain_graph=True``.

    Attributes
    ----------
    nodes : list of Tensor
        Every tensor of the graph (leaves included), in creation order.
    grads : dict
        tensor -> dL/d(tensor) from ``backward()``, for every tensor that requires grad.
    """

    def __init__(self, root: Tensor) -> None:
        if not isinstance(root, Tensor):
            raise TypeError(f"trace takes a loss tensor or a model; got {type(root).__name__}.")
        if root.size != 1 or not root.requires_grad or root.is_leaf:
            raise ValueError(
                "trace(loss) needs the one-element result of a computation on tensors that "
                f"require grad (a loss); got a tensor of shape {root.shape}"
                + (" that records no graph." if root.is_leaf or not root.requires_grad else ".")
                + " Build it from tensors created with requires_grad=True, outside no_grad()."
            )
        self.root = root
        seen, stack = {root}, [root]
        while stack:
            for parent in stack.pop()._parents:
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        self.nodes = sorted(seen, key=lambda t: t._seq)
        self._readers: dict[Tensor, list[tuple[Tensor, int]]] = {t: [] for t in self.nodes}
        for node in self.nodes:
            if node._saved is RELEASED:
                raise RuntimeError(
                    "trace reads the values the graph's ops saved, but backward() has released "
                    "them. Trace the loss before calling backward(), or call "
                    "backward(retain_graph=True)."
                )
            for position, parent in enumerate(node._parents):
                if node._needs[position]:
                    self._readers[parent].append((node, position))
        self.grads = self._engine_gradients()

    def _engine_gradients(self) -> dict:
        """dL/d(every node) from ``backward()``, leaving every ``.grad`` as it was."""
        tracked = [t for t in self.nodes if t.requires_grad]
        state = [(t, t.grad, t._retain) for t in tracked]
        try:
            for t in tracked:
                t.grad = None
                t._retain = t._retain or not t.is_leaf
            self.root.backward(retain_graph=True)
            return {t: np.zeros(t.shape) if t.grad is None else t.grad for t in tracked}
        finally:
            for t, grad, retain in state:
                t.grad, t._retain = grad, retain

    def leaves(self) -> list[Tensor]:
        """The tensors the loss can be differentiated by (parameters), in creation order."""
        return [t for t in self.nodes if t.is_leaf and t.requires_grad]

    def uses(self, tensor: Tensor, index: tuple) -> list[tuple[Tensor, Local]]:
        """Every (node, local derivative) through which element ``index`` of ``tensor`` reaches
        the loss: one per output element it feeds, of each node that reads it."""
        found = []
        for node, position in self._readers[tensor]:
            local = getattr(node._op, "local", None)
            if local is None:
                raise TypeError(
                    f"trace cannot write out the local derivatives of the op {node.op!r}: it "
                    "defines no local(site) (see neuralab.autograd.derivative)."
                )
            site = Site(node._saved, node._params, position, index,
                        tuple(p.shape for p in node._parents), node.shape)
            found += [(node, entry) for entry in local(site)]
        return found


class Chains:
    """Builds the chain of one parameter element, naming elements with ``name``.

    Parameters
    ----------
    graph : Graph
    name : callable
        ``name(tensor, index) -> str``: the symbol of one element ("a1", "w[0,1]").
    target : callable
        ``target(node, index) -> str``: the symbol of a loss's target element ("y").
    """

    def __init__(self, graph: Graph, name: Callable, target: Callable) -> None:
        self.graph, self.name, self.target = graph, name, target

    def formula(self, node: Tensor, local: Local) -> str:
        """The local's formula with its placeholders replaced by symbols."""
        symbols = {}
        for key, (which, index) in local.refs.items():
            if which == "out":
                symbols[key] = self.name(node, index)
            elif which == "target":
                symbols[key] = self.target(node, index)
            else:
                symbols[key] = self.name(node._parents[which], index)
        return local.formula.format_map(symbols)

    def factors(self, tensor: Tensor, index: tuple) -> list[Factor]:
        """The local derivatives from element ``index`` of ``tensor`` to the loss."""
        factors = []
        while tensor is not self.graph.root:
            here = self.name(tensor, index)
            uses = self.graph.uses(tensor, index)
            if len(uses) != 1:
                factors.append(self._branch(here, uses))
                break
            node, local = uses[0]
            factors.append(Factor(f"d{self.name(node, local.out_index)}/d{here}",
                                  self.formula(node, local), local.value))
            tensor, index = node, local.out_index
        return factors

    def _branch(self, here: str, uses: list[tuple[Tensor, Local]]) -> Factor:
        """dL/d(here) = Σ over its uses of (local derivative) · dL/d(use), from the graph."""
        terms, value = [], 0.0
        for node, local in uses:
            value += local.value * float(self.graph.grads[node][local.out_index])
            use = self.name(node, local.out_index)
            formula = self.formula(node, local)
            terms.append(f"{paren(formula)}·dL/d{use}" if formula != "1" else f"dL/d{use}")
        if len(terms) > MAX_TERMS:
            terms = [*terms[:2], "…", terms[-1]]
        text = " + ".join(terms) if terms else "0 (it does not reach L)"
        return Factor(f"dL/d{here}", text, value)

    def row(self, tensor: Tensor, index: tuple, name: str, symbol: str) -> ParameterTrace:
        """The chain of one parameter element next to autograd's gradient of it."""
        factors = self.factors(tensor, index)
        product = math.prod(f.value for f in factors)
        autograd = float(self.graph.grads[tensor][index])
        return ParameterTrace(name, symbol, factors, product, autograd)
