"""The one way viz builds a figure: no pyplot, so nothing depends on a display."""

from __future__ import annotations


def _figure(width: float = 6.4, height: float = 4.0):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")
