"""Where generated datasets are cached, and how a cache file is written safely."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import numpy as np


def cache_dir(path=None) -> Path:
    """The folder for cached data, created if needed.

    ``path`` if given, else ``$NEURALAB_CACHE_DIR``, else ``$XDG_CACHE_HOME/neuralab``, else
    ``~/.cache/neuralab``.
    """
    if path is None:
        if os.environ.get("NEURALAB_CACHE_DIR"):
            path = os.environ["NEURALAB_CACHE_DIR"]
        elif os.environ.get("XDG_CACHE_HOME"):
            path = Path(os.environ["XDG_CACHE_HOME"]) / "neuralab"
        else:
            path = Path.home() / ".cache" / "neuralab"
    folder = Path(path).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_npz_atomic(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` to ``path`` as .npz so that readers see the old file or the new, never half.

    The data go to a uniquely named temporary file in the same folder first, which
    ``os.replace`` then renames over ``path`` in one step (permissions follow the umask).
    """
    temporary = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(temporary, "xb") as file:
            np.savez(file, **arrays)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
