"""The playground's third-party packages are an optional extra: say how to install them."""

from __future__ import annotations

from .._optional import require

#: the modules the playground server needs (the "playground" extra of pyproject.toml)
REQUIRED = ("fastapi", "uvicorn", "websockets")


def require_playground() -> None:
    """Import the playground's dependencies or raise an ImportError naming the pip command."""
    require(*REQUIRED, install='"neuralab[playground]"', purpose="The neuralab playground")
