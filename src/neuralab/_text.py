"""Plain-text tables for the teaching views: fixed-width columns, numbers right-aligned."""

from __future__ import annotations

from numbers import Real


def cell(value, digits: int = 4) -> str:
    """A table cell: floats with ``digits`` significant digits, None as "-", the rest as str."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Real) and not isinstance(value, int):
        return f"{float(value) + 0.0:.{digits}g}"  # + 0.0 turns -0.0 into 0.0
    return str(value)


def format_table(columns: list[str], rows: list[list], title: str | None = None,
                 digits: int = 4) -> str:
    """``rows`` under ``columns`` as aligned text, with an optional title line above."""
    cells = [[cell(value, digits) for value in row] for row in rows]
    widths = [max([len(c)] + [len(row[k]) for row in cells]) for k, c in enumerate(columns)]
    numeric = [all(isinstance(row[k], Real) or row[k] is None for row in rows) and bool(rows)
               for k in range(len(columns))]

    def line(values: list[str]) -> str:
        parts = [v.rjust(w) if num else v.ljust(w)
                 for v, w, num in zip(values, widths, numeric, strict=True)]
        return "  ".join(parts).rstrip()

    out = [title] if title else []
    out += [line(columns), "  ".join("-" * w for w in widths)]
    out += [line(row) for row in cells]
    return "\n".join(out)
