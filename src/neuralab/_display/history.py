"""A History in a notebook: its loss and metric curves as an image, and a summary table."""

from __future__ import annotations

import math

from . import html

#: logs that are settings or timings, not quantities to improve: no "best" for them
_NOT_SCORES = ("lr", "epoch_seconds", "grad_norm")


def _maximised(key: str) -> bool:
    return any(word in key for word in ("acc", "r2", "score"))


def summary_rows(logs: dict) -> list[list]:
    """[name, first, last, best, best epoch] per recorded number (best: lowest loss, highest
    accuracy/score; epochs counted from 1)."""
    rows = []
    for key, values in logs.items():
        numbers = [v for v in values if isinstance(v, int | float)]
        if not numbers or len(numbers) != len(values):
            continue  # e.g. the diagnostics callback's list of reports
        best = best_epoch = None
        finite = [(v, k) for k, v in enumerate(numbers, start=1) if math.isfinite(v)]
        if key not in _NOT_SCORES and finite:
            best = (max if _maximised(key) else min)(v for v, _ in finite)
            best_epoch = next(k for v, k in finite if v == best)  # the first to reach it
        rows.append([key, numbers[0], numbers[-1], best, best_epoch])
    return rows


def history_html(history, dpi: int = 72) -> str:
    """The curves of ``loss_curves`` (as a PNG) above a first / last / best table."""
    from ..viz import loss_curves

    logs = history.history
    epochs = len(history.epoch)
    if not logs.get("loss"):
        return html.block(html.paragraph("History: no epoch recorded yet.", muted=True))
    figure = loss_curves(history)
    title = f"History: {epochs} epoch{'s' * (epochs != 1)}" + (
        " (interrupted with Ctrl-C)" if history.interrupted else "")
    table = html.table(["", "first", "last", "best", "best epoch"], summary_rows(logs))
    return html.block(html.heading(title), html.image(figure, dpi), table)
