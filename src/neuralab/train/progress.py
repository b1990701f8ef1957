"""Progress output of ``fit``: a live rich progress bar in a terminal, plain lines elsewhere."""

from __future__ import annotations

import sys

from .callbacks import Callback


def format_logs(logs: dict) -> str:
    """``loss 0.1234 · accuracy 0.9700 · val_loss ...`` (timing and lr left out)."""
    shown = {k: v for k, v in logs.items() if k not in ("epoch_seconds", "lr", "grad_norm")}
    return " · ".join(f"{k} {v:.4f}" for k, v in shown.items())


class ProgressBar(Callback):
    """Show training progress.

    ``verbose=1``: a rich progress bar with the epoch and the latest logs when the output is a
    terminal; otherwise about ten plain lines over the run. ``verbose=2``: one line per epoch.
    """

    def __init__(self, epochs: int, verbose: int = 1, stream=None) -> None:
        self.epochs, self.verbose = epochs, verbose
        self.stream = stream if stream is not None else sys.stdout
        self._progress = self._task = None

    def on_train_begin(self, logs=None) -> None:
        if self.verbose == 1 and self.stream.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("epoch"), MofNCompleteColumn(), BarColumn(), TimeRemainingColumn(),
                TextColumn("{task.fields[logs]}"),
                console=Console(file=self.stream), transient=False,
            )
            self._progress.start()
            start = self.run.initial_epoch
            self._task = self._progress.add_task("fit", total=self.epochs, completed=start, logs="")

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        text = format_logs(logs or {})
        if self._progress is not None:
            self._progress.update(self._task, completed=epoch + 1, logs=text)
            return
        every = 1 if self.verbose >= 2 else max(1, self.epochs // 10)
        if (epoch + 1) % every == 0 or epoch + 1 == self.epochs:
            width = len(str(self.epochs))
            print(f"epoch {epoch + 1:>{width}}/{self.epochs}  {text}", file=self.stream,
                  flush=True)

    def on_train_end(self, logs=None) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
