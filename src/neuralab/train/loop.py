"""``fit``: the training loop, with the course's three gradient-descent variants as batch sizes.

One epoch is one pass over the training data in batches from a
:class:`~neuralab.data.DataLoader`: ``batch_size="full"`` makes one update per epoch (batch
gradient descent), ``1`` makes one per sample (stochastic), ``n`` makes ceil(N/n) (mini-batch).
Each update is the loop the course writes as pseudocode::

    output = model(x_batch); loss = loss_fn(output, y_batch)
    optimizer.zero_grad(); loss.backward(); optimizer.step()

around which ``fit`` adds what a real run needs: input checks before anything changes, gradient
norms (and optional clipping), validation, callbacks, a guard against divergence, Ctrl-C
handling and resumable checkpoints.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .._config import no_grad
from .callbacks import Callback, History
from .checkpoint import load_checkpoint, save_checkpoint
from .checks import check_features, check_targets
from .progress import ProgressBar
from .targets import check_metrics, metric_sums, prepare_targets, resolve_loss


class TrainingDivergedError(RuntimeError):
    """The loss or the gradients became NaN or infinite; the weights were restored.

    Attributes
    ----------
    history : History
        What was recorded up to the last good epoch.
    """

    def __init__(self, message: str, history: History) -> None:
        super().__init__(message)
        self.history = history


class DivergenceGuard:
    """Keeps a copy of the last good weights and restores them when training diverges.

    The copy is taken at the start and after every finite epoch, into buffers allocated once,
    so it costs one memory copy of the weights per epoch.
    """

    def __init__(self, model) -> None:
        self.model = model
        self._arrays = self._live_arrays()
        self._saved = [a.copy() for a in self._arrays]
        self.good_epoch = None

    def _live_arrays(self) -> list[np.ndarray]:
        return [p.data for p in self.model.parameters()] + list(self.model.buffers())

    def snapshot(self, epoch: int) -> None:
        for saved, live in zip(self._saved, self._live_arrays(), strict=True):
            np.copyto(saved, live)
        self.good_epoch = epoch

    def restore(self) -> None:
        for saved, live in zip(self._saved, self._live_arrays(), strict=True):
            np.copyto(live, saved)

    def describe_restore(self) -> str:
        if self.good_epoch is None:
            return "The weights were restored to their values before training"
        return f"The weights were restored to the end of epoch {self.good_epoch + 1}"


class TrainingRun:
    """The state of one ``fit`` call, shared with the callbacks (as ``callback.run``).

    Attributes: ``model``, ``optimizer``, ``scheduler``, ``loader``, ``history``, ``epochs``,
    ``initial_epoch`` (epochs already done when resuming), ``epoch`` (epochs completed so far)
    and ``stop_training`` (set it to True to stop after the current epoch).
    """

    def __init__(self, model, optimizer, scheduler, loader, history, callbacks, epochs) -> None:
        self.model, self.optimizer, self.scheduler = model, optimizer, scheduler
        self.loader, self.history, self.callbacks = loader, history, callbacks
        self.epochs = epochs
        self.initial_epoch = self.epoch = 0
        self.stop_training = False

    def _generators(self) -> list[np.random.Generator]:
        """Random generators owned by modules (dropout), in a fixed order."""
        return [
            value for module in self.model.modules() for value in vars(module).values()
            if isinstance(value, np.random.Generator)
        ]

    def state(self) -> dict:
        """Everything needed to continue this run exactly where it is."""
        return {
            "epoch": self.epoch,
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "scheduler": self.scheduler.state_dict() if self.scheduler is not None else None,
            "loader": self.loader.get_state(),
            "generators": [g.bit_generator.state for g in self._generators()],
            "callbacks": [cb.get_state() for cb in self.callbacks],
        }

    def save_checkpoint(self, path) -> None:
        """Write :meth:`state` to ``path`` (atomically)."""
        save_checkpoint(path, self.state(), self.model.to_config())

    def resume(self, path) -> None:
        """Load a checkpoint written by a run of the same model and continue from it."""
        state, _ = load_checkpoint(path)
        if state["epoch"] >= self.epochs:
            raise ValueError(
                f"The checkpoint {str(path)!r} has completed {state['epoch']} epochs already; ask "
                f"for more than that (epochs={self.epochs})."
            )
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        if self.scheduler is not None and state["scheduler"] is not None:
            self.scheduler.load_state_dict(state["scheduler"])
        self.loader.set_state(state["loader"])
        for generator, saved in zip(self._generators(), state["generators"], strict=True):
            generator.bit_generator.state = saved
        for callback, saved in zip(self.callbacks, state["callbacks"], strict=False):
            callback.set_state(saved)
        self.initial_epoch = self.epoch = state["epoch"]


def _output_shape(model, X: np.ndarray) -> tuple:
    """The model's output shape for a couple of samples (eval mode, nothing recorded)."""
    was_training = model.training
    model.eval()
    try:
        with no_grad():
            return model(X[:2]).shape
    finally:
        model.train(was_training)


def _check_settings(epochs, validation_split, clip_grad_norm, verbose) -> None:
    if not isinstance(epochs, int | np.integer) or epochs < 1:
        raise ValueError(f"epochs must be an int >= 1. Got {epochs!r} instead.")
    if not 0.0 <= validation_split < 1.0:
        raise ValueError(f"validation_split must be in [0, 1). Got {validation_split!r} instead.")
    if clip_grad_norm is not None and not clip_grad_norm > 0:
        raise ValueError(f"clip_grad_norm must be > 0 or None. Got {clip_grad_norm!r} instead.")
    if verbose not in (0, 1, 2):
        raise ValueError(f"verbose must be 0, 1 or 2. Got {verbose!r} instead.")


def evaluate(model, X, y, *, loss, metrics=("accuracy",), batch_size: int = 1024) -> dict:
    """Loss and metrics of ``model`` on ``(X, y)`` in evaluation mode, without recording a graph.

    Returns
    -------
    dict
        {"loss": mean loss, metric: value, ...}
    """
    loss_fn, kind = resolve_loss(loss)
    X = check_features(X)
    y = prepare_targets(check_targets(y, len(X)), kind, _output_shape(model, X))
    return _evaluate(model, X, y, loss_fn, kind, check_metrics(metrics, kind), batch_size)


def _evaluate(model, X, y, loss_fn, kind, metrics, batch_size=1024) -> dict:
    was_training = model.training
    model.eval()
    totals = dict.fromkeys(("loss", *metrics), 0.0)
    try:
        with no_grad():
            for start in range(0, len(X), batch_size):
                xb, yb = X[start:start + batch_size], y[start:start + batch_size]
                out = model(xb)
                totals["loss"] += float(loss_fn(out, yb).data) * len(xb)
                for name, value in metric_sums(metrics, out.data, yb, kind).items():
                    totals[name] += value
    finally:
        model.train(was_training)
    return {name: value / len(X) for name, value in totals.items()}


@dataclass
class _StepSettings:
    """What every update of a run needs besides the run itself."""

    loss_fn: Callable
    kind: str
    metrics: tuple[str, ...]
    params: list
    max_norm: float
    clip: Callable
    guard: DivergenceGuard
    batch_hooks: list


def _train_epoch(run: TrainingRun, epoch: int, step: _StepSettings) -> dict:
    """One pass over the training batches; returns the epoch's mean loss and metrics."""
    model, optimizer, history = run.model, run.optimizer, run.history
    started = time.perf_counter()
    loss_sum, seen, norm_sum, updates = 0.0, 0, 0.0, 0
    sums = dict.fromkeys(step.metrics, 0.0)
    for batch, (xb, yb) in enumerate(run.loader):
        output = model(xb)
        batch_loss = step.loss_fn(output, yb)
        optimizer.zero_grad()
        batch_loss.backward()
        norm = step.clip(step.params, step.max_norm)
        value = float(batch_loss.data)
        if not (math.isfinite(value) and math.isfinite(norm)):
            step.guard.restore()
            raise TrainingDivergedError(
                f"Training diverged at epoch {epoch + 1}, batch {batch + 1}: the loss "
                f"became {value} and the gradient norm {norm}. "
                f"{step.guard.describe_restore()}. Try a lower learning rate (it was "
                f"{optimizer.lr:g}) or gradient clipping (clip_grad_norm=1.0).",
                history,
            )
        optimizer.step()
        size = len(xb)
        loss_sum, seen = loss_sum + value * size, seen + size
        norm_sum, updates = norm_sum + norm, updates + 1
        if step.metrics:
            for name, amount in metric_sums(step.metrics, output.data, yb, step.kind).items():
                sums[name] += amount
        for callback in step.batch_hooks:
            callback.on_batch_end(batch, {"loss": value, "size": size})
    return {"loss": loss_sum / seen, **{k: v / seen for k, v in sums.items()},
            "grad_norm": norm_sum / updates, "seconds": time.perf_counter() - started}


def fit(model, X, y, *, loss, optimizer, epochs: int, batch_size=32, validation_data=None,
        validation_split: float = 0.0, metrics=("accuracy",), callbacks=(),
        clip_grad_norm: float | None = None, verbose: int = 1, seed=None, shuffle: bool = True,
        scheduler=None, resume_from=None) -> History:
    """Train ``model`` on ``(X, y)`` with gradient descent and return the :class:`History`.

    Parameters
    ----------
    model : neuralab.nn.Module
    X : array-like of shape (N, features)
    y : array-like of shape (N,) or (N, outputs)
        Integer class labels for cross-entropy, 0/1 for the binary losses (a 1-D y is made a
        column for a one-unit output), numbers for mse.
    loss : str, loss module or callable
        "cross_entropy", "bce", "bce_with_logits", "mse", a module such as
        ``nn.CrossEntropyLoss()``, or any ``loss(output, target) -> Tensor``.
    optimizer : neuralab.optim.Optimizer or str
        An optimizer over ``model.parameters()``, or a name ("sgd", "momentum", "adam",
        "rmsprop") to build one with its default learning rate.
    epochs : int
        Passes over the training data (the total, when resuming).
    batch_size : "full", 1 or int
        Batch gradient descent, stochastic gradient descent, or mini-batches of that size.
    validation_data : (X_val, y_val), optional
    validation_split : float
        Fraction of (X, y) held out for validation (a seeded random split) when no
        validation_data is given.
    metrics : sequence of str
        "accuracy" (argmax for cross-entropy, threshold for the binary losses, within 0.5 for
        mse; skipped for custom losses), "mae", "mse".
    callbacks : sequence of Callback
        E.g. ``EarlyStopping``, ``ModelCheckpoint``, ``CSVLogger``.
    clip_grad_norm : float, optional
        Rescale the gradients so that their global L2 norm is at most this.
    verbose : 0, 1 or 2
        Silent; a progress bar (about ten lines without a terminal); one line per epoch.
    seed : int, optional
        Seeds the shuffling and the validation split.
    shuffle : bool
        Reshuffle the training data every epoch.
    scheduler : learning-rate schedule, optional
        Stepped once after every epoch.
    resume_from : str or Path, optional
        A checkpoint written by ``ModelCheckpoint`` for this model: training continues after its
        last epoch, with its weights, optimizer state and random state, and ends exactly as an
        uninterrupted run would.

    Returns
    -------
    History
        ``history.history`` maps "loss", the metrics, "val_*", "grad_norm" (mean global
        gradient norm of the epoch, before clipping), "lr" and "epoch_seconds" to per-epoch
        lists ("epoch_seconds" is the time spent training, without validation).

    Raises
    ------
    ValueError
        Before training, for empty data, NaN/inf, mismatched lengths or labels that do not fit
        the loss; the model is left unchanged.
    TrainingDivergedError
        When the loss or a gradient becomes non-finite; the last good weights are restored.

    Notes
    -----
    Ctrl-C stops training after the current batch; the model keeps its weights, a warning
    says so, and the history so far is returned (``history.interrupted`` is True).
    """
    from ..data import DataLoader, train_test_split
    from ..optim import build_optimizer, clip_grad_norm_

    _check_settings(epochs, validation_split, clip_grad_norm, verbose)
    X = check_features(X)
    y = check_targets(y, len(X))
    loss_fn, kind = resolve_loss(loss)
    metrics = check_metrics(metrics, kind)
    if isinstance(optimizer, str):
        optimizer = build_optimizer(optimizer, model.parameters())
    output_shape = _output_shape(model, X)
    y = prepare_targets(y, kind, output_shape)
    if validation_data is not None:
        X_val = check_features(validation_data[0], "X_val")
        y_val = prepare_targets(check_targets(validation_data[1], len(X_val), "y_val"), kind,
                                output_shape, "y_val")
    elif validation_split > 0:
        X, X_val, y, y_val = train_test_split(X, y, test_size=validation_split, seed=seed)
    else:
        X_val = y_val = None

    loader = DataLoader(X, y, batch_size=batch_size, shuffle=shuffle, seed=seed)
    history = History()
    user_callbacks = [history, *callbacks]
    for callback in user_callbacks:
        if not isinstance(callback, Callback):
            raise TypeError(f"callbacks must be Callback instances; got {type(callback).__name__}.")
    run = TrainingRun(model, optimizer, scheduler, loader, history, user_callbacks, epochs)
    if resume_from is not None:
        run.resume(resume_from)
    hooks = user_callbacks + ([ProgressBar(epochs, verbose)] if verbose else [])
    for callback in hooks:
        callback.set_run(run)
    batch_hooks = [cb for cb in hooks if type(cb).on_batch_end is not Callback.on_batch_end]

    max_norm = clip_grad_norm if clip_grad_norm is not None else math.inf
    step = _StepSettings(loss_fn, kind, metrics, list(model.parameters()), max_norm,
                         clip_grad_norm_, DivergenceGuard(model), batch_hooks)
    model.train()
    for callback in hooks:
        callback.on_train_begin()
    try:
        # A diverging run overflows long before its loss turns NaN; the guard below reports
        # that in one clear error, so NumPy's floating-point warnings would only be noise here.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for epoch in range(run.initial_epoch, epochs):
                for callback in hooks:
                    callback.on_epoch_begin(epoch)
                logs = _train_epoch(run, epoch, step)
                if X_val is not None:
                    val = _evaluate(model, X_val, y_val, loss_fn, kind, metrics)
                    logs.update({f"val_{k}": v for k, v in val.items()})
                seconds = logs.pop("seconds")
                logs.update(lr=float(optimizer.lr), epoch_seconds=seconds)
                if scheduler is not None:
                    scheduler.step()
                run.epoch = epoch + 1
                step.guard.snapshot(epoch)
                for callback in hooks:
                    callback.on_epoch_end(epoch, logs)
                if run.stop_training:
                    break
    except KeyboardInterrupt:
        history.interrupted = True
        warnings.warn(
            f"Training interrupted (Ctrl-C) after {run.epoch} complete epoch(s); the model keeps "
            "its current weights.", stacklevel=2,
        )
    finally:
        for callback in hooks:
            callback.on_train_end()
    return history
