"""Saving and loading models: safetensors for the numbers, JSON for the architecture, no pickle.

A model file is a standard ``.safetensors`` file: every parameter and buffer of the model's
``state_dict()`` under its dotted name, and in the file's metadata the architecture
(``model.to_config()`` as JSON) plus a format marker. Loading rebuilds the model from that JSON
and copies the numbers in; it never unpickles, so a model file cannot run code.

The same low-level reader and writer serve training checkpoints (``neuralab.train``).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import numpy as np

FORMAT = "neuralab-model"
FORMAT_VERSION = "1"
#: training checkpoints (neuralab.train) hold the model under "model/..." beside the run's state
CHECKPOINT_FORMAT = "neuralab-checkpoint"

#: first bytes of files that are not safetensors, with what they are and what to do
_FOREIGN_SIGNATURES = [
    (b"\x80", "a Python pickle (for example a file written with torch.save or pickle.dump)"),
    (b"PK\x03\x04", "a zip archive (PyTorch's .pt/.pth format, which holds pickles)"),
    (b"\x93NUMPY", "a NumPy .npy file"),
    (b"\x89HDF", "an HDF5 file (for example a Keras .h5 model)"),
]


class ModelFileError(ValueError):
    """A model or checkpoint file is missing, truncated, corrupt or of a foreign format."""


def write_safetensors(path, arrays: dict[str, np.ndarray], metadata: dict[str, str]) -> Path:
    """Write ``arrays`` and string ``metadata`` to ``path`` atomically.

    The file is first written under a temporary name in the same folder and then renamed over
    ``path``, so a crash or Ctrl-C mid-write leaves the previous file intact, never half a file.
    """
    from safetensors.numpy import save

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = save({k: np.ascontiguousarray(v) for k, v in arrays.items()}, metadata=metadata)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _describe_foreign(head: bytes) -> str | None:
    for signature, description in _FOREIGN_SIGNATURES:
        if head.startswith(signature):
            return description
    return None


def read_safetensors(path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Read arrays and metadata from a safetensors file, with errors that say what is wrong.

    Raises
    ------
    ModelFileError
        If the file is missing, empty, a pickle or other foreign format, truncated or corrupt.
    """
    from safetensors import SafetensorError
    from safetensors.numpy import load

    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"No model file at {str(path)!r}.")
    raw = path.read_bytes()
    if not raw:
        raise ModelFileError(f"{str(path)!r} is empty: it is not a model file.")
    header_size = int.from_bytes(raw[:8], "little") if len(raw) >= 8 else None
    looks_like_safetensors = raw[8:9] == b"{"
    foreign = None if looks_like_safetensors else _describe_foreign(raw[:8])
    if foreign:
        raise ModelFileError(
            f"{str(path)!r} is {foreign}, not a safetensors file. neuralab never unpickles files "
            "(loading a pickle can run arbitrary code). Load it with the library that wrote it "
            "and save the weights with neuralab.save or safetensors."
        )
    if header_size is None or not looks_like_safetensors or header_size > len(raw) - 8:
        raise ModelFileError(
            f"{str(path)!r} is truncated or not a safetensors file: it does not start with a "
            f"safetensors header that fits in its {len(raw)} bytes."
        )
    try:
        header = json.loads(raw[8 : 8 + header_size])
        arrays = load(raw)
    except (SafetensorError, ValueError, UnicodeDecodeError) as err:
        raise ModelFileError(
            f"{str(path)!r} is corrupt or truncated and cannot be read as safetensors ({err})."
        ) from None
    metadata = header.get("__metadata__") or {}
    return arrays, metadata


def save(model, path, metadata: dict[str, str] | None = None) -> Path:
    """Save ``model`` (weights, buffers and architecture) to a ``.safetensors`` file.

    Parameters
    ----------
    model : neuralab.nn.Module, or a fitted NeuralabClassifier / NeuralabRegressor
        Any module whose layers are neuralab's built-ins (or define ``get_config``). For an
        estimator, its network is saved so, and its parameters and fitted attributes
        (``classes_``, ``loss_curve_``, ...) go into the metadata as JSON ("estimator").
    path : str or Path
        Where to write; written atomically.
    metadata : dict of str to str, optional
        Extra strings to keep in the file's metadata beside the architecture (for example the
        settings a model was trained with); :func:`read_safetensors` returns them. The keys
        "format", "format_version", "architecture" and "estimator" are neuralab's own.

    Returns
    -------
    Path of the written file.

    Examples
    --------
    >>> nl.save(model, "model.safetensors")
    >>> same = nl.load("model.safetensors")
    """
    from .nn import Module

    reserved = {"format", "format_version", "architecture", "estimator"} & set(metadata or {})
    if reserved:
        raise ValueError(
            f"The metadata keys {sorted(reserved)} are neuralab's own; give your entries other "
            "names."
        )
    metadata = {**(metadata or {}), "format": FORMAT, "format_version": FORMAT_VERSION}
    if not isinstance(model, Module):
        from .estimators._persist import estimator_state

        metadata["estimator"] = estimator_state(model)
        model = model.model_
    metadata["architecture"] = json.dumps(model.to_config())
    return write_safetensors(path, model.state_dict(), metadata)


def model_from_file_parts(arrays: dict[str, np.ndarray], metadata: dict[str, str], path):
    """Rebuild a model from the arrays and metadata of a neuralab model file."""
    from .nn import module_from_config

    if metadata.get("format") == CHECKPOINT_FORMAT:
        arrays = {k[len("model/"):]: v for k, v in arrays.items() if k.startswith("model/")}
    elif metadata.get("format") != FORMAT:
        metadata = {}
    if "architecture" not in metadata:
        raise ModelFileError(
            f"{str(path)!r} is a safetensors file but not one written by neuralab.save (it has no "
            "neuralab architecture in its metadata). Build the model in code and load the "
            "weights with model.load_state_dict(safetensors.numpy.load_file(path))."
        )
    try:
        model = module_from_config(json.loads(metadata["architecture"]))
    except (ValueError, KeyError, TypeError) as err:
        raise ModelFileError(f"{str(path)!r} has an unreadable architecture: {err}") from None
    try:
        model.load_state_dict(arrays)
    except (KeyError, ValueError) as err:
        raise ModelFileError(
            f"{str(path)!r}: the weights do not fit the stored architecture: {err}"
        ) from None
    return model


def load(path):
    """Load a model written by :func:`save` (or from a training checkpoint), in evaluation mode.

    A file saved from a fitted NeuralabClassifier / NeuralabRegressor gives that estimator
    back, fitted (without its optimizer state: a later ``partial_fit`` starts a new one).

    Raises
    ------
    ModelFileError
        For a missing, empty, truncated, corrupt, pickle or foreign file, with what to do.
    """
    arrays, metadata = read_safetensors(path)
    model = model_from_file_parts(arrays, metadata, path).eval()
    if metadata.get("format") == FORMAT and "estimator" in metadata:
        from .estimators._persist import estimator_from_state

        return estimator_from_state(metadata["estimator"], model)
    return model
