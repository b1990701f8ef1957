"""MkDocs hook: each course page gets its lesson's figure and tables, made by the lesson's code.

At every build, for each lesson of ``neuralab.lessons.NAMES``, the hook runs the lesson once
(``run()``), saves its figure (``plot(result)``, as ``neuralab lesson NAME`` does) as the
generated file ``course/figures/NAME.png``, and fills two lines of the page ``course/NAME.md``
(front matter ``lesson: NAME``): ``<!-- lesson-tables -->`` becomes the lesson's tables
(``tables(result)``) and ``<!-- lesson-run -->`` a section saying how to run it, from the command
line and from Python (with ``<!-- lesson-notebook -->`` in it, for the notebooks hook), followed
by the lesson's graded exercises (``nl.exercises.for_lesson``). So the
site's figures and numbers are the code's, never a copy that can drift; none is committed.

On any page, ``<!-- lessons-table -->`` becomes the list of lessons with their summaries
(``SUMMARY``), each linked to its page.

A lesson without a page, or a lesson page without both lines, is a warning, which fails the
strict build.
"""

from __future__ import annotations

import html
import io
import logging
import re

from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.lessons")

TABLES_MARKER = "<!-- lesson-tables -->"
RUN_MARKER = "<!-- lesson-run -->"
LIST_MARKER = "<!-- lessons-table -->"
RUN_SECTION = """## Run it yourself

```bash
neuralab lesson {name}    # prints these tables, writes lesson-{name}.png
```

```python
import neuralab as nl

result = nl.lessons.{module}.run()             # the numbers, as plain data
print(nl.lessons.text("{name}", result))       # the tables above
nl.lessons.{module}.plot(result).savefig("{name}.png")
```

<!-- lesson-notebook -->

The code: [`neuralab.lessons.{module}`][neuralab.lessons.{module}].

{exercises}"""
FIGURE_DPI = 100  # as `neuralab lesson NAME` saves it
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]|])")

#: lesson name -> its run() result, for the current build
_results: dict[str, dict] = {}


def on_files(files, config):
    import matplotlib

    matplotlib.use("Agg")
    from neuralab import lessons

    _results.clear()
    for name in lessons.NAMES:
        if files.get_file_from_path(f"course/{name}.md") is None:
            log.warning(f"The lesson {name!r} has no page: write docs/course/{name}.md.")
        lesson = lessons.get(name)
        result = _results[name] = lesson.run()
        buffer = io.BytesIO()
        lesson.plot(result).savefig(buffer, format="png", dpi=FIGURE_DPI)
        files.append(File.generated(config, f"course/figures/{name}.png",
                                    content=buffer.getvalue()))
    return files


def on_page_markdown(markdown, page, config, files):
    if LIST_MARKER in markdown:
        markdown = markdown.replace(LIST_MARKER, _lessons_table(page))
    name = page.meta.get("lesson")
    if name is None:
        return markdown
    if name not in _results:
        log.warning(f"{page.file.src_uri}: 'lesson: {name}' names no lesson of neuralab.lessons.")
        return markdown
    for marker in (TABLES_MARKER, RUN_MARKER):
        if marker not in markdown:
            log.warning(f"{page.file.src_uri}: the lesson page has no {marker} line.")
    from neuralab import lessons

    tables = "\n\n".join(_markdown(part) for part in lessons.get(name).tables(_results[name]))
    run = RUN_SECTION.format(name=name, module=name.replace("-", "_"), exercises=_exercises(name))
    return markdown.replace(TABLES_MARKER, tables).replace(RUN_MARKER, run)


def _exercises(name: str) -> str:
    """A section listing the lesson's graded exercises (``nl.exercises.for_lesson``), if any."""
    from neuralab import exercises

    items = [f"- `{item.name}`: {_escape(item.title)}" for item in exercises.for_lesson(name)]
    if not items:
        return ""
    return "\n".join([
        "## Exercises", "",
        "Graded against autograd and the course's numbers; a wrong answer gets a hint, not the",
        "answer. `neuralab exercise NAME` states the task, `--template` writes a starter file and",
        "`--answer FILE` grades it (or `nl.exercises.check(NAME, answer)` in Python).", "",
        *items])


def _lessons_table(page) -> str:
    """| lesson | what it shows |, one row per lesson, linked from ``page`` to course/NAME.md."""
    from neuralab import lessons

    up = "../" * page.file.src_uri.count("/")
    rows = [f"| [{name}]({up}course/{name}.md) | {_escape(summary)} |"
            for name, summary in lessons.summaries().items()]
    return "\n".join(["| lesson | what it shows |", "|---|---|", *rows])


def _markdown(part) -> str:
    """A lesson's Table (title, columns, rows, note) or Text (body, lines) as Markdown."""
    from neuralab._text import cell
    from neuralab.lessons._base import Table

    if not isinstance(part, Table):
        return "\n\n".join(_escape(line) for line in [part.body, *part.lines])
    numeric = [all(isinstance(row[k], int | float) or row[k] is None for row in part.rows)
               for k in range(len(part.columns))]
    lines = [f"**{_escape(part.title)}**", "",
             "| " + " | ".join(_escape(column) for column in part.columns) + " |",
             "|" + "|".join("---:" if num else "---" for num in numeric) + "|"]
    lines += ["| " + " | ".join(_escape(cell(value, part.digits)) for value in row) + " |"
              for row in part.rows]
    if part.note:
        lines += ["", _escape(part.note)]
    return "\n".join(lines)


def _escape(text: str) -> str:
    """Plain text that Markdown (and the page's math renderer) shows as it is."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(str(text), quote=False))
