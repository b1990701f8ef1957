"""The playground's third-party packages are an optional extra: say how to install them."""

from __future__ import annotations

import importlib

#: the modules the playground server needs (the "playground" extra of pyproject.toml)
REQUIRED = ("fastapi", "uvicorn", "websockets", "python_multipart")


def require_playground() -> None:
    """Import the playground's dependencies or raise an ImportError naming the pip command.

    Raises
    ------
    ImportError
        If any of fastapi, uvicorn, websockets or python-multipart is missing.
    """
    missing = []
    for module in REQUIRED:
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(module.replace("_", "-"))
    if missing:
        raise ImportError(
            f"The neuralab playground needs {', '.join(missing)}, which "
            f"{'is' if len(missing) == 1 else 'are'} not installed. Install the extra with: "
            'pip install "neuralab[playground]"'
        )
