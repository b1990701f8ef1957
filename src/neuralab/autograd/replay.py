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

Traced with a ``ParameterPack`` (``optim/packing.py``: the parameters as views of one flat
array), the replay writes every parameter's gradient into the pack's flat gradient buffer: ops
that accept ``out`` (the fused linear) write there directly, others are copied in. The
gradient norm and the optimizer's update then take one NumPy call each over the whole model.

A trace is only valid for a *static* step. The caller guarantees the modules compute the same
ops for every batch with no hidden state (fit: each module class's ``static_graph``, see
``train/step.py``); the trace
checks the rest and returns None when the graph cannot be replayed: every leaf must be a model
parameter (read live at every run) or the batch input itself, and the loss op must have
received the batch targets unchanged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from operator import attrgetter, itemgetter
from typing import NamedTuple

import numpy as np

from .backward import accumulate, unit_seed
from .tensor import Tensor

_data, _requires_grad = attrgetter("data"), attrgetter("requires_grad")

#: the op parameter that carries a loss's targets (see ``ops/loss.py``)
TARGET_PARAMS = ("y", "target")


class TracedOp(NamedTuple):
    """One op of the traced graph, as read off its output tensor."""

    op: type  # the Op class (``function.py``): its forward and backward
    inputs: tuple[int, ...]  # the slots of its inputs
    params: dict  # its op parameters (a loss's targets among them)
    needs: tuple[bool, ...]  # which inputs need a gradient
    dtypes: set  # the dtypes of its inputs and output


class Forward(NamedTuple):
    """A forward instruction: ``out, saved = forward(*gather(values), **params)``."""

    forward: Callable
    gather: Callable  # values -> the op's inputs (see _gatherer)
    params: dict


class Backward(NamedTuple):
    """A backward instruction: ``backward(saved, grad, needs, *extra)`` gives the gradients
    of the inputs in ``inputs`` from the gradient of the output in slot ``output``."""

    backward: Callable
    inputs: tuple[int, ...]
    needs: tuple[bool, ...]
    output: int | None  # None for the loss, whose gradient is the seed 1
    extra: tuple  # (out,) for an op that writes parameter gradients into the pack, else ()


class Replay:
    """A flattened training step: ``run(x, y)`` does zero_grad + forward + loss + backward.

    Values live in a list of slots: the parameters' arrays (``params[i]`` in slot i), the
    batch input, then each op's output in creation order. The plans hold what each op needs
    as named tuples (a tuple unpacks faster than attributes are read, so ``run`` unpacks them):
    :class:`Forward` instructions in order, and :class:`Backward` instructions in reverse
    order. The loss, the last op, gets the batch targets.

    Attributes
    ----------
    params : list of Tensor
    pack : ParameterPack or None
        The pack whose gradient buffer every run fills (None: each parameter's ``.grad`` is an
        array of its own).
    """

    def __init__(self, params, ops, output_slot, target_key, pack) -> None:
        self.params = params
        self._trainable = [param.requires_grad for param in params]  # as traced
        self.pack = pack if pack is not None and _fills_every_gradient(ops, params) else None
        extras = _gradient_outputs(ops, params, self.pack)
        first = len(params) + 1  # the slot of the first op's output
        *body, loss = ops
        self._forward_plan = [Forward(op.op.forward, _gatherer(op.inputs), op.params)
                              for op in body]
        self._backward_plan = [  # the loss's first, its output gradient the seed
            Backward(op.op.backward, op.inputs, op.needs, None if op is loss else first + k,
                     extra) for k, (op, extra) in enumerate(zip(ops, extras, strict=True))][::-1]
        self._target_key = target_key
        self._loss_forward = loss.op.forward
        self._loss_gather = _gatherer(loss.inputs)
        self._loss_params = {k: v for k, v in loss.params.items() if k != target_key}
        self._output_slot = output_slot

    @classmethod
    def trace(cls, loss: Tensor, output: Tensor, params, x: np.ndarray, y: np.ndarray,
              pack=None) -> Replay | None:
        """Flatten the graph of ``loss`` (computed eagerly from batch ``x`` with targets ``y``).

        ``output`` is the model's output inside that graph and ``params`` the model's
        parameters. Returns None when the graph is not a static step (see the module docstring).
        With ``pack``, a ``ParameterPack`` of exactly ``params``, every run writes the gradients
        into ``pack.grad`` -- when every parameter gets a gradient in this graph; otherwise
        the replay's ``pack`` is None and each gradient is an array of its own.
        """
        nodes = _graph_nodes(loss)
        params = list(params)
        slots = {param: index for index, param in enumerate(params)}
        ops = []
        for node in nodes:
            if node._op is not None:
                slots[node] = len(params) + 1 + len(ops)
                ops.append(TracedOp(node._op, tuple(slots[p] for p in node._parents),
                                    node._params, node._needs,
                                    {node.data.dtype, *(p.data.dtype for p in node._parents)}))
            elif node.data is x:
                slots[node] = len(params)
            elif node not in slots:
                return None  # a constant, or data from the batch in another form
        loss_params = ops[-1].params if ops and nodes[-1] is loss else {}
        target_key = next((key for key in TARGET_PARAMS if key in loss_params), None)
        if target_key is None or loss_params[target_key] is not y or output not in slots:
            return None
        return cls(params, ops, slots[output], target_key, pack)

    def run(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float] | None:
        """One step on batch ``(x, y)``: sets every parameter's ``.grad`` (as after
        ``zero_grad()`` and ``loss.backward()``) and returns ``(model output, loss value)``.

        Returns None, doing nothing, when a parameter was frozen or unfrozen since the trace
        (``requires_grad`` changed): the graph would differ, so the caller must trace again;
        likewise when a parameter was given a new array and so left the pack.
        """
        if list(map(_requires_grad, self.params)) != self._trainable or (
                self.pack is not None and not self.pack.intact()):
            return None
        values = list(map(_data, self.params))
        values.append(x)
        saved = []
        for forward, gather, params in self._forward_plan:
            out, kept = forward(*gather(values), **params)
            values.append(out)
            saved.append(kept)
        loss, loss_kept = self._loss_forward(*self._loss_gather(values),
                                             **{self._target_key: y}, **self._loss_params)
        seed = unit_seed(loss)  # loss: a NumPy scalar (it has ndim and dtype)
        grads = [None] * len(values)
        saved.append(loss_kept)
        for (backward, inputs, needs, out, extra), kept in zip(  # noqa: B905
                self._backward_plan, reversed(saved)):
            grad = seed if out is None else grads[out]
            if grad is None:
                continue
            for slot, input_grad in zip(inputs, backward(kept, grad, needs, *extra)):  # noqa: B905
                if input_grad is not None:
                    earlier = grads[slot]
                    grads[slot] = input_grad if earlier is None else earlier + input_grad
        if self.pack is not None:
            for param, grad, view in zip(self.params, grads, self.pack.grad_views):  # noqa: B905
                if grad is not view:  # summed from several uses, or from an op without out
                    np.copyto(view, grad, casting="same_kind")
                param.grad = view
        else:
            stored = {id(seed)}
            for param, grad in zip(self.params, grads):  # noqa: B905 (grads is longer)
                param.grad = None
                if grad is not None and param.requires_grad:
                    accumulate(param, grad, stored)
        return values[self._output_slot], float(loss)


def _gatherer(slots: tuple[int, ...]):
    """A function values -> the sequence of ``values[i]`` for ``i`` in ``slots``: an
    itemgetter, which costs a third of a list comprehension per op. (With one slot, a slice
    gives the one-element list that a plain index would not.)"""
    if len(slots) == 1:
        return itemgetter(slice(slots[0], slots[0] + 1))
    return itemgetter(*slots)


def _fills_every_gradient(ops, params) -> bool:
    """Whether every parameter requires grad and is an input of some op that needs its
    gradient (a parameter left out would keep a stale gradient in the pack)."""
    used = {slot for op in ops for slot, needed in zip(op.inputs, op.needs, strict=True)
            if needed}
    return all(param.requires_grad for param in params) and used >= set(range(len(params)))


def _gradient_outputs(ops, params, pack) -> list[tuple]:
    """Per op, its backward's extra arguments: ``(out,)`` with the pack's gradient views for the
    parameters it alone uses -- if it accepts ``out`` and computes in the pack's dtype -- else
    ``()``. A parameter used by several ops gets the sum of their gradients, so no op writes
    it directly."""
    if pack is None:
        return [()] * len(ops)
    uses = Counter(slot for op in ops for slot in op.inputs)
    extras = []
    for op in ops:
        out = tuple(pack.grad_views[slot] if slot < len(params) and uses[slot] == 1 else None
                    for slot in op.inputs)
        writes = (op.op.accepts_out and op.dtypes == {pack.data.dtype}
                  and any(view is not None for view in out))
        extras.append((out,) if writes else ())
    return extras


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
