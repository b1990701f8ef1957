"""A backprop trace in a notebook: each parameter's chain, factor by factor.

Only the trace's public rows are read: each row's ``name``, ``symbol``, ``factors`` (each with
``symbol``, ``formula`` and ``value``), ``product`` and ``autograd``. However the trace is
computed, a display built from those stays right.
"""

from __future__ import annotations

from .._text import cell
from . import html


def _largest_difference(trace) -> float:
    return max((abs(row.product - row.autograd) for row in trace.rows), default=0.0)


def _chain(row) -> html.Raw:
    """The factors of one row as a small table: symbols, formulas, numbers."""
    def line(values, style=""):
        return "<tr>" + "".join(f'<td style="padding: 0 6px; text-align: center{style}">'
                                f"{v}</td>" for v in values) + "</tr>"

    dot = " · "
    symbols, formulas, numbers = [], [], []
    for k, factor in enumerate(row.factors):
        sep = dot if k else ""
        symbols.append(sep + html.text(factor.symbol))
        formulas.append(sep + html.text(factor.formula))
        numbers.append(sep + html.text(cell(factor.value, 4)))
    return html.Raw('<table style="border-collapse: collapse">'
                    + line(symbols) + line(formulas, "; color: #555")
                    + line(numbers, "; font-family: monospace") + "</table>")


def trace_html(trace) -> str:
    """One row per parameter: the chain (symbols, formulas, numbers), product and autograd."""
    rows = [[f"{row.symbol} ({row.name})", _chain(row), row.product, row.autograd,
             f"{abs(row.product - row.autograd):.1e}"] for row in trace.rows]
    title = f"Backpropagation, factor by factor: dL/dθ for {len(rows)} parameter" + (
        "s" * (len(rows) != 1))
    note = ("Each gradient is the product of the local derivatives from θ to the loss (chain "
            "rule), next to the gradient that autograd computed. Largest |product - autograd| "
            f"= {_largest_difference(trace):.1e}.")
    return html.block(html.table(["θ", "chain of local derivatives", "product", "autograd",
                                  "|difference|"], rows, title=title, digits=6, note=note))


def trace_repr(trace) -> str:
    """A one-line summary: how many chains, and how close they are to autograd."""
    symbols = [row.symbol for row in trace.rows]
    shown = ", ".join(symbols[:6]) + (", ..." if len(symbols) > 6 else "")
    return (f"<Trace of {len(symbols)} parameter gradient(s) [{shown}]: chain products equal "
            f"autograd to {_largest_difference(trace):.1e}; print() it for the chains>")
