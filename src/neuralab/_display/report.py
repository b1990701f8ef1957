"""A diagnostics report in a notebook: the layer table with coloured flags, then the advice."""

from __future__ import annotations

from ..diagnostics import _percent
from . import html


def _flags(layer) -> html.Raw:
    if not layer.flags:
        return html.Raw(html.flag("ok", "ok"))
    return html.Raw(" ".join(html.flag(f, "bad") for f in layer.flags))


def report_html(report) -> str:
    rows = [[layer.index, layer.activation, layer.grad_norm, layer.weight_norm,
             _percent(layer.dead_fraction), _percent(layer.saturated_fraction), _flags(layer)]
            for layer in report.layers]
    table = html.table(["layer", "activation", "‖dL/dW‖", "‖W‖", "dead", "saturated", "flags"],
                       rows, digits=3,
                       title=f"Diagnostics: {report.loss_name} loss {report.loss:.4g}")
    if report.advice:
        verdict = html.heading("Advice") + html.bullets(report.advice)
    else:
        verdict = html.paragraph("Healthy: no layer is flagged.")
    return html.block(table, verdict)


def _layers(indices: list[int]) -> str:
    return ("layer " if len(indices) == 1 else "layers ") + ", ".join(map(str, indices))


def report_repr(report) -> str:
    """One line: the loss, the number of layers and which layers carry which flag."""
    by_flag: dict[str, list[int]] = {}
    for layer in report.layers:
        for flag in layer.flags:
            by_flag.setdefault(flag, []).append(layer.index)
    found = "; ".join(f"{flag} in {_layers(indices)}" for flag, indices in by_flag.items())
    return (f"<Report: {report.loss_name} loss {report.loss:.4g}, {len(report.layers)} layers, "
            f"{found or 'healthy'}; print() it for the table and advice>")
