"""MkDocs hook: the repository's Jupyter notebooks, copied into the site and linked from the course.

Every ``notebooks/*.ipynb`` of the repository becomes the site file ``notebooks/FILE.ipynb`` at
build time (the notebooks stay where they are; nothing is committed twice). Two markers in
hand-written pages are replaced:

* ``<!-- lesson-notebook -->`` in a lesson page (front matter ``lesson: NAME``): a box linking
  the lesson's notebook, the file whose name is the lesson's (``gates.ipynb``,
  ``sigmoid-derivative.ipynb`` or ``sigmoid_derivative.ipynb``), with or without a number in
  front (``05-gates.ipynb``);
* ``<!-- notebooks-list -->``: a section "Notebooks" listing every notebook (nothing when
  there is none).

Once the repository has a ``notebooks/`` folder, a lesson without its notebook is a warning
(which fails the strict build); a checkout without the folder builds without the boxes.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.notebooks")

LESSON_MARKER = "<!-- lesson-notebook -->"
LIST_MARKER = "<!-- notebooks-list -->"
FOLDER = "notebooks"
_NUMBER = re.compile(r"^\d+[-_ ]")

#: notebook file name -> its title, for the current build
_notebooks: dict[str, str] = {}
_have_folder = False


def on_files(files, config):
    global _have_folder
    folder = Path(config.config_file_path).parent / FOLDER
    _have_folder = folder.is_dir()
    _notebooks.clear()
    for path in sorted(folder.glob("*.ipynb")) if _have_folder else []:
        _notebooks[path.name] = _title(path)
        files.append(File.generated(config, f"{FOLDER}/{path.name}", abs_src_path=str(path)))
    if not _have_folder:
        log.info("No notebooks/ folder: the lesson pages are built without notebook links.")
    return files


def on_page_markdown(markdown, page, config, files):
    up = "../" * page.file.src_uri.count("/")
    if LIST_MARKER in markdown:
        markdown = markdown.replace(LIST_MARKER, _list_section(up))
    lesson = page.meta.get("lesson")
    if lesson is None:
        return markdown
    if LESSON_MARKER not in markdown:
        log.warning(f"{page.file.src_uri}: the lesson page has no {LESSON_MARKER} line.")
        return markdown
    name = notebook_for(lesson)
    if name is None:
        if _have_folder:
            log.warning(f"{page.file.src_uri}: no notebook for the lesson {lesson!r} in "
                        f"{FOLDER}/ (expected {lesson}.ipynb).")
        return markdown.replace(LESSON_MARKER, "")
    box = "\n".join([
        '!!! tip "Work through it in a notebook"',
        f"    [`{FOLDER}/{name}`]({up}{FOLDER}/{name}): {_notebooks[name]}. Download it, or open",
        "    it from a clone of the repository with `pip install -e \".[notebooks]\"` and",
        f"    `jupyter lab {FOLDER}/{name}`.",
    ])
    return markdown.replace(LESSON_MARKER, box)


def _list_section(up: str) -> str:
    if not _notebooks:
        return ""
    items = [f"- [{title}]({up}{FOLDER}/{name}) (`{FOLDER}/{name}`)"
             for name, title in _notebooks.items()]
    return "\n".join([
        "## Notebooks", "",
        "The course in Jupyter, for students: the formulas, runnable cells, figures and",
        "exercises. From a clone of the repository: `pip install -e \".[notebooks]\"`, then",
        f"`jupyter lab {FOLDER}/`.", "", *items])


def notebook_for(lesson: str) -> str | None:
    """The notebook file of ``lesson``, or None."""
    wanted = {lesson.replace("_", "-"), lesson.replace("-", "_")}
    for name in _notebooks:
        if _NUMBER.sub("", name.removesuffix(".ipynb")) in wanted:
            return name
    return None


def _title(path: Path) -> str:
    """The notebook's first Markdown heading, or its file name."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError) as err:
        log.warning(f"{FOLDER}/{path.name} is not a readable notebook: {err}")
        return path.name
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            for line in "".join(cell.get("source", "")).splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return path.name
