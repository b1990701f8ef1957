"""Downloading and uploading a playground network as a ``.safetensors`` model file.

The download is exactly what ``nl.save`` writes (weights, and the architecture as JSON), with
the run's playground settings as one more metadata entry, so ``nl.load`` reads it and an upload
restores the whole run (the learner's own points included: they are part of the settings).
An upload is read with the same functions as ``nl.load`` (``io.read_header`` and
``io.model_from_file``, which raise ``nl.ModelFileError``): the header is read first, and
before any layer is built the architecture must be an MLP that this playground can show
(within the server's limits) and must match the tensors the file holds, so a file cannot make
the server allocate a huge network; its JSON is parsed with bounded nesting (``jsontext``).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from .. import io
from .config import ACTIVATIONS, Limits, PlaygroundConfig, validate_config
from .features import FEATURES
from .jsontext import TooDeepError, loads

#: the metadata entry holding the run's settings (JSON)
CONFIG_KEY = "neuralab_playground_config"


def model_bytes(model, config: PlaygroundConfig) -> bytes:
    """The model file, as ``nl.save`` writes it, plus the settings of the run."""
    with tempfile.TemporaryDirectory() as folder:
        path = io.save(model, Path(folder) / "model.safetensors",
                       metadata={CONFIG_KEY: config.model_dump_json()})
        return path.read_bytes()


def _safe_name(filename: str | None) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]", "_", Path(filename or "model.safetensors").name)
    return name[:80] or "model.safetensors"


def _check_architecture(metadata: dict, limits: Limits, name: str) -> dict:
    """The MLP config of the file, if the playground can show it; ModelFileError otherwise."""
    try:
        spec = loads(metadata["architecture"], f"The architecture of {name!r}")
    except TooDeepError as err:
        raise io.ModelFileError(str(err)) from None
    except (KeyError, TypeError, ValueError):
        return {}  # not a neuralab model file: model_from_file says why
    try:
        mlp = spec["config"] if spec["type"] == "MLP" else None
        sizes = [int(size) for size in mlp["sizes"]] if isinstance(mlp, dict) else None
    except (KeyError, TypeError, ValueError):
        return {}
    if sizes is None:
        raise io.ModelFileError(
            f"{name!r} holds a {spec.get('type')!r}; the playground shows networks built as an "
            f"nn.MLP (1 to {len(FEATURES)} inputs, 1 to {limits.max_classes} outputs)."
        )
    hidden, n_in, n_out = sizes[1:-1], sizes[0], sizes[-1]
    problems = []
    if not 1 <= n_in <= len(FEATURES):
        problems.append(f"it takes {n_in} inputs, the playground offers 1 to {len(FEATURES)} "
                        "features")
    if not 1 <= n_out <= limits.max_classes or n_out == 2:
        problems.append(f"it has {n_out} outputs, the playground's networks have one (two "
                        f"classes, regression) or one per class (3 to {limits.max_classes})")
    if len(hidden) > limits.max_hidden_layers:
        problems.append(f"it has {len(hidden)} hidden layers, this server allows at most "
                        f"{limits.max_hidden_layers}")
    if any(not 1 <= size <= limits.max_neurons for size in hidden):
        problems.append(f"its hidden layers have {hidden} neurons, this server allows 1 to "
                        f"{limits.max_neurons} per layer")
    if mlp.get("activation") not in ACTIVATIONS:
        problems.append(f"its activation {mlp.get('activation')!r} is not one of "
                        f"{', '.join(ACTIVATIONS)}")
    perceptron = mlp.get("activation") == "step" and not hidden
    outputs = ("step",) if perceptron else (None, "sigmoid") if n_out == 1 else (None,)
    if mlp.get("output") not in outputs:
        problems.append(f"its output activation {mlp.get('output')!r} is not one of "
                        f"{', '.join(map(str, outputs))}")
    if mlp.get("dropout", 0) != 0:
        problems.append("it uses dropout, which the playground's networks do not")
    if problems:
        raise io.ModelFileError(f"{name!r} cannot be shown here: " + "; ".join(problems) + ".")
    return mlp


def _config_for(metadata: dict, mlp: dict, current: PlaygroundConfig, limits: Limits,
                name: str) -> PlaygroundConfig:
    """The settings stored with the model (its data included), or else the current ones with
    the file's architecture, if the current data has as many outputs; ModelFileError if not.

    A one-output file's activation tells its loss: a sigmoid for squared error, the score z for
    cross-entropy (two classes) or the value (regression).
    """
    stored = metadata.get(CONFIG_KEY)
    if stored is not None:
        try:
            config = validate_config(loads(stored, "The settings"), limits)
        except ValueError:
            config = None
        if config is not None and [len(config.features), *config.hidden,
                                   config.n_outputs] == mlp["sizes"]:
            return config
    n_in, n_out = mlp["sizes"][0], mlp["sizes"][-1]
    if n_out != current.n_outputs:
        raise io.ModelFileError(
            f"{name!r} has {n_out} output unit(s) and no playground settings; the current data "
            f"needs {current.n_outputs}. Pick data with as many classes first, then upload it.")
    features = current.features if len(current.features) == n_in else list(FEATURES)[:n_in]
    loss = current.loss
    if current.problem == "binary":
        loss = "mse" if mlp.get("output") == "sigmoid" else "cross_entropy"
    elif mlp.get("output") is not None:
        raise io.ModelFileError(f"{name!r} ends in a {mlp.get('output')}; a {current.problem} "
                                "network of the playground ends in its raw outputs.")
    try:
        return validate_config({
            **current.model_dump(), "features": features, "hidden": mlp["sizes"][1:-1],
            "activation": mlp["activation"], "batch_norm": bool(mlp.get("batch_norm")),
            "loss": loss}, limits)
    except ValueError as err:
        raise io.ModelFileError(f"{name!r} does not fit the current data: {err}") from None


def load_model_bytes(raw: bytes, filename: str | None, current: PlaygroundConfig,
                     limits: Limits):
    """``(model, config)`` from an uploaded file, validated like ``nl.load``.

    Raises
    ------
    neuralab.ModelFileError
        For an empty, foreign, truncated or corrupt file, one not written by ``nl.save``, or a
        network the playground cannot show; the message names the uploaded file, never a
        server path.
    """
    name = _safe_name(filename)
    if len(raw) > limits.max_upload_bytes:
        raise io.ModelFileError(f"{name!r} has {len(raw):,} bytes; this server takes model files "
                                f"of at most {limits.max_upload_bytes:,} bytes.")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(raw)
        try:
            header = io.read_header(path)
            mlp = _check_architecture(header.metadata, limits, name)
            model = io.model_from_file(path, header)
        except io.ModelFileError as err:
            raise io.ModelFileError(str(err).replace(str(path), name)) from None
    return model, _config_for(header.metadata, mlp, current, limits, name)
