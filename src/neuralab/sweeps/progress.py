"""What a running sweep shows: runs done / total, and the best validation score so far.

In a terminal a live rich progress bar; elsewhere (logs, CI) one plain line per finished run.
"""

from __future__ import annotations

import sys

from .cell import higher_is_better


class SweepProgress:
    """Progress of a sweep of ``total`` runs, ``done`` of which were finished before it started
    (``show=False`` only counts)."""

    def __init__(self, total: int, done: int, *, show: bool = True, stream=None) -> None:
        self.total, self.done, self.show = total, done, show
        self.stream = stream if stream is not None else sys.stdout
        self.best: tuple[float, str] | None = None
        self._bar = self._task = None

    def __enter__(self) -> SweepProgress:
        if self.show and self.stream.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("sweep"), MofNCompleteColumn(), BarColumn(), TimeElapsedColumn(),
                TimeRemainingColumn(), TextColumn("{task.fields[best]}"),
                console=Console(file=self.stream),
            )
            self._bar.start()
            self._task = self._bar.add_task("sweep", total=self.total, completed=self.done,
                                            best="")
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def consider(self, label: str, record: dict) -> None:
        """Take part in "best so far" without counting as done (a run stored earlier)."""
        metric = record["metric"]
        value = record.get(metric) if record["status"] == "ok" else None
        if value is None:
            return
        sign = 1.0 if higher_is_better(metric) else -1.0
        if self.best is None or sign * value > sign * self.best[0]:
            self.best = (value, f"best {metric} {value:.4f} ({label})")

    def update(self, label: str, record: dict) -> None:
        """Count one finished run (``label`` names its configuration and seed)."""
        self.done += 1
        self.consider(label, record)
        best = self.best[1] if self.best else "no successful run yet"
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done, best=best)
            return
        if not self.show:
            return
        metric = record["metric"]
        outcome = (f"{metric} {record[metric]:.4f}" if record["status"] == "ok"
                   else f"failed: {record['error']}")
        seconds = "" if record["seconds"] is None else f" ({record['seconds']:.1f} s)"
        print(f"[{self.done}/{self.total}] {label}: {outcome}{seconds} | {best}",
              file=self.stream, flush=True)
