"""A live training view for Jupyter: the loss and metric curves, redrawn in place while fit runs.

:class:`LivePlot` puts one output in the notebook when training starts (an IPython display
with a ``display_id``) and updates that same output as epochs end, so a run of 500 epochs
leaves one figure, not 500. Redraws are spaced by at least ``every`` seconds, and by at least
as long as the last drawing took (the first and the last epoch are always drawn), so drawing
never takes more than about half of a run's time. IPython is optional: outside a notebook the
callback warns once and does nothing.
"""

from __future__ import annotations

import time
import warnings

from .callbacks import Callback
from .progress import format_logs

_clock = time.perf_counter  # the one clock of the redraw schedule


def notebook_display():
    """(display, HTML) from IPython when code runs in a Jupyter kernel, else None."""
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    return display, HTML


class LivePlot(Callback):
    """Draw the training curves in a notebook and redraw them in place after each epoch.

    Use it with ``nl.fit(..., callbacks=[LivePlot()])`` or an estimator's
    ``fit(X, y, callbacks=[LivePlot()])``. The figure is ``nl.viz.loss_curves`` of the run's
    history: training (and validation) loss, and the metrics beside it, with a line of the
    latest numbers above.

    Parameters
    ----------
    metrics : sequence of str, optional
        Drawn beside the loss (as in ``nl.viz.loss_curves``; default: accuracy when recorded).
    every : float >= 0
        Least number of seconds between two redraws (0: after every epoch, unless drawing
        takes longer than the epochs).
    dpi : int
        Resolution of the image.

    Notes
    -----
    Outside a Jupyter kernel (a script, a terminal, no IPython installed) it shows nothing and
    warns once; use ``verbose=1`` for a progress bar there.
    """

    def __init__(self, metrics=None, every: float = 1.0, dpi: int = 72) -> None:
        if isinstance(every, bool) or not isinstance(every, int | float) or not every >= 0:
            raise ValueError(
                f"The 'every' parameter of LivePlot must be a number of seconds >= 0. Got "
                f"{every!r} instead."
            )
        self.metrics, self.every, self.dpi = metrics, float(every), dpi
        self._handle = self._html = None
        self._warned = False
        self._drawn = self._last = self._cost = None

    def on_train_begin(self, logs=None) -> None:
        shown = notebook_display()
        if shown is None:
            self._handle = None
            if not self._warned:
                self._warned = True
                warnings.warn(
                    "LivePlot draws in a Jupyter notebook, and this is not one (no IPython "
                    "kernel), so it shows nothing. Use verbose=1 for a progress bar, or "
                    "nl.viz.loss_curves(history) after training.", UserWarning, stacklevel=2)
            return
        display, self._html = shown
        self._handle = display(self._html("<p>LivePlot: waiting for the first epoch…</p>"),
                               display_id=True)
        self._drawn, self._last, self._cost = 0, -float("inf"), 0.0

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        waited = _clock() - self._last if self._handle is not None else None
        if waited is not None and waited >= max(self.every, self._cost):
            self._draw(logs)

    def on_train_end(self, logs=None) -> None:
        if self._handle is not None and len(self.run.history.epoch) > self._drawn:
            self._draw(None)

    def _draw(self, logs) -> None:
        from .._display import html
        from ..viz import loss_curves

        start = _clock()
        history = self.run.history
        done = len(history.epoch)
        last = logs or {k: v[-1] for k, v in history.history.items()
                        if v and isinstance(v[-1], int | float)}
        status = f"epoch {done} of {self.run.epochs}" + (
            f" · {format_logs(last)}" if last else "")
        figure = loss_curves(history, metrics=self.metrics)
        self._handle.update(self._html(html.block(html.paragraph(status),
                                                  html.image(figure, self.dpi))))
        self._last = _clock()
        self._drawn, self._cost = done, self._last - start
