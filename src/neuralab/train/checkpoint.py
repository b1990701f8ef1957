"""Training checkpoints: the whole state of a run in one safetensors file.

A run's state is a nested dict (model weights, optimizer buffers, scheduler, epoch, generator
states, callback states). :func:`pack` stores its arrays as safetensors tensors under their path
("model/0.weight", "optimizer/state/0/momentum_buffer") and everything else as one JSON document
in the metadata, where each array is replaced by a ``{"__array__": path}`` reference;
:func:`unpack` reverses it. No pickle anywhere, so loading a checkpoint cannot run code.

A checkpoint read from disk may be damaged or hostile: :func:`load_checkpoint` checks that the
state has the parts a run needs, of the right types, and :func:`restore` applies it to a run as
one transaction -- if any part does not fit (another model, optimizer or set of callbacks), the
run is put back as it was and a ``ModelFileError`` says which part failed.
"""

from __future__ import annotations

import json

import numpy as np

from ..io import CHECKPOINT_FORMAT as FORMAT
from ..io import ModelFileError, parse_json, read_safetensors, write_safetensors

#: the parts of a run's state, with the type each must have (None allowed for the scheduler)
PARTS = {"epoch": int, "model": dict, "optimizer": dict, "scheduler": (dict, type(None)),
         "loader": dict, "generators": list, "callbacks": list}
#: parts that checkpoints of older versions lack
OPTIONAL_PARTS = {"seed": (int, type(None)), "default_generator": dict}


def pack(state: dict) -> tuple[dict[str, np.ndarray], str]:
    """Split a nested state into ``(arrays by path, JSON text)``."""
    arrays: dict[str, np.ndarray] = {}

    def walk(node, path: str):
        if isinstance(node, np.ndarray):
            arrays[path] = node
            return {"__array__": path}
        if isinstance(node, dict):
            if all(isinstance(k, str) for k in node):
                return {k: walk(v, f"{path}/{k}") for k, v in node.items()}
            return {"__items__": [[k, walk(v, f"{path}/{k}")] for k, v in node.items()]}
        if isinstance(node, list | tuple):
            return [walk(v, f"{path}/{i}") for i, v in enumerate(node)]
        if isinstance(node, np.generic):
            return node.item()
        return node

    tree = walk(state, "")
    return {k.lstrip("/"): v for k, v in arrays.items()}, json.dumps(tree)


def unpack(arrays: dict[str, np.ndarray], text: str, path="the checkpoint") -> dict:
    """Rebuild the nested state that :func:`pack` split.

    Raises
    ------
    ModelFileError
        If the JSON is invalid or too deeply nested, or refers to an array the file lacks.
    """

    def walk(node):
        if isinstance(node, dict):
            if "__array__" in node:
                name = node["__array__"]
                if not isinstance(name, str) or name.lstrip("/") not in arrays:
                    raise ModelFileError(f"{str(path)!r}: its state refers to the array "
                                         f"{name!r}, which the file does not hold.")
                return arrays[name.lstrip("/")]
            if "__items__" in node:
                items = node["__items__"]
                if not (isinstance(items, list)
                        and all(isinstance(i, list) and len(i) == 2 for i in items)):
                    raise ModelFileError(f"{str(path)!r}: its state has a malformed mapping.")
                return {_key(k, path): walk(v) for k, v in items}
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    tree = parse_json(text, "training state", path)
    try:
        return walk(tree)
    except RecursionError:
        raise ModelFileError(f"{str(path)!r}: its training state is nested too deeply.") from None


def _key(key, path):
    """A key of a non-string mapping (JSON gives numbers or strings; a list cannot be one)."""
    if isinstance(key, list | dict):
        raise ModelFileError(f"{str(path)!r}: its state has a mapping keyed by {key!r}.")
    return key


def save_checkpoint(path, state: dict, architecture: dict) -> None:
    """Write ``state`` (with the model's architecture, so ``nl.load`` can read it) atomically."""
    arrays, text = pack(state)
    metadata = {"format": FORMAT, "architecture": json.dumps(architecture), "state": text}
    write_safetensors(path, arrays, metadata)


def check_state(state, path) -> dict:
    """``state`` if it has every part of a run's state with the right type, else an error."""
    if not isinstance(state, dict):
        raise ModelFileError(f"{str(path)!r}: its training state is not a JSON object.")
    parts = [(part, kind, True) for part, kind in PARTS.items()]
    parts += [(part, kind, False) for part, kind in OPTIONAL_PARTS.items()]
    for part, kind, required in parts:
        if part not in state and not required:
            continue
        value = state.get(part)
        if part not in state or not isinstance(value, kind) or isinstance(value, bool):
            raise ModelFileError(
                f"{str(path)!r} is not a usable checkpoint: its state's {part!r} is "
                f"{type(value).__name__ if part in state else 'missing'}; a checkpoint written "
                "by ModelCheckpoint has epoch, model, optimizer, scheduler, loader, generators "
                "and callbacks (and seed and default_generator since they were added)."
            )
    if state["epoch"] < 0 or not all(isinstance(v, np.ndarray) for v in state["model"].values()):
        raise ModelFileError(f"{str(path)!r} is not a usable checkpoint: a negative epoch or "
                             "model weights that are not arrays.")
    return state


def load_checkpoint(path) -> tuple[dict, dict]:
    """Read a checkpoint: ``(state, metadata)``; refuses files that are not checkpoints, and
    states without the parts (and types) that :func:`restore` needs."""
    arrays, metadata = read_safetensors(path)
    if metadata.get("format") != FORMAT or "state" not in metadata:
        raise ModelFileError(
            f"{str(path)!r} is not a neuralab training checkpoint (write one with "
            "ModelCheckpoint, or pass a model file to nl.load instead)."
        )
    return check_state(unpack(arrays, metadata["state"], path), path), metadata


def restore(run, state: dict, path) -> None:
    """Put ``state`` (from :func:`load_checkpoint`) into ``run`` with ``run.resume``, all of
    it or nothing: if a part fails, the run's own state from before is put back.

    Raises
    ------
    ModelFileError
        If a part does not fit this run (another architecture, optimizer, scheduler, number of
        dropout generators or callbacks); the run is left exactly as it was.
    """
    before = run.state()
    try:
        run.resume(state)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as err:
        run.resume(before)
        raise ModelFileError(
            f"{str(path)!r} does not fit this run, so nothing was resumed (the model, optimizer "
            f"and callbacks are as they were): {type(err).__name__}: {err}"
        ) from None
