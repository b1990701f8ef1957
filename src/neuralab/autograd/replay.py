"""Trace once, replay many times: a recorded training step run again on new batches, without
building tensors.

A training loop over a fixed network computes the same graph at every batch: the same ops, in
the same order, on arrays of the same kinds. :meth:`Replay.trace` reads that graph off one
eager step (the tensors remember their op, parents and op parameters) and flattens it into a
list of instructions over numbered slots, which it compiles into one straight-line Python
function (``Replay.source``). :meth:`Replay.run` then executes it on the next batch: each op's
``forward`` on arrays, then each op's ``backward`` in reverse order, and stores the
parameters' gradients in ``.grad`` -- exactly the arrays the eager step would produce, but
without creating a Tensor per op, walking a heap or checking the inputs again.

Speed: on the 2-4-1 XOR step the forward, loss and backward take a quarter fewer instructions
than ``model(x)`` / ``loss.backward()`` (190k against 254k) walking the instruction list, and
about 3 µs less again compiled (14.5 µs against 17.5 µs); ``nl.fit`` uses it once its first
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
from functools import lru_cache
from operator import attrgetter
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
    """A forward instruction: ``out, saved = forward(*inputs' values, **params)``; with
    ``in_place``, ``out=`` its input's array too (see :func:`_in_place`)."""

    forward: Callable
    inputs: tuple[int, ...]  # the slots of its inputs
    params: dict
    in_place: bool


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

    Values are numbered slots: the parameters' arrays (``params[i]`` in slot i), the batch
    input, then each op's output in creation order. The plans hold what each op needs as named
    tuples: :class:`Forward` instructions in order, and :class:`Backward` instructions in
    reverse order (the loss, the last op, gets the batch targets). They are compiled into one
    Python function with a local variable per slot (see ``_compile``).

    Attributes
    ----------
    params : list of Tensor
    source : str
        The compiled step's Python source.
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
        in_place = _in_place(ops, first, output_slot)[:-1]
        self._forward_plan = [Forward(op.op.forward, op.inputs, op.params, writes)
                              for op, writes in zip(body, in_place, strict=True)]
        self._backward_plan = [  # the loss's first, its output gradient the seed
            Backward(op.op.backward, op.inputs, op.needs, None if op is loss else first + k,
                     extra) for k, (op, extra) in enumerate(zip(ops, extras, strict=True))][::-1]
        self._target_key = target_key
        self._loss_forward = loss.op.forward
        self._loss_inputs = loss.inputs
        self._loss_params = {k: v for k, v in loss.params.items() if k != target_key}
        self._output_slot = output_slot
        self.source, self._step = _compile(self, len(params))

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
        if list(map(_requires_grad, self.params)) != self._trainable:
            return None
        if self.pack is not None:  # the compiled step reads and writes the pack's views
            return self._step(x, y) if self.pack.intact() else None
        output, loss, seed, grads = self._step(*map(_data, self.params), x, y)
        stored = {id(seed)}
        for param, grad in zip(self.params, grads):  # noqa: B905 (grads is longer)
            param.grad = None
            if grad is not None and param.requires_grad:
                accumulate(param, grad, stored)
        return output, float(loss)


def _compile(replay: Replay, n_params: int) -> tuple[str, Callable]:
    """The plans as one straight-line Python function, and its source.

    ``step(*parameter arrays, x, y) -> (output, loss, seed, parameter gradients)``: one line
    per forward instruction, then one per backward instruction, each value and gradient in a
    local variable named after its slot (``v3``, ``g3``) instead of a list of slots -- the
    same calls in the same order as walking the plans, without the loop, the gathering and
    the slot lists around them (print ``replay.source`` to read it). Every gradient starts as
    None, an op whose output got no gradient is skipped, and a slot used by several ops sums
    their gradients in the order the plan meets them, as the walk does.

    With a pack the step is ``step(x, y) -> (output, loss value)``: it reads the parameters'
    values from the pack's views and leaves every gradient in the pack (see
    :func:`_pack_gradients`), so the caller passes and receives no per-parameter lists.
    """
    constants = {"unit_seed": unit_seed, "copyto": np.copyto}
    x_slot = n_params
    values = [f"v{i}" for i in range(n_params)]
    pack = replay.pack
    if pack is None:
        lines = [f"def step({', '.join([*values, 'x', 'y'])}):"]
    else:  # the parameters' values are the pack's views, as long as the pack is intact
        constants["VALUES"] = pack.value_views
        lines = ["def step(x, y):", f"    {', '.join(values)}, = VALUES"]
    lines.append(f"    v{x_slot} = x")
    slot = x_slot
    for k, instruction in enumerate(replay._forward_plan):
        slot = x_slot + 1 + k
        constants[f"F{slot}"] = instruction.forward
        inputs = instruction.inputs
        keywords = []
        for name, value in instruction.params.items():
            constants[f"P{slot}_{name}"] = value
            keywords.append(f"{name}=P{slot}_{name}")
        if instruction.in_place:
            keywords.append(f"out=v{inputs[0]}")
        arguments = ", ".join([f"v{i}" for i in inputs] + keywords)
        lines.append(f"    v{slot}, s{slot} = F{slot}({arguments})")
    loss_slot = slot + 1
    constants["FL"] = replay._loss_forward
    keywords = [f"{replay._target_key}=y"]
    for name, value in replay._loss_params.items():
        constants[f"PL_{name}"] = value
        keywords.append(f"{name}=PL_{name}")
    arguments = ", ".join([f"v{i}" for i in replay._loss_inputs] + keywords)
    lines.append(f"    loss, s{loss_slot} = FL({arguments})")
    lines.append(f"    seed = g{loss_slot} = unit_seed(loss)")
    uses = Counter(i for instruction in replay._backward_plan for i in instruction.inputs)
    lines.append("    " + " = ".join(f"g{i}" for i in range(loss_slot)) + " = None")
    for instruction in replay._backward_plan:
        out = loss_slot if instruction.output is None else instruction.output
        constants[f"B{out}"], constants[f"N{out}"] = instruction.backward, instruction.needs
        extra = ""
        if instruction.extra:
            constants[f"E{out}"] = instruction.extra[0]
            extra = f", E{out}"
        targets, sums = [], []
        for position, i in enumerate(instruction.inputs):
            if uses[i] == 1:
                targets.append(f"g{i}")
            else:  # summed over its uses
                targets.append(f"t{position}")
                sums.append(f"        if t{position} is not None:\n"
                            f"            g{i} = t{position} if g{i} is None else g{i} + "
                            f"t{position}")
        lines.append(f"    if g{out} is not None:")
        lines.append(f"        {', '.join(targets)}, = B{out}(s{out}, g{out}, N{out}{extra})")
        lines.extend(sums)
    output = f"v{replay._output_slot}"
    if pack is None:
        grads = "".join(f"g{i}, " for i in range(n_params))
        lines.append(f"    return {output}, loss, seed, ({grads})")
    else:
        lines.extend(_pack_gradients(replay, constants))
        lines.append(f"    return {output}, float(loss)")
    source = "\n".join(lines) + "\n"
    exec(_compiled(source), constants)  # our own source, written from the trace
    return source, constants["step"]


@lru_cache(maxsize=256)
def _compiled(source: str):
    """The code object of a step's source: compiling costs more than a tiny model's whole
    epoch, and every fit call of the same network traces the same source."""
    return compile(source, "<replayed step>", "exec")


def _pack_gradients(replay: Replay, constants: dict) -> list[str]:
    """The lines that end a packed step: each parameter's gradient lands in its view of the
    pack's gradient buffer and becomes its ``.grad``.

    Gradients that an op wrote through ``out`` are the views already; the others (summed
    over several uses, or from an op without ``out``) are copied in. The parameters are
    linked to their views at every step, as ``backward()`` would set them, so code that
    replaced a ``.grad`` between steps sees the new gradient.
    """
    written = {id(view) for extra in replay._backward_plan if extra.extra
               for view in extra.extra[0] if view is not None}
    lines = []
    for index, (param, view) in enumerate(zip(replay.params, replay.pack.grad_views,
                                              strict=True)):
        constants[f"G{index}"], constants[f"T{index}"] = view, param
        if id(view) not in written:
            lines.append(f"    copyto(G{index}, g{index}, casting='same_kind')")
        lines.append(f"    T{index}.grad = G{index}")
    return lines


def _in_place(ops, first: int, output_slot: int) -> list[bool]:
    """Per op, whether its forward may write its result into its input's array: the op takes
    ``out`` in forward (an activation), its one input is the output of an op that does not
    keep that output (``output_saved = False``: the fused linear), of one floating dtype, and
    no other op -- nor the caller, as the model's output -- reads that array again."""
    uses = Counter(slot for op in ops for slot in op.inputs)
    flags = []
    for op in ops:
        source = op.inputs[0] if len(op.inputs) == 1 else None
        producer = ops[source - first] if source is not None and source >= first else None
        flags.append(op.op.forward_accepts_out and producer is not None
                     and not producer.op.output_saved and uses[source] == 1
                     and source != output_slot and len(op.dtypes) == 1
                     and next(iter(op.dtypes)).kind == "f")
    return flags


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
