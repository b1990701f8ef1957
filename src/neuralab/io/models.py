"""``nl.save`` and ``nl.load``: a model as safetensors numbers plus its architecture as JSON.

Loading reads the file's header, checks the architecture against the tensors the header lists
(:mod:`neuralab.io.architecture`), and only then reads the tensors and builds the model.
"""

from __future__ import annotations

import json

from .architecture import check_architecture
from .files import Header, ModelFileError, parse_json, read_header, read_tensors, write_safetensors
from .payloads import loader, payload, payload_keys

FORMAT = "neuralab-model"
FORMAT_VERSION = "1"
#: training checkpoints (neuralab.train) hold the model under "model/..." beside the run's state
CHECKPOINT_FORMAT = "neuralab-checkpoint"
#: metadata keys of the objects that wrap a network: estimators and Predictors (see
#: :mod:`.payloads`: their packages save and load them, io only reserves the names)
PAYLOAD_KEYS = ("estimator", "preprocessing")
#: metadata keys that neuralab writes itself
RESERVED_KEYS = ("format", "format_version", "architecture", *PAYLOAD_KEYS)


def save(model, path, metadata: dict[str, str] | None = None):
    """Save ``model`` (weights, buffers and architecture) to a ``.safetensors`` file.

    Parameters
    ----------
    model : neuralab.nn.Module, a fitted NeuralabClassifier / NeuralabRegressor, or a Predictor
        Any module whose layers are neuralab's built-ins (or define ``get_config``). For an
        estimator, its network is saved so, and its parameters and fitted attributes
        (``classes_``, ``loss_curve_``, ...) go into the metadata as JSON ("estimator"). For a
        :class:`~neuralab.Predictor` (what ``neuralab train`` writes), its network and its
        preprocessing ("preprocessing": columns, standardisation, classes, task).
    path : str or Path
        Where to write; written atomically, with the permissions of any new file of the user.
    metadata : dict of str to str, optional
        Extra strings to keep in the file's metadata beside the architecture (for example the
        settings a model was trained with); :func:`read_safetensors` returns them. The keys
        "format", "format_version", "architecture", "estimator" and "preprocessing" are
        neuralab's own.

    Returns
    -------
    Path of the written file.

    Examples
    --------
    >>> nl.save(model, "model.safetensors")
    >>> same = nl.load("model.safetensors")
    """
    from ..nn import Module

    reserved = (set(RESERVED_KEYS) | set(payload_keys())) & set(metadata or {})
    if reserved:
        raise ValueError(
            f"The metadata keys {sorted(reserved)} are neuralab's own; give your entries other "
            "names."
        )
    metadata = {**(metadata or {}), "format": FORMAT, "format_version": FORMAT_VERSION}
    if not isinstance(model, Module):
        saved = payload(model)
        if saved is None:
            raise TypeError(
                "nl.save takes an nn.Module or a fitted NeuralabClassifier / NeuralabRegressor "
                f"(or a neuralab Predictor). Got {type(model).__name__}; pickle other "
                "scikit-learn estimators with joblib."
            )
        key, metadata[key], model = saved
    metadata["architecture"] = json.dumps(model.to_config())
    return write_safetensors(path, model.state_dict(), metadata)


def model_from_file(path, header: Header | None = None):
    """The model a neuralab model file or checkpoint holds (its header already read, or not).

    The architecture is checked against the tensors in the header before anything is built
    or read; the tensors of a checkpoint's optimizer and callbacks are not read.

    Raises
    ------
    ModelFileError
        For a file that is not a neuralab model file, an unreadable architecture, or one that
        does not match the weights the file holds.
    """
    header = read_header(path) if header is None else header
    metadata = header.metadata
    prefix = "model/" if metadata.get("format") == CHECKPOINT_FORMAT else ""
    if metadata.get("format") not in (FORMAT, CHECKPOINT_FORMAT) or (
            "architecture" not in metadata):
        raise ModelFileError(
            f"{str(path)!r} is a safetensors file but not one written by neuralab.save (it has no "
            "neuralab architecture in its metadata). Build the model in code and load the "
            "weights with model.load_state_dict(safetensors.numpy.load_file(path))."
        )
    from ..nn import module_from_config

    spec = parse_json(metadata["architecture"], "architecture", path)
    names = [name for name in header.tensors if name.startswith(prefix)]
    check_architecture(spec, {name[len(prefix):]: header.tensors[name] for name in names}, path)
    try:
        model = module_from_config(spec)
    except (ValueError, KeyError, TypeError) as err:
        raise ModelFileError(f"{str(path)!r} has an unreadable architecture: {err}") from None
    arrays = read_tensors(path, header, names)
    try:
        model.load_state_dict({name[len(prefix):]: array for name, array in arrays.items()})
    except (KeyError, ValueError) as err:
        raise ModelFileError(
            f"{str(path)!r}: the weights do not fit the stored architecture: {err}"
        ) from None
    return model


def load(path):
    """Load what :func:`save` wrote (or the model of a training checkpoint), in evaluation mode.

    - a file saved from an ``nn.Module``, or a checkpoint: that module;
    - a file saved from a fitted NeuralabClassifier / NeuralabRegressor: that estimator,
      fitted (without its optimizer state: a later ``partial_fit`` starts a new one);
    - a file written by ``neuralab train`` (or saved from a Predictor): a
      :class:`~neuralab.Predictor`, whose ``predict`` takes raw rows (a CSV path or a
      DataFrame) and applies the training's preprocessing.

    Reading checks the file's header, then the architecture against the weights the file
    holds, before it builds anything: a hostile file costs no more memory or time than its
    size.

    Parameters
    ----------
    path : str or os.PathLike
        The ``.safetensors`` file (or a training checkpoint) to read.

    Returns
    -------
    nn.Module, NeuralabClassifier, NeuralabRegressor or Predictor
        What the file holds, as listed above.

    Raises
    ------
    ModelFileError
        For a missing, empty, truncated, corrupt, pickle or foreign file, with what to do.
    """
    header = read_header(path)
    metadata = header.metadata
    if metadata.get("format") == FORMAT:
        for key in dict.fromkeys(PAYLOAD_KEYS + payload_keys()):
            if key in metadata:
                restore = loader(key, path)
                return restore(metadata[key], lambda: model_from_file(path, header).eval(), path)
    return model_from_file(path, header).eval()
