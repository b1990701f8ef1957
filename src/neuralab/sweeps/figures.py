"""The sweep report's figures: curves compared across configurations, and a 2-D heat map.

Both return a ``matplotlib.figure.Figure`` built without pyplot, like :mod:`neuralab.viz`.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure


def _mean_and_range(runs) -> tuple:
    """Per-epoch mean, minimum and maximum over runs (of possibly different lengths)."""
    length = max(len(run) for run in runs)
    table = np.full((len(runs), length), np.nan)
    for i, run in enumerate(runs):
        table[i, :len(run)] = run
    return np.nanmean(table, axis=0), np.nanmin(table, axis=0), np.nanmax(table, axis=0)


def curve_panels(panels: dict, ylabel: str, title: str | None = None):
    """Compare per-epoch curves: one axes per panel, one line per label in it.

    Each line is the mean over its runs at every epoch (mean_e = (1/R) Σ_r c_r[e], over the runs
    that reached epoch e), with a shaded band from the lowest to the highest run.

    Parameters
    ----------
    panels : dict
        {panel title: {line label: [run curve, ...]}}, each run curve a list of per-epoch
        values (e.g. the validation accuracy of each seed).
    ylabel : str
        What the curves measure, e.g. "val_accuracy".
    """
    if not panels or not any(panels.values()):
        raise ValueError("curve_panels needs at least one panel with one line of runs.")
    columns = len(panels) if len(panels) <= 3 else math.ceil(math.sqrt(len(panels)))
    rows = -(-len(panels) // columns)
    figure = Figure(figsize=(4.2 * columns, 3.2 * rows), layout="constrained")
    grid = figure.subplots(rows, columns, squeeze=False, sharey=True)
    axes = grid.ravel()
    for ax, (name, lines) in zip(axes, panels.items(), strict=False):
        for label, runs in lines.items():
            mean, low, high = _mean_and_range(runs)
            epochs = range(1, len(mean) + 1)
            (line,) = ax.plot(epochs, mean, label=label)
            if len(runs) > 1:
                ax.fill_between(epochs, low, high, color=line.get_color(), alpha=0.2, lw=0)
        ax.set(title=name, xlabel="epoch")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(fontsize="small")
    for ax in grid[:, 0]:
        ax.set_ylabel(ylabel)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    if title:
        figure.suptitle(title)
    return figure


def heatmap(values, row_labels, col_labels, *, row_title: str, col_title: str,
            annotations=None, title: str | None = None, higher_is_better: bool = True):
    """A coloured table of ``values`` (rows × columns), e.g. a score over a 2-D grid.

    The colours run from dark (worst) to bright (best): pass ``higher_is_better=False`` for
    losses. NaN cells (nothing to show) are grey.

    Parameters
    ----------
    values : array-like of shape (len(row_labels), len(col_labels))
    row_labels, col_labels : sequences of str
    row_title, col_title : str
        The names of the two axes, e.g. "activation" and "lr".
    annotations : array-like of str, optional
        Text written in each cell (default: the value to 3 decimals).
    """
    values = np.asarray(values, dtype=float)
    if values.shape != (len(row_labels), len(col_labels)):
        raise ValueError(
            f"heatmap values have shape {values.shape}, but there are {len(row_labels)} row "
            f"labels and {len(col_labels)} column labels."
        )
    if annotations is None:
        annotations = [[f"{v:.3f}" if np.isfinite(v) else "" for v in row] for row in values]
    figure = Figure(figsize=(1.6 + 1.3 * len(col_labels), 1.2 + 0.8 * len(row_labels)),
                    layout="constrained")
    ax = figure.subplots()
    cmap = colormaps["viridis" if higher_is_better else "viridis_r"].with_extremes(
        bad="lightgrey")
    image = ax.imshow(values, cmap=cmap, aspect="auto")
    figure.colorbar(image, ax=ax)
    ax.set(xticks=range(len(col_labels)), xticklabels=col_labels, xlabel=col_title,
           yticks=range(len(row_labels)), yticklabels=row_labels, ylabel=row_title)
    finite = values[np.isfinite(values)]
    middle = (finite.min() + finite.max()) / 2 if finite.size else 0.0
    for (i, j), value in np.ndenumerate(values):
        bright = not np.isfinite(value) or (value > middle) == higher_is_better
        ax.text(j, i, annotations[i][j], ha="center", va="center", fontsize="small",
                color="black" if bright else "white")
    if title:
        ax.set_title(title)
    return figure
