"""HTML building blocks: escaped tables, paragraphs, flags and figures as inline PNG images.

Every function returns a string of HTML that a notebook shows as it is; values are escaped, so
a name such as ``<lambda>`` cannot break the page. Numbers are formatted as the text tables
format them (:func:`neuralab._text.cell`), so a notebook and a terminal show the same digits.
"""

from __future__ import annotations

import base64
import io
from html import escape
from numbers import Real

from .._text import cell

_BOX = ("font-family: var(--jp-ui-font-family, sans-serif); font-size: 13px; "
        "line-height: 1.4; margin: 4px 0")
_CELL = "padding: 2px 8px; border-bottom: 1px solid #ddd"
#: background colours of a flag by tone
TONES = {"ok": "#d1e7dd", "bad": "#f8d7da", "warn": "#fff3cd", "info": "#e7f1ff"}


def text(value) -> str:
    """``value`` as escaped text (``str`` of it)."""
    return escape(str(value))


def block(*parts: str) -> str:
    """The parts (HTML strings) inside one display box."""
    return f'<div class="neuralab-display" style="{_BOX}">' + "".join(parts) + "</div>"


def heading(title: str) -> str:
    return f'<div style="font-weight: bold; margin: 6px 0 2px">{text(title)}</div>'


def paragraph(body: str, *, muted: bool = False) -> str:
    """A paragraph of text; newlines become line breaks."""
    style = ' style="color: #555; margin: 2px 0"' if muted else ' style="margin: 2px 0"'
    return f"<p{style}>" + "<br>".join(text(line) for line in str(body).split("\n")) + "</p>"


def flag(label: str, tone: str) -> str:
    """A small coloured label: tone is "ok", "bad", "warn" or "info"."""
    return (f'<span style="background: {TONES[tone]}; border-radius: 3px; '
            f'padding: 0 5px">{text(label)}</span>')


def bullets(lines) -> str:
    return "<ul style=\"margin: 2px 0\">" + "".join(f"<li>{text(line)}</li>"
                                                  for line in lines) + "</ul>"


class Raw(str):
    """A table cell that is HTML already (a flag, a nested table): inserted without escaping."""


def _cell_html(value, digits: int) -> tuple[str, bool]:
    """(HTML, is it a number) of one table cell."""
    if isinstance(value, Raw):
        return str(value), False
    number = isinstance(value, Real) and not isinstance(value, bool)
    return text(cell(value, digits)), number


def table(columns, rows, *, title: str | None = None, digits: int = 4,
          note: str | None = None) -> str:
    """``rows`` under ``columns`` as an HTML table; numbers right-aligned, as in the text tables.

    Parameters
    ----------
    columns : sequence of str
    rows : sequence of sequences
        Cells: numbers (``digits`` significant digits), text, None ("-"), or :class:`Raw` HTML.
    title : str, optional
        A bold line above the table.
    digits : int
    note : str, optional
        A muted paragraph below the table.
    """
    head = "".join(f'<th style="{_CELL}; text-align: left">{text(c)}</th>' for c in columns)
    body = []
    for row in rows:
        cells = []
        for value in row:
            html, number = _cell_html(value, digits)
            align = "right" if number else "left"
            cells.append(f'<td style="{_CELL}; text-align: {align}">{html}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    parts = [heading(title)] if title else []
    parts.append('<table style="border-collapse: collapse; margin: 2px 0">'
                 f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
    if note:
        parts.append(paragraph(note, muted=True))
    return "".join(parts)


def png(figure, dpi: int = 80) -> bytes:
    """A matplotlib figure as PNG bytes (drawn by Agg whatever the backend; nothing is shown)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def image(figure, dpi: int = 80) -> str:
    """A matplotlib figure as an ``<img>`` with the PNG inline (base64), to show in a page."""
    data = base64.b64encode(png(figure, dpi)).decode("ascii")
    return f'<img style="max-width: 100%" src="data:image/png;base64,{data}">'
