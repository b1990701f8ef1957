"""Gradient flow: per-layer gradient norms from a diagnostics report."""

from __future__ import annotations

from ._figure import _figure

#: the flags that are about the plotted quantity, the gradient norm (not dead/saturated units)
GRADIENT_FLAGS = ("vanishing", "exploding")


def gradient_flow(report, *, title: str | None = None, ax=None):
    """Gradient norm of each layer on a log scale; layers whose gradient is flagged vanishing
    or exploding are ringed in red (a dead-unit or saturation flag is not about this axis, so
    it gets no ring).

    Parameters
    ----------
    report : diagnostics.Report, its ``to_dict()``, or a dict {label: report}
        Several labelled reports are drawn as one line each, to compare networks (sigmoid
        against ReLU, with and without batch norm).
    title : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    def layers_of(item):
        data = item.to_dict() if hasattr(item, "to_dict") else item
        if not isinstance(data, dict) or "layers" not in data:
            raise TypeError(
                "gradient_flow takes a diagnostics Report (nl.diagnostics.report(...)), its "
                f"to_dict(), or a dict of them by label. Got {type(item).__name__}."
            )
        return data["layers"]

    single = hasattr(report, "to_dict") or (isinstance(report, dict) and "layers" in report)
    series = {"": report} if single else dict(report)
    figure = ax.figure if ax is not None else _figure(6.4, 4.0)
    ax = ax if ax is not None else figure.subplots()
    for label, item in series.items():
        layers = layers_of(item)
        index = [layer["index"] for layer in layers]
        norms = [max(layer["grad_norm"], 1e-30) for layer in layers]
        ax.plot(index, norms, marker="o", label=label or None)
        flagged = [(i, n) for i, n, layer in zip(index, norms, layers, strict=True)
                   if set(layer["flags"]) & set(GRADIENT_FLAGS)]
        if flagged:
            ax.scatter(*zip(*flagged, strict=True), s=90, facecolors="none",
                       edgecolors="red", linewidths=1.5, zorder=3)
    ax.set_yscale("log")
    ax.set(xlabel="layer (1 = next to the input)", ylabel="‖dL/dW‖",
           title=title or "gradient flow (red rings: vanishing or exploding)")
    if not single:
        ax.legend()
    return figure
