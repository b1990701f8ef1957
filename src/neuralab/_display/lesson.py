"""A lesson's result in a notebook: its summary, its tables and paragraphs, then its figure."""

from __future__ import annotations

from . import html


def _part(part) -> str:
    if hasattr(part, "columns"):  # a lessons Table
        return html.table(part.columns, part.rows, title=part.title, digits=part.digits,
                          note=part.note or None)
    return html.paragraph(str(part))


def part_html(part) -> str:
    """One lesson Table or Text in its own display box."""
    return html.block(_part(part))


def lesson_html(result, dpi: int = 72) -> str:
    lesson = result.lesson
    parts = [html.heading(f"Lesson {result.name}: {lesson.SUMMARY}")]
    parts += [_part(part) for part in result.tables()]
    parts.append(html.image(result.figure(), dpi))
    return html.block(*parts)
