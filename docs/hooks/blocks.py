"""MkDocs hook: blocks of hand-written pages that the code writes at build time.

* ``<!-- ops-table -->``: every primitive op of the engine (the ``Op`` subclasses of
  ``neuralab.autograd.ops``), grouped by module, with the forward formula and the derivative
  from the first paragraph of its docstring, linked to its whole docstring in the API
  reference;
* ``<!-- cli-help -->``: ``neuralab --help`` and the help of every command, as argparse prints
  it.

A new op or command shows up without an edit to the page.
"""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil

from rest_markup import plain

OPS_MARKER = "<!-- ops-table -->"
CLI_MARKER = "<!-- cli-help -->"
HELP_COLUMNS = "100"


def on_page_markdown(markdown, page, config, files):
    if OPS_MARKER in markdown:
        markdown = markdown.replace(OPS_MARKER, ops_table())
    if CLI_MARKER in markdown:
        markdown = markdown.replace(CLI_MARKER, cli_help())
    return markdown


def ops_table() -> str:
    """A Markdown table: module, op name, the op's docstring summary (formula; derivative)."""
    from neuralab.autograd import ops
    from neuralab.autograd.function import Op

    rows = ["| family | op | forward; derivative |", "|---|---|---|"]
    for info in pkgutil.iter_modules(ops.__path__):
        module = importlib.import_module(f"{ops.__name__}.{info.name}")
        for value in vars(module).values():
            if (inspect.isclass(value) and issubclass(value, Op) and "name" in vars(value)
                    and value.__module__ == module.__name__):
                summary = (inspect.getdoc(value) or "").split("\n\n")[0].replace("\n", " ")
                if summary.endswith(":"):
                    summary = summary[:-1] + " (the formulas: follow the link)."
                path = f"{module.__name__}.{value.__qualname__}"
                rows.append(f"| {info.name} | [`{value.name}`][{path}] | {_cell(summary)} |")
    return "\n".join(rows)


def cli_help() -> str:
    """``neuralab --help``, then ``neuralab COMMAND --help`` for each command."""
    from neuralab.cli import build_parser

    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = HELP_COLUMNS
    try:
        parser = build_parser()
        sections = [("neuralab --help", parser.format_help())]
        for action in parser._subparsers._group_actions:
            for name, command in action.choices.items():
                sections.append((f"neuralab {name} --help", command.format_help()))
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old
    return "\n\n".join(f"### `{title}`\n\n```text\n{text.rstrip()}\n```"
                       for title, text in sections)


def _cell(text: str) -> str:
    """Docstring text in a table cell (pipes escaped)."""
    return plain(text).replace("|", "\\|")
