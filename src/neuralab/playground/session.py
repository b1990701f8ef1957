"""One browser tab's run: its configuration, data, network and training, as plain messages.

A :class:`Session` knows nothing of the web: every method takes and returns JSON-ready dicts
(the messages of the protocol described in :mod:`neuralab.playground.server`), so it is used the
same way by the server and by tests. It is not thread-safe: the server calls it from one worker
thread at a time.
"""

from __future__ import annotations

import math
import time

import numpy as np

from . import csvdata
from .config import Limits, PlaygroundConfig, validate_config
from .export import export_script
from .features import FEATURES
from .modelfile import load_model_bytes, model_bytes
from .task import make_task
from .teaching import (
    PERCEPTRON_PATIENCE,
    diagnostics_report,
    linearly_separable,
    perceptron_notice,
    trace_point,
)
from .trainer import Trainer
from .views import GRID, NEURON_GRID, feature_maps, network_maps, weights

#: seconds between two diagnostics reports while training (they cost a forward and backward)
DIAGNOSTICS_INTERVAL = 0.25


class TrainingDivergedError(RuntimeError):
    """The loss became NaN or infinite."""


class Session:
    """The state of one playground tab.

    Parameters
    ----------
    limits : Limits
        The server's limits, applied to every configuration and upload.
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.config: PlaygroundConfig | None = None
        self.trainer: Trainer | None = None
        #: counts the runs started: messages of an earlier run carry an older number
        self.run = 0
        self._last_diagnostics = -math.inf
        #: whether this run's perceptron was told why it does not settle, and whether a line
        #: separates its training points (None: not decided yet)
        self._noticed = False
        self._separable: bool | None = None
        #: an uploaded CSV table waiting for its columns to be picked
        self._table: csvdata.Table | None = None

    # -- building -----------------------------------------------------------------------------
    def configure(self, data: dict) -> dict:
        """Validate ``data`` and build a fresh run from it; returns the "ready" message.

        Raises
        ------
        ValueError
            If the configuration is invalid (the message lists every problem).
        """
        config = validate_config(data, self.limits)
        return self._start(config)

    def reset(self) -> dict:
        """Start the current configuration again: same seed, same data, same first weights."""
        return self._start(self.require_config())

    def _start(self, config: PlaygroundConfig, model=None, source: str = "config") -> dict:
        trainer = Trainer(config, make_task(config), model=model)
        self.config, self.trainer = config, trainer
        self.run += 1
        self._last_diagnostics = -math.inf
        self._noticed, self._separable = False, None
        return self.ready_message(source)

    def require_config(self) -> PlaygroundConfig:
        if self.config is None:
            raise ValueError('No run yet: send {"type": "config", "config": {...}} first.')
        return self.config

    def _trainer(self) -> Trainer:
        self.require_config()
        return self.trainer

    # -- training -----------------------------------------------------------------------------
    def train(self, epochs: int, seconds: float) -> int:
        """Train ``epochs`` whole epochs, or fewer if ``seconds`` pass first (at least one);
        ``epochs=0`` trains until ``seconds`` have passed. Returns the epochs trained.

        Raises
        ------
        StepUnitsError
            For hidden step units (see :mod:`neuralab.playground.trainer`).
        """
        trainer = self._trainer()
        deadline = time.perf_counter() + seconds
        done = 0
        while True:
            trainer.train_epoch()
            done += 1
            if done == epochs or time.perf_counter() >= deadline:
                return done

    def advance(self, epochs: int, seconds: float) -> dict:
        """Train (see :meth:`train`), then return a frame."""
        self.train(epochs, seconds)
        return self.frame()

    # -- messages -----------------------------------------------------------------------------
    def ready_message(self, source: str = "config") -> dict:
        """The "ready" message: the normalised settings, the points and the network's shape."""
        config, trainer = self.config, self.trainer
        return {
            "type": "ready",
            "run": self.run,
            "source": source,
            "config": config.model_dump(),
            "data": trainer.task.to_dict(),
            "network": {
                "sizes": [len(config.features), *config.hidden, config.n_outputs],
                "features": [FEATURES[name][0] for name in config.features],
                "problem": config.problem,
                "perceptron": config.is_perceptron,
                "loss_name": trainer.loss_name,
                "parameters": trainer.model.num_parameters(),
            },
            "grid": GRID,
            "neuron_grid": NEURON_GRID,
            "feature_maps": feature_maps(config.features, trainer.task.extent),
        }

    def frame(self, force_diagnostics: bool = False) -> dict:
        """The "frame" message: losses, heat maps and weights now (diagnostics now and then,
        and once per run a perceptron's ``notice`` that no line separates its classes).

        Raises
        ------
        TrainingDivergedError
            If the training loss is not finite.
        """
        trainer = self._trainer()
        losses = trainer.losses()
        if not np.isfinite(losses["train_loss"]):
            raise TrainingDivergedError(
                f"The training loss became {losses['train_loss']} after {trainer.epoch} epochs: "
                "the weights have blown up. Lower the learning rate, turn on gradient clipping, "
                "or press reset."
            )
        with trainer.evaluating() as model:
            maps = network_maps(model, self.config.features, trainer.task,
                                trainer.outputs_probability)
        message = {"type": "frame", "run": self.run, "epoch": trainer.epoch,
                   "updates": trainer.updates, **losses, **maps, "weights": weights(trainer.model)}
        now = time.perf_counter()
        if force_diagnostics or now - self._last_diagnostics >= DIAGNOSTICS_INTERVAL:
            self._last_diagnostics = now
            message["diagnostics"] = diagnostics_report(trainer)
        if self._never_settles(losses["train_loss"]):
            self._noticed = True
            message["notice"] = {"code": "not_separable",
                                 "message": perceptron_notice(trainer.epoch, losses["train_loss"])}
        return message

    def _never_settles(self, error_rate: float) -> bool:
        """A perceptron that has had its patience, has mistakes left and no line to find (told
        once per run; the linear program runs once per run)."""
        trainer = self.trainer
        if (self._noticed or not self.config.is_perceptron or error_rate == 0
                or trainer.epoch < PERCEPTRON_PATIENCE):
            return False
        if self._separable is None:
            self._separable = linearly_separable(trainer.task.X_train, trainer.task.y_train)
        return not self._separable

    def trace(self, split: str, index: int) -> dict:
        """The "trace" message: the backprop trace of one data point (see ``nl.explain``)."""
        trainer = self._trainer()
        if split not in ("train", "test"):
            raise ValueError(f'"split" must be "train" or "test"; got {split!r}.')
        points = trainer.task.points_train if split == "train" else trainer.task.points_test
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(points):
            raise ValueError(
                f'"index" must be an integer from 0 to {len(points) - 1} (a {split} point); '
                f"got {index!r}."
            )
        return {"type": "trace", "split": split, "index": index,
                "point": [float(v) for v in points[index]], **trace_point(trainer, split, index)}

    # -- model files --------------------------------------------------------------------------
    def model_file(self) -> bytes:
        """The trained model as a ``.safetensors`` file (what ``nl.save`` writes)."""
        trainer = self._trainer()
        return model_bytes(trainer.model, self.config)

    def load_model_file(self, raw: bytes, filename: str | None) -> dict:
        """Replace the network by an uploaded model file; returns the "ready" message.

        Raises
        ------
        neuralab.ModelFileError
            If the file is not a model the playground can show (see :mod:`.modelfile`).
        """
        model, config = load_model_bytes(raw, filename, self.require_config(), self.limits)
        return self._start(config, model=model, source="upload")

    # -- the learner's own data and the script ------------------------------------------------
    def read_csv(self, raw: bytes, name: str) -> dict:
        """Read an uploaded CSV file and keep it; returns the "csv" message (its columns).

        Raises
        ------
        ValueError
            If the file is not a table the playground can use (see :mod:`.csvdata`).
        """
        self._table = csvdata.read_table(raw, name, self.limits)
        return self._table.summary()

    def csv_settings(self, x1: str, x2: str, label: str, task: str) -> dict:
        """The "csv_points" message: the settings of a "custom" dataset made of three columns
        of the uploaded table, and a ``note`` saying how they were standardised. The page
        merges them into its settings (fitting the loss to the problem) and sends them back
        as a "config"."""
        if self._table is None:
            raise ValueError("No CSV file was uploaded in this tab; upload one first.")
        settings, note = csvdata.points_from_columns(self._table, x1, x2, label, task,
                                                      self.limits)
        return {"type": "csv_points", "settings": settings, "note": note}

    def export_script(self) -> str:
        """The Python script that reproduces this run so far (see :mod:`.export`)."""
        trainer = self._trainer()
        return export_script(self.config, trainer.epoch, len(trainer.task.X_train))
