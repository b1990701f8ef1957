"""The backward pass: dL/d(every tensor) from dL/d(root), by the chain rule, node by node.

``Tensor.backward()`` calls :func:`run_backward`. Each op's backward turns the gradient of its
output into gradients of its inputs; this module only decides the order, sums the contributions
of tensors used several times, and stores the results in the leaves' ``.grad``.
"""

from __future__ import annotations

from heapq import heappop, heappush
from typing import TYPE_CHECKING

import numpy as np

from .function import quiet

if TYPE_CHECKING:
    from .tensor import Tensor

#: placed in a node's ``_saved`` once backward has released what its op saved
RELEASED = object()
#: the shared read-only dL/dL = 1 of scalar losses, one per dtype
_UNIT_SEEDS: dict[np.dtype, np.ndarray] = {}


def unit_seed(data: np.ndarray) -> np.ndarray:
    """dL/dL = 1 shaped like ``data``: one shared read-only array per dtype for scalar losses."""
    if data.ndim:
        return np.ones_like(data)
    seed = _UNIT_SEEDS.get(data.dtype)
    if seed is None:
        seed = _UNIT_SEEDS[data.dtype] = np.ones((), data.dtype)
        seed.flags.writeable = False
    return seed


@quiet
def run_backward(root: Tensor, seed: np.ndarray, retain_graph: bool) -> None:
    """Propagate ``seed`` = dL/droot through the graph, each node after all of its consumers.

    Tensors are numbered as they are created, so every op's inputs have smaller numbers than
    its output: a node's consumers always carry larger numbers. Popping nodes from a max-heap
    on that number is therefore a valid reverse topological order, found on the fly -- no
    separate graph sort, and no recursion, so a 10,000-op chain is fine. Leaves (parameters)
    never enter the heap: their contributions are summed aside and stored at the end, when no
    op will read a gradient again (so storing a shared array there is safe).
    Dictionaries are keyed by the tensors themselves (hashed by identity).

    The whole pass runs in one quiet floating-point state (:data:`function.quiet`): local
    derivatives at ±inf, 0 · inf and 1/0 give PyTorch's IEEE values without NumPy warnings,
    for one errstate per backward instead of one per op.
    """
    leaves: dict[Tensor, np.ndarray] = {}
    stored = {id(seed)}  # the seed may be shared (read-only): copy it wherever it lands
    if root._op is None:
        leaves[root] = seed
        heap = []
    else:
        pending: dict[Tensor, np.ndarray] = {root: seed}
        heap = [(-root._seq, root)]
    while heap:
        node = heappop(heap)[1]
        grad = pending.pop(node)
        if node._retain:
            leaves[node] = grad
        saved = node._saved
        if saved is RELEASED:
            raise RuntimeError(
                "backward() ran through this graph already and its saved values were released. "
                "Pass retain_graph=True to the first backward() to run it twice."
            )
        parent_grads = node._op.backward(saved, grad, node._needs)
        if not retain_graph:
            node._saved = RELEASED
        # zip() without keywords: strict= doubles its cost (~0.1 µs per node)
        for parent, parent_grad in zip(node._parents, parent_grads):  # noqa: B905
            if parent_grad is None or not parent.requires_grad:
                continue
            target = leaves if parent._op is None else pending
            earlier = target.get(parent)
            if earlier is not None:
                target[parent] = earlier + parent_grad
            else:
                target[parent] = parent_grad
                if target is pending:
                    heappush(heap, (-parent._seq, parent))
    for node, grad in leaves.items():
        accumulate(node, grad, stored)


def accumulate(node: Tensor, grad: np.ndarray, stored: set[int]) -> None:
    """Add ``grad`` into ``node.grad``, copying it first if it may be shared with another tensor.

    Ops may hand the very same array to several inputs (``a + b`` passes its gradient through to
    both) or return read-only broadcast views; a leaf's ``.grad`` must be its own writable array
    because optimizers and clipping update it in place. ``stored`` holds the ids of the arrays
    already given to other tensors in this backward pass (and of the seed). Views -- reshapes,
    slices, read-only broadcasts -- have a ``base`` and are copied too.
    """
    if type(grad) is not np.ndarray or grad.dtype != node.data.dtype:
        grad = np.array(grad, dtype=node.data.dtype)
    elif grad.base is not None or id(grad) in stored:
        grad = grad.copy()
    if node.grad is None:
        node.grad = grad
        stored.add(id(grad))
    else:
        node.grad += grad
