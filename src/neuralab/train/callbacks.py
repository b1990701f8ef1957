"""Callbacks: code that runs at fixed points of ``fit`` (Keras's design).

A callback overrides any of the no-op hooks below. ``logs`` is a dict of floats: "loss" and the
metrics of the epoch, the same with a "val_" prefix for validation data, "grad_norm", "lr" and
"epoch_seconds". To stop training a callback sets ``self.run.stop_training = True`` (a flag, not
an exception). ``self.run`` is the :class:`~neuralab.train.run.TrainingRun` (model, optimizer,
history, ...), set by ``fit`` before ``on_train_begin``.
"""

from __future__ import annotations

import csv
import math
import warnings
from pathlib import Path


class Callback:
    """Base class: every hook does nothing. Override the ones you need."""

    run = None

    def set_run(self, run) -> None:
        self.run = run

    def on_train_begin(self, logs=None) -> None:
        """Before the first epoch."""

    def on_train_end(self, logs=None) -> None:
        """After the last epoch (also after early stopping or Ctrl-C)."""

    def on_epoch_begin(self, epoch: int, logs=None) -> None:
        """Before epoch ``epoch`` (counted from 0)."""

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        """After epoch ``epoch`` with its ``logs``."""

    def on_batch_end(self, batch: int, logs=None) -> None:
        """After each parameter update; ``logs`` has the batch's "loss" and "size"."""

    def get_state(self) -> dict:
        """What a checkpoint must keep so that a resumed run behaves as an uninterrupted one."""
        return {}

    def set_state(self, state: dict) -> None:
        """Restore what :meth:`get_state` returned."""


class History(Callback):
    """Records the logs of every epoch: ``history.history["loss"]`` is the list of epoch losses.

    ``fit`` always adds one and returns it.
    """

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []
        #: True when the run was stopped with Ctrl-C
        self.interrupted = False

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        self.epoch.append(epoch)
        history = self.history
        for key, value in (logs or {}).items():
            if key in history:
                history[key].append(value)
            else:
                history[key] = [value]

    def get_state(self) -> dict:
        return {"history": self.history, "epoch": self.epoch}

    def set_state(self, state: dict) -> None:
        self.history = {k: list(v) for k, v in state["history"].items()}
        self.epoch = list(state["epoch"])

    def __repr__(self) -> str:
        return f"History(epochs={len(self.epoch)}, keys={sorted(self.history)})"

    def _repr_html_(self) -> str:
        """In a notebook: the loss (and accuracy) curves and a first / last / best table."""
        from .._display.history import history_html

        return history_html(self)


class Monitor:
    """The one "did it improve?" rule shared by early stopping and checkpointing.

    ``mode="auto"`` maximises quantities named like accuracy and minimises the rest (losses).
    An improvement must beat the best value so far by more than ``min_delta``.
    """

    def __init__(self, monitor: str, mode: str = "auto", min_delta: float = 0.0) -> None:
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"mode must be 'auto', 'min' or 'max'. Got {mode!r} instead.")
        if mode == "auto":
            mode = "max" if "acc" in monitor else "min"
        self.monitor, self.mode, self.min_delta = monitor, mode, abs(min_delta)
        self.best = math.inf if mode == "min" else -math.inf
        self._warned = False

    def value(self, logs, owner: str) -> float | None:
        """The monitored value in ``logs``; warns once (listing what exists) when it is absent."""
        value = (logs or {}).get(self.monitor)
        if value is None and not self._warned:
            self._warned = True
            available = ", ".join(sorted(logs or {})) or "none"
            warnings.warn(
                f"{owner} monitors {self.monitor!r}, which is not in the logs (available: "
                f"{available}). Pass validation data or monitor one of those.",
                stacklevel=3,
            )
        return value

    def improved(self, value: float) -> bool:
        """True (and remember ``value`` as the best) when it beats the best so far."""
        if self.mode == "min":
            better = value < self.best - self.min_delta
        else:
            better = value > self.best + self.min_delta
        if better:
            self.best = value
        return better


class EarlyStopping(Callback):
    """Stop when the monitored quantity has not improved for ``patience`` epochs.

    Parameters
    ----------
    monitor : str
        A key of the logs, "val_loss" by default (needs validation data).
    patience : int
        Epochs without improvement before stopping.
    min_delta : float
        Smallest change that counts as an improvement.
    mode : "auto", "min" or "max"
    restore_best : bool
        At the end of training, put back the weights of the best epoch.

    Attributes
    ----------
    stopped_epoch : int or None
        The epoch after which training stopped, if it stopped early.
    best_epoch : int or None
    """

    def __init__(self, monitor: str = "val_loss", patience: int = 5, min_delta: float = 0.0,
                 mode: str = "auto", restore_best: bool = True) -> None:
        if not isinstance(patience, int) or patience < 0:
            raise ValueError(f"patience must be an int >= 0. Got {patience!r} instead.")
        self.monitor = Monitor(monitor, mode, min_delta)
        self.patience, self.restore_best = patience, restore_best
        self.wait = 0
        self.best_epoch = self.stopped_epoch = None
        self.best_weights = None

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        value = self.monitor.value(logs, "EarlyStopping")
        if value is None:
            return
        if self.monitor.improved(value):
            self.wait, self.best_epoch = 0, epoch
            if self.restore_best:
                self.best_weights = self.run.model.state_dict()
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.run.stop_training = True

    def on_train_end(self, logs=None) -> None:
        last = self.run.history.epoch[-1] if self.run.history.epoch else None
        if self.restore_best and self.best_weights is not None and self.best_epoch != last:
            self.run.model.load_state_dict(self.best_weights)

    def get_state(self) -> dict:
        return {"best": self.monitor.best, "wait": self.wait, "best_epoch": self.best_epoch,
                "best_weights": self.best_weights}

    def set_state(self, state: dict) -> None:
        self.monitor.best, self.wait = state["best"], state["wait"]
        self.best_epoch, self.best_weights = state["best_epoch"], state["best_weights"]


class ModelCheckpoint(Callback):
    """Write a resumable checkpoint to ``path`` after each epoch (or only on improvement).

    The file holds the weights, the optimizer and scheduler state, the epoch, the run's seed,
    the states of every generator the run draws from (see ``train/run.py``) and the history;
    it is written atomically (a temporary file, then a rename), so an interruption never
    leaves half a file. Resume with ``nl.fit(..., resume_from=path)``; ``nl.load(path)`` also
    reads the model from it.

    Parameters
    ----------
    path : str or Path
    monitor : str
        With ``save_best_only``, the quantity that must improve (default "val_loss").
    save_best_only : bool
    mode : "auto", "min" or "max"
    """

    def __init__(self, path, monitor: str = "val_loss", save_best_only: bool = False,
                 mode: str = "auto") -> None:
        self.path = Path(path)
        self.save_best_only = save_best_only
        self.monitor = Monitor(monitor, mode)

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        if self.save_best_only:
            value = self.monitor.value(logs, "ModelCheckpoint")
            if value is None or not self.monitor.improved(value):
                return
        self.run.save_checkpoint(self.path)

    def get_state(self) -> dict:
        return {"best": self.monitor.best}

    def set_state(self, state: dict) -> None:
        self.monitor.best = state["best"]


class CSVLogger(Callback):
    """Append one row per epoch (epoch number, then every log value) to a CSV file.

    The file is flushed after each row, so it can be watched while training runs.

    Parameters
    ----------
    path : str or Path
        The CSV file; its header row holds the column names.
    append : bool
        Add to an existing file instead of starting a new one.
    """

    def __init__(self, path, append: bool = False) -> None:
        self.path, self.append = Path(path), append
        self._file = self._writer = None

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        logs = logs or {}
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            resume = self.append and self.path.exists() and self.path.stat().st_size > 0
            self._file = self.path.open("a" if resume else "w", newline="")
            self._writer = csv.DictWriter(self._file, fieldnames=["epoch", *logs])
            if not resume:
                self._writer.writeheader()
        self._writer.writerow({"epoch": epoch, **logs})
        self._file.flush()

    def on_train_end(self, logs=None) -> None:
        if self._file is not None:
            self._file.close()
            self._file = self._writer = None
