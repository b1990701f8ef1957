"""Safetensors files read defensively and written atomically.

Reading looks at the header before anything else: the 8-byte header length, then at most
``MAX_HEADER_BYTES`` of JSON, which must describe tensors that tile the rest of the file
exactly. Only then are tensors read, one at a time, straight from the file. So a junk file
costs the few bytes it takes to see it is junk, and no tensor is read that the file does not
hold: memory and time stay proportional to the file's real size.

The format (safetensors): ``u64 little-endian N``, ``N`` bytes of JSON
``{"__metadata__": {str: str}, name: {"dtype": "F32", "shape": [...],
"data_offsets": [begin, end]}, ...}``, then the tensor bytes, offsets counted from the end of the
header.

Writing goes to a temporary file beside the target, renamed over it when complete. Its name
holds the host and the process id (``.NAME.HOST.PID.RANDOM.tmp``); a process killed mid-write
(kill -9, power loss) leaves it behind, and the next save to the same path removes every such
file whose process is gone (on POSIX systems, where a process id can be checked). The file is
created with mode 0o666 less the user's umask, like any file the user writes.
"""

from __future__ import annotations

import json
import math
import os
import re
import secrets
import socket
from pathlib import Path
from typing import NamedTuple

import numpy as np

#: the largest header read (the safetensors library refuses larger ones too)
MAX_HEADER_BYTES = 100 * 2**20

#: safetensors dtype names -> NumPy dtypes (little-endian, as the format stores them)
DTYPES = {
    "F64": "<f8", "F32": "<f4", "F16": "<f2",
    "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1",
    "U64": "<u8", "U32": "<u4", "U16": "<u2", "U8": "u1",
    "BOOL": "?",
}

#: first bytes of files that are not safetensors, with what they are and what to do
_FOREIGN_SIGNATURES = [
    (b"\x80", "a Python pickle (for example a file written with torch.save or pickle.dump)"),
    (b"PK\x03\x04", "a zip archive (PyTorch's .pt/.pth format, which holds pickles)"),
    (b"\x93NUMPY", "a NumPy .npy file"),
    (b"\x89HDF", "an HDF5 file (for example a Keras .h5 model)"),
]


class ModelFileError(ValueError):
    """A model or checkpoint file is missing, truncated, corrupt or of a foreign format."""


class TensorInfo(NamedTuple):
    """Where one tensor lies in a file: its dtype, shape and byte range."""

    dtype: np.dtype
    shape: tuple[int, ...]
    begin: int
    end: int


class Header(NamedTuple):
    """What a safetensors header says: the tensors and the string metadata."""

    tensors: dict[str, TensorInfo]
    metadata: dict[str, str]
    data_start: int


def parse_json(text, what: str, path):
    """``json.loads(text)``, with a ModelFileError for invalid or too deeply nested JSON.

    Deep nesting (``[[[[...]]]]``) makes ``json.loads`` raise RecursionError after a few
    thousand levels, quickly; it is reported like any other unreadable JSON.
    """
    try:
        return json.loads(text)
    except RecursionError:
        raise ModelFileError(
            f"{str(path)!r}: its {what} is JSON nested too deeply to be a neuralab file."
        ) from None
    except (ValueError, UnicodeDecodeError) as err:
        raise ModelFileError(f"{str(path)!r}: its {what} is not valid JSON ({err}).") from None


def _describe_foreign(head: bytes) -> str | None:
    for signature, description in _FOREIGN_SIGNATURES:
        if head.startswith(signature):
            return description
    return None


def _open_checked(path) -> tuple[Path, int]:
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"No model file at {str(path)!r}.")
    size = path.stat().st_size
    if size == 0:
        raise ModelFileError(f"{str(path)!r} is empty: it is not a model file.")
    return path, size


def read_header(path) -> Header:
    """The header of a safetensors file, checked against the file's size; no tensor is read.

    Raises
    ------
    ModelFileError
        If the file is missing, empty, a pickle or other foreign format, truncated, or its
        header is not a valid description of the bytes that follow it.
    """
    path, size = _open_checked(path)
    with path.open("rb") as handle:
        head = handle.read(9)
        header_size = int.from_bytes(head[:8], "little")
        looks_like_safetensors = len(head) == 9 and head[8:9] == b"{"
        foreign = None if looks_like_safetensors else _describe_foreign(head)
        if foreign:
            raise ModelFileError(
                f"{str(path)!r} is {foreign}, not a safetensors file. neuralab never unpickles "
                "files (loading a pickle can run arbitrary code). Load it with the library that "
                "wrote it and save the weights with neuralab.save or safetensors."
            )
        if looks_like_safetensors and MAX_HEADER_BYTES < header_size <= size - 8:
            raise ModelFileError(
                f"{str(path)!r} has a safetensors header of {header_size:,} bytes, more than the "
                f"{MAX_HEADER_BYTES:,} neuralab reads: it is not a model file neuralab wrote."
            )
        if not looks_like_safetensors or header_size > size - 8:
            raise ModelFileError(
                f"{str(path)!r} is truncated or not a safetensors file: it does not start with "
                f"a safetensors header that fits in its {size:,} bytes."
            )
        handle.seek(8)
        raw = handle.read(header_size)
    header = parse_json(raw, "safetensors header", path)
    data_start = 8 + header_size  # the header starts with "{": a valid one is a dict
    metadata = header.pop("__metadata__", None) or {}
    if not isinstance(metadata, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
        raise _corrupt(path, "its metadata is not a mapping of strings to strings")
    tensors = {name: _tensor_info(name, entry, path) for name, entry in header.items()}
    _check_layout(tensors, size - data_start, path)
    return Header(tensors, metadata, data_start)


def _corrupt(path, reason: str) -> ModelFileError:
    return ModelFileError(
        f"{str(path)!r} is corrupt or truncated and cannot be read as safetensors: {reason}."
    )


def is_count(value) -> bool:
    """True for an int >= 0 (bools excluded), as JSON gives sizes and offsets."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _tensor_info(name: str, entry, path) -> TensorInfo:
    """One header entry as a TensorInfo, after checking its fields' types and sizes."""
    if not isinstance(entry, dict) or set(entry) != {"dtype", "shape", "data_offsets"}:
        raise _corrupt(path, f"the entry of tensor {name!r} is not dtype/shape/data_offsets")
    dtype, shape, offsets = entry["dtype"], entry["shape"], entry["data_offsets"]
    if dtype not in DTYPES:
        known = ", ".join(DTYPES)
        raise ModelFileError(
            f"{str(path)!r}: tensor {name!r} has dtype {dtype!r}, which neuralab does not read "
            f"(it reads {known}). Convert it to float32 with the library that wrote it."
        )
    if not (isinstance(shape, list) and all(map(is_count, shape))
            and isinstance(offsets, list) and len(offsets) == 2 and all(map(is_count, offsets))):
        raise _corrupt(path, f"tensor {name!r} has a malformed shape or data_offsets")
    dtype = np.dtype(DTYPES[dtype])
    begin, end = offsets
    if end - begin != math.prod(shape) * dtype.itemsize:
        raise _corrupt(path, f"tensor {name!r} of shape {tuple(shape)} and dtype {dtype} does "
                             f"not take the {end - begin} bytes its offsets give it")
    return TensorInfo(dtype, tuple(shape), begin, end)


def _check_layout(tensors: dict[str, TensorInfo], data_size: int, path) -> None:
    """The tensors' byte ranges must tile the data that follows the header, without gaps."""
    position = 0
    for name, info in sorted(tensors.items(), key=lambda item: (item[1].begin, item[1].end)):
        if info.begin != position:
            raise _corrupt(path, f"tensor {name!r} starts at byte {info.begin} of the data, "
                                 f"expected {position} (overlapping or missing bytes)")
        position = info.end
    if position != data_size:
        raise _corrupt(path, f"its tensors take {position:,} bytes but {data_size:,} follow "
                             "the header")


def read_tensors(path, header: Header, names=None) -> dict[str, np.ndarray]:
    """The tensors ``names`` (default: all) of a file whose header is ``header``, as arrays."""
    arrays = {}
    with Path(path).open("rb") as handle:
        for name in header.tensors if names is None else names:
            info = header.tensors[name]
            handle.seek(header.data_start + info.begin)
            count = math.prod(info.shape)
            array = np.fromfile(handle, dtype=info.dtype, count=count) if count else (
                np.empty(0, info.dtype))
            if array.size != count:
                raise _corrupt(path, f"tensor {name!r} is cut short")
            arrays[name] = array.astype(info.dtype.newbyteorder("="), copy=False).reshape(
                info.shape)
    return arrays


def read_safetensors(path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Read arrays and metadata from a safetensors file, with errors that say what is wrong.

    Raises
    ------
    ModelFileError
        If the file is missing, empty, a pickle or other foreign format, truncated or corrupt.
    """
    header = read_header(path)
    return read_tensors(path, header), header.metadata


# ---------------------------------------------------------------------- writing
_HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"


def _temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{_HOST}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _process_alive(pid: int) -> bool:
    """True if a process with this id exists (or this platform cannot tell)."""
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def remove_stale_temporaries(path) -> list[Path]:
    """Delete the temporary files that killed saves to ``path`` left behind; return them.

    A temporary file is stale when it was written on this host by a process that no longer
    runs. Those of running processes (a save in progress) and of other hosts are kept.
    """
    path = Path(path)
    pattern = re.compile(
        rf"\.{re.escape(path.name)}\.{re.escape(_HOST)}\.(\d+)\.[0-9a-f]+\.tmp")
    removed = []
    try:
        candidates = list(path.parent.iterdir())
    except OSError:
        return removed
    for candidate in candidates:
        match = pattern.fullmatch(candidate.name)
        if match and not _process_alive(int(match.group(1))):
            candidate.unlink(missing_ok=True)
            removed.append(candidate)
    return removed


def write_safetensors(path, arrays: dict[str, np.ndarray], metadata: dict[str, str]) -> Path:
    """Write ``arrays`` and string ``metadata`` to ``path`` atomically.

    The file is first written under a temporary name in the same folder and then renamed over
    ``path``, so a crash or Ctrl-C mid-write leaves the previous file intact, never half a file;
    what a killed process leaves is removed by the next save (see the module docstring). The
    new file gets the permissions of any file the user creates (0o666 less the umask).
    """
    from safetensors.numpy import save

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = save({k: np.ascontiguousarray(v) for k, v in arrays.items()}, metadata=metadata)
    remove_stale_temporaries(path)
    tmp = _temp_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
