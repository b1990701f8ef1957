"""Small figure helpers shared by the lessons (matplotlib without pyplot)."""

from __future__ import annotations

from ..viz._figure import _figure


def grid(n_rows: int, n_cols: int, width: float = 4.2, height: float = 3.4, title=None):
    """A new figure with an (n_rows, n_cols) array of axes."""
    figure = _figure(width * n_cols, height * n_rows)
    axes = figure.subplots(n_rows, n_cols, squeeze=False)
    if title:
        figure.suptitle(title)
    return figure, axes


def curves(ax, series: dict, xlabel: str, ylabel: str, title: str, log: bool = False,
           x: dict | None = None) -> None:
    """One line per entry of ``series`` {label: values} (x: {label: x values}, default 1..n)."""
    for label, values in series.items():
        xs = x[label] if x is not None else range(1, len(values) + 1)
        ax.plot(xs, values, label=label)
    if log:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend(fontsize=8)
