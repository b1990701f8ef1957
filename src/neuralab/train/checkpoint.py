"""Training checkpoints: the whole state of a run in one safetensors file.

A run's state is a nested dict (model weights, optimizer buffers, scheduler, epoch, generator
states, callback states). :func:`pack` stores its arrays as safetensors tensors under their path
("model/0.weight", "optimizer/state/0/momentum_buffer") and everything else as one JSON document
in the metadata, where each array is replaced by a ``{"__array__": path}`` reference;
:func:`unpack` reverses it. No pickle anywhere, so loading a checkpoint cannot run code.
"""

from __future__ import annotations

import json

import numpy as np

from ..io import CHECKPOINT_FORMAT as FORMAT
from ..io import ModelFileError, read_safetensors, write_safetensors


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


def unpack(arrays: dict[str, np.ndarray], text: str) -> dict:
    """Rebuild the nested state that :func:`pack` split."""

    def walk(node):
        if isinstance(node, dict):
            if "__array__" in node:
                return arrays[node["__array__"].lstrip("/")]
            if "__items__" in node:
                return {k: walk(v) for k, v in node["__items__"]}
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(json.loads(text))


def save_checkpoint(path, state: dict, architecture: dict) -> None:
    """Write ``state`` (with the model's architecture, so ``nl.load`` can read it) atomically."""
    arrays, text = pack(state)
    metadata = {"format": FORMAT, "architecture": json.dumps(architecture), "state": text}
    write_safetensors(path, arrays, metadata)


def load_checkpoint(path) -> tuple[dict, dict]:
    """Read a checkpoint: ``(state, metadata)``; refuses files that are not checkpoints."""
    arrays, metadata = read_safetensors(path)
    if metadata.get("format") != FORMAT or "state" not in metadata:
        raise ModelFileError(
            f"{str(path)!r} is not a neuralab training checkpoint (write one with "
            "ModelCheckpoint, or pass a model file to nl.load instead)."
        )
    return unpack(arrays, metadata["state"]), metadata
