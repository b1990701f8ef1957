"""MkDocs hook: repository folders that the pages link to, copied into the site at build time.

``examples/`` of the repository becomes ``examples/`` of the site, so a page links an example
file as a site file (``[moons.toml](../examples/sweeps/moons.toml)`` from ``guide/``), the
strict build checks the link, and a reader of the site can open the file. Nothing is committed
twice: the files are read from where they are.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import File

FOLDERS = ("examples",)


def on_files(files, config):
    root = Path(config.config_file_path).parent
    for folder in FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                uri = path.relative_to(root).as_posix()
                files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files
