"""Third-party packages that only some features need: imported on first use, and when one is
missing, an ImportError that names it and the pip command that installs it."""

from __future__ import annotations

import importlib
from types import ModuleType


def require(*modules: str, install: str, purpose: str) -> ModuleType:
    """Import ``modules`` and return the first, or raise an ImportError naming the missing ones.

    Parameters
    ----------
    *modules : str
        Importable module names, e.g. "pandas" or "fastapi", "uvicorn".
    install : str
        What to pass to ``pip install``, e.g. ``pandas`` or ``"neuralab[sweep]"``.
    purpose : str
        The feature that needs them, as the message's subject.
    """
    imported, missing = [], []
    for name in modules:
        try:
            imported.append(importlib.import_module(name))
        except ImportError:
            missing.append(name.split(".")[0].replace("_", "-"))
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        raise ImportError(
            f"{purpose} needs {', '.join(missing)}, which {verb} not installed. "
            f"Install it with: pip install {install}"
        )
    return imported[0]
