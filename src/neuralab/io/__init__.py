"""Saving and loading models: safetensors for the numbers, JSON for the architecture, no pickle.

A model file is a standard ``.safetensors`` file: every parameter and buffer of the model's
``state_dict()`` under its dotted name, and in the file's metadata the architecture
(``model.to_config()`` as JSON) plus a format marker. Loading rebuilds the model from that JSON
and copies the numbers in; it never unpickles, so a model file cannot run code, and it checks
the header and the architecture against the file's real contents first, so a hostile file
cannot make it allocate more than the file holds.

- :mod:`~neuralab.io.files`: reading (header first) and atomic writing of safetensors files;
- :mod:`~neuralab.io.architecture`: the tensors an architecture will have, before building;
- :mod:`~neuralab.io.models`: :func:`save` and :func:`load`.

The same low-level reader and writer serve training checkpoints (``neuralab.train``).
"""

from .files import (
    MAX_HEADER_BYTES,
    ModelFileError,
    parse_json,
    read_header,
    read_safetensors,
    read_tensors,
    remove_stale_temporaries,
    write_safetensors,
)
from .models import (
    CHECKPOINT_FORMAT,
    FORMAT,
    FORMAT_VERSION,
    RESERVED_KEYS,
    load,
    model_from_file,
    save,
)

__all__ = [
    "CHECKPOINT_FORMAT",
    "FORMAT",
    "FORMAT_VERSION",
    "MAX_HEADER_BYTES",
    "RESERVED_KEYS",
    "ModelFileError",
    "load",
    "model_from_file",
    "parse_json",
    "read_header",
    "read_safetensors",
    "read_tensors",
    "remove_stale_temporaries",
    "save",
    "write_safetensors",
]
