"""Trace once, replay many times: a recorded training step run again on new batches, without
building tensors.

A training loop over a fixed network computes the same graph at every batch: the same ops, in
the same order, on arrays of the same kinds. :meth:`Replay.trace` reads that graph off one
eager step (the tensors remember their op, parents and op parameters) and flattens it into a
list of instructions over numbered slots. :meth:`Replay.run` then executes the list on the next
batch: each op's ``forward`` on arrays, then each op's ``backward`` in reverse order, and stores
the parameters' gradients in ``.grad`` -- exactly the arrays the eager step would produce, but
without creating a Tensor per op, walking a heap or checking the inputs again.

Speed: on the 2-4-1 XOR step the forward, loss and backward take a quarter fewer instructions
than ``model(x)`` / ``loss.backward()`` (190k against 254k); ``nl.fit`` uses it once its first
batch has run eagerly.

A trace is only valid for a *static* step. The caller guarantees the modules compute the same
ops for every batch with no hidden state (fit: ``train/loop.py: STATIC_MODULES``); the trace
checks the rest and returns None when the graph cannot be replayed: every leaf must be a model
parameter (read live at every run) or the batch input itself, and the loss op must have
received the batch targets unchanged.
"""

from __future__ import annotations

from itertools import chain

import numpy as np

from .backward import accumulate, unit_seed
from .tensor import Tensor

#: the op parameter that carries a loss's targets (see ``ops/loss.py``)
TARGET_PARAMS = ("y", "target")


class Replay:
    """A flattened training step: ``run(x, y)`` does zero_grad + forward + loss + backward.

    Values live in a list of slots: the parameters' arrays (``params[i]`` in slot i), the
    batch input, then each op's output in creation order. The plans hold what
    each op needs, as tuples (unpacking a tuple is the cheapest way to fetch them in Python):
    ``(forward, input slots, op parameters)`` in order and ``(backward, input slots, needs,
    output slot)`` in reverse order; the loss, the last op, gets the batch targets.
    """

    def __init__(self, params, ops, output_slot, target_key) -> None:
        *body, (loss_op, loss_inputs, loss_params, loss_needs) = ops
        self.params = params
        self._trainable = [param.requires_grad for param in params]  # as traced
        first = len(params) + 1  # the slot of the first op's output
        self._forward_plan = [(op.forward, inputs, op_params)
                              for op, inputs, op_params, _ in body]
        self._backward_plan = [(op.backward, inputs, needs, first + k)
                               for k, (op, inputs, _, needs) in reversed(list(enumerate(body)))]
        self._target_key = target_key
        self._loss_forward = loss_op.forward
        self._loss_step = (loss_op.backward, loss_inputs, loss_needs, None)
        self._loss_inputs = loss_inputs
        self._loss_params = {k: v for k, v in loss_params.items() if k != target_key}
        self._output_slot = output_slot

    @classmethod
    def trace(cls, loss: Tensor, output: Tensor, params, x: np.ndarray,
              y: np.ndarray) -> Replay | None:
        """Flatten the graph of ``loss`` (computed eagerly from batch ``x`` with targets ``y``).

        ``output`` is the model's output inside that graph and ``params`` the model's
        parameters. Returns None when the graph is not a static step (see the module docstring).
        """
        nodes = _graph_nodes(loss)
        params = list(params)
        slots = {param: index for index, param in enumerate(params)}
        ops = []
        for node in nodes:
            if node._op is not None:
                slots[node] = len(params) + 1 + len(ops)
                ops.append((node._op, tuple(slots[p] for p in node._parents), node._params,
                            node._needs))
            elif node.data is x:
                slots[node] = len(params)
            elif node not in slots:
                return None  # a constant, or data from the batch in another form
        loss_params = ops[-1][2] if ops and nodes[-1] is loss else {}
        target_key = next((key for key in TARGET_PARAMS if key in loss_params), None)
        if target_key is None or loss_params[target_key] is not y or output not in slots:
            return None
        return cls(params, ops, slots[output], target_key)

    def run(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float] | None:
        """One step on batch ``(x, y)``: sets every parameter's ``.grad`` (as after
        ``zero_grad()`` and ``loss.backward()``) and returns ``(model output, loss value)``.

        Returns None, doing nothing, when a parameter was frozen or unfrozen since the trace
        (``requires_grad`` changed): the graph would differ, so the caller must trace again.
        """
        if [param.requires_grad for param in self.params] != self._trainable:
            return None
        values = [param.data for param in self.params]
        values.append(x)
        saved = []
        for forward, inputs, params in self._forward_plan:
            out, kept = forward(*[values[i] for i in inputs], **params)
            values.append(out)
            saved.append(kept)
        loss, loss_kept = self._loss_forward(*[values[i] for i in self._loss_inputs],
                                             **{self._target_key: y}, **self._loss_params)
        seed = unit_seed(loss)  # loss: a NumPy scalar (it has ndim and dtype)
        grads = [None] * len(values)
        steps = chain(((self._loss_step, loss_kept),),
                      zip(self._backward_plan, reversed(saved)))  # noqa: B905
        for (backward, inputs, needs, out), kept in steps:
            grad = seed if out is None else grads[out]
            if grad is None:
                continue
            for slot, input_grad in zip(inputs, backward(kept, grad, needs)):  # noqa: B905
                if input_grad is not None:
                    earlier = grads[slot]
                    grads[slot] = input_grad if earlier is None else earlier + input_grad
        stored = {id(seed)}
        for param, grad in zip(self.params, grads):  # noqa: B905 (grads is longer)
            param.grad = None
            if grad is not None and param.requires_grad:
                accumulate(param, grad, stored)
        return values[self._output_slot], float(loss)


def _graph_nodes(root: Tensor) -> list[Tensor]:
    """Every tensor ``root`` was computed from (and root), in creation order."""
    seen = {root}
    stack = [root]
    while stack:
        for parent in stack.pop()._parents:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return sorted(seen, key=lambda t: t._seq)
