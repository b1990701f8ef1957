"""Import a third-party package only when a function needs it, with an actionable error."""

from __future__ import annotations

import importlib
from types import ModuleType


def require(module: str, package: str, purpose: str) -> ModuleType:
    """Import ``module`` or raise an ImportError saying which package to install and why."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ImportError(
            f"{purpose} needs the '{package}' package, which is not installed. "
            f"Install it with: pip install {package}"
        ) from error
