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

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .._config import default_generator, no_grad
from .._validation import check_float, check_int, check_option
from ..data import DataLoader, train_test_split
from ..optim import build_optimizer
from .callbacks import Callback, History
from .checkpoint import restore
from .checks import (
    check_features,
    check_input_features,
    check_optimizer,
    check_probabilities,
    check_same_features,
    check_sample_weight,
    check_targets,
)
from .guard import DivergenceGuard, TrainingDivergedError
from .progress import ProgressBar
from .run import TrainingRun, read_resume_state
from .step import NonFiniteStep, TrainingStep
from .targets import check_metrics, metric_summers, prepare_targets, resolve_loss, weighted_loss


def _sample_output(model, X: np.ndarray):
    """The model's output for a couple of samples (eval mode, nothing recorded): its shape and
    dtype tell what the targets must look like."""
    with model.evaluating(), no_grad():
        return model(X[:2])


def _check_settings(epochs, validation_split, clip_grad_norm, verbose, seed) -> None:
    """fit's own arguments, in the project's one message format (see ``_validation``)."""
    check_int(epochs, "epochs", "fit")
    if seed is not None:
        check_int(seed, "seed", "fit", low=0)
    check_float(validation_split, "validation_split", "fit", 0.0, 1.0, high_open=True)
    if clip_grad_norm is not None:
        check_float(clip_grad_norm, "clip_grad_norm", "fit", 0.0, low_open=True)
    check_option(verbose, "verbose", "fit", (0, 1, 2))


def _run_seed(seed: int | None, resumed: dict | None) -> int:
    """The seed of the run's validation split and shuffling: a resumed run's, else the one
    given, else one drawn from the default generator (so ``nl.manual_seed`` still decides it,
    and a checkpoint can record it)."""
    if resumed is not None and resumed.get("seed") is not None:
        return resumed["seed"]
    return int(default_generator().integers(2**63)) if seed is None else int(seed)


def _validation_parts(validation_data) -> tuple:
    """``(X_val, y_val, sample_weight_val or None)`` from a pair or a triple."""
    if not isinstance(validation_data, tuple | list) or len(validation_data) not in (2, 3):
        size = f" of {len(validation_data)}" if isinstance(validation_data, tuple | list) else ""
        raise ValueError(
            "validation_data must be a pair (X_val, y_val) or a triple (X_val, y_val, "
            f"sample_weight_val). Got a {type(validation_data).__name__}{size} instead."
        )
    return (*validation_data, None)[:3]


def evaluate(model, X, y, *, loss, metrics=("accuracy",), batch_size: int = 1024,
             sample_weight=None) -> dict:
    """Loss and metrics of ``model`` on ``(X, y)`` in evaluation mode, without recording a graph.

    With ``sample_weight`` (one weight >= 0 per sample) every value is the weighted mean
    Σ w_i v_i / Σ w_i of the per-sample values.

    Parameters
    ----------
    model : nn.Module
        The network; its training flags come back as they were after the evaluation.
    X : array-like, shape (N, features)
        The inputs.
    y : array-like
        The targets, as :func:`fit` takes them for the same loss.
    loss : str or callable
        A loss name from ``nn.LOSSES`` ("bce", "cross_entropy", ...), a loss module or a
        function ``loss(output, target) -> scalar Tensor``.
    metrics : sequence of str, default ("accuracy",)
        The metrics to report beside the loss.
    batch_size : int, default 1024
        Rows per forward pass (memory, not the result).
    sample_weight : array-like of shape (N,), optional
        One weight >= 0 per sample.

    Returns
    -------
    dict
        {"loss": mean loss, metric: value, ...}
    """
    loss_fn, kind = resolve_loss(loss)
    X = check_features(X)
    check_input_features(model, X)
    n_samples = X.shape[0]  # (a sparse X has no len())
    y = prepare_targets(check_targets(y, n_samples), kind, _sample_output(model, X))
    weights = None if sample_weight is None else check_sample_weight(sample_weight, n_samples)
    return _evaluate(model, X, y, loss_fn, kind, check_metrics(metrics, kind), batch_size,
                     weights, output_check=check_probabilities if kind == "bce" else None)


def _evaluate(model, X, y, loss_fn, kind, metrics, batch_size=1024, weights=None,
              output_check=None) -> dict:
    """Means over (X, y); ``weights`` (mean 1, or None) make them weighted means;
    ``output_check`` sees the first batch's outputs before its loss."""
    totals = dict.fromkeys(("loss", *metrics), 0.0)
    weighted = None if weights is None else weighted_loss(kind)
    summers = metric_summers(metrics, kind, y.dtype)
    with model.evaluating(), no_grad():
        for start in range(0, X.shape[0], batch_size):
            rows = slice(start, start + batch_size)
            xb, yb = X[rows], y[rows]
            wb = None if weights is None else weights[rows]
            out = model(xb)
            if output_check is not None and start == 0:
                output_check(out.data)
            batch_loss = loss_fn(out, yb) if wb is None else weighted(out, yb, wb)
            totals["loss"] += float(batch_loss.data) * xb.shape[0]
            for name, batch_sum in summers:
                totals[name] += batch_sum(out.data, yb, wb)
    return {name: value / X.shape[0] for name, value in totals.items()}


@dataclass
class _TrainingData:
    """The checked, prepared data of one fit call: what the epoch loop iterates over."""

    X: np.ndarray  # the training rows (after the validation split)
    y: np.ndarray  # their targets, in the form the loss takes
    weights: np.ndarray | None  # their sample weights, scaled to mean 1, or None
    validation: tuple | None  # (X_val, y_val, weights or None), or None without validation
    seed: int  # the run's seed (validation split and shuffling)
    resumed: dict | None  # the checkpoint's state when resuming


def _prepare_data(model, X, y, kind: str, *, sample_weight, validation_data,
                  validation_split: float, resume_from, epochs: int, seed) -> _TrainingData:
    """Check and convert the training and validation data, read the checkpoint to resume from
    and hold out the validation split; nothing is changed yet (see fit's Raises)."""
    n_samples = X.shape[0]
    weights = val_weights = X_val = y_val = None
    if sample_weight is not None:
        weights = check_sample_weight(sample_weight, n_samples)
    sample_output = _sample_output(model, X)
    y = prepare_targets(y, kind, sample_output)
    if validation_data is not None:
        X_val, y_val, val_weights = _validation_parts(validation_data)
        X_val = check_features(X_val, "X_val")
        check_same_features(X_val, X)
        y_val = prepare_targets(check_targets(y_val, X_val.shape[0], "y_val"), kind,
                                sample_output, "y_val")
        if val_weights is not None:
            val_weights = check_sample_weight(val_weights, X_val.shape[0], "sample_weight_val")
    resumed = None if resume_from is None else read_resume_state(resume_from, epochs, seed)
    seed = _run_seed(seed, resumed)
    if validation_data is None and validation_split > 0:
        X, X_val, rows, val_rows = train_test_split(X, np.arange(n_samples),
                                                    test_size=validation_split, seed=seed)
        y, y_val = y[rows], y[val_rows]
        if weights is not None:
            val_weights = check_sample_weight(weights[val_rows], len(val_rows),
                                              "sample_weight of the validation split")
            weights = check_sample_weight(weights[rows], len(rows),
                                          "sample_weight of the training split")
    validation = None if X_val is None else (X_val, y_val, val_weights)
    return _TrainingData(X, y, weights, validation, seed, resumed)


def _loader(data: _TrainingData, batch_size, shuffle: bool, drop_last: bool) -> DataLoader:
    """The batches of an epoch; with sample weights the loader yields row numbers, which pick
    the targets and weights of each batch (see :class:`_Epochs`)."""
    targets = data.y if data.weights is None else np.arange(data.X.shape[0])
    return DataLoader(data.X, targets, batch_size=batch_size, shuffle=shuffle, seed=data.seed,
                      drop_last=drop_last)


@dataclass
class _Epochs:
    """The epoch loop of one run: train on every batch, validate, log, call back."""

    run: TrainingRun
    step: TrainingStep
    hooks: list  # every callback, the progress bar included
    data: _TrainingData
    loss_fn: Callable
    kind: str
    metrics: tuple
    guard: DivergenceGuard

    def __post_init__(self) -> None:
        # each hook list holds only the callbacks that override it: one-batch epochs pay for
        # every call (full-batch descent on a small model takes a few microseconds per epoch)
        overrides = lambda name: [cb for cb in self.hooks  # noqa: E731
                                  if getattr(type(cb), name) is not getattr(Callback, name)]
        self.begin_hooks, self.batch_hooks = overrides("on_epoch_begin"), overrides("on_batch_end")
        self.end_hooks = overrides("on_epoch_end")
        summers = metric_summers(self.metrics, self.kind, self.data.y.dtype)
        self.metric_names = [name for name, _ in summers]
        self.summers = [batch_sum for _, batch_sum in summers]

    def run_all(self) -> None:
        """Epochs from the run's initial one until ``epochs`` or a callback's stop."""
        run, validation = self.run, self.data.validation
        batches = len(run.loader)
        for epoch in range(run.initial_epoch, run.epochs):
            for callback in self.begin_hooks:
                callback.on_epoch_begin(epoch)
            logs, seconds = self.train_epoch(epoch)
            if validation is not None:
                X_val, y_val, val_weights = validation
                val = _evaluate(run.model, X_val, y_val, self.loss_fn, self.kind, self.metrics,
                                weights=val_weights)
                for name, value in val.items():
                    logs[f"val_{name}"] = value
            logs["lr"], logs["epoch_seconds"] = float(run.optimizer.lr), seconds
            if run.scheduler is not None:
                run.scheduler.step()
            run.epoch = epoch + 1
            self.guard.snapshot(epoch, batches)
            for callback in self.end_hooks:
                callback.on_epoch_end(epoch, logs)
            if run.stop_training:
                break

    def train_epoch(self, epoch: int) -> tuple[dict, float]:
        """One pass over the training batches: the epoch's mean loss, metrics and gradient
        norm, and the seconds it took."""
        step, summers, batch_hooks = self.step, self.summers, self.batch_hooks
        targets, weights = self.data.y, self.data.weights
        started = time.perf_counter()
        loss_sum, seen, norm_sum, updates = 0.0, 0, 0.0, 0
        sums = [0.0] * len(summers)
        for batch, (xb, yb) in enumerate(self.run.loader):
            wb = None
            if weights is not None:  # the loader yields row numbers (see _loader)
                yb, wb = targets[yb], weights[yb]
            try:
                output, value, norm = step(xb, yb, wb)
            except NonFiniteStep as bad:
                raise self._diverged(epoch, batch, bad) from None
            size = xb.shape[0]
            loss_sum, seen = loss_sum + value * size, seen + size
            norm_sum, updates = norm_sum + norm, updates + 1
            for index, batch_sum in enumerate(summers):
                sums[index] += batch_sum(output, yb, wb)
            for callback in batch_hooks:
                callback.on_batch_end(batch, {"loss": value, "size": size})
        seconds = time.perf_counter() - started
        logs = {"loss": loss_sum / seen}
        for name, total in zip(self.metric_names, sums, strict=True):
            logs[name] = total / seen
        logs["grad_norm"] = norm_sum / updates
        return logs, seconds

    def _diverged(self, epoch: int, batch: int, bad: NonFiniteStep) -> TrainingDivergedError:
        """Put the last good state back and describe what happened."""
        self.guard.restore()
        return TrainingDivergedError(
            f"Training diverged at epoch {epoch + 1}, batch {batch + 1}: the loss "
            f"became {bad.loss} and the gradient norm {bad.norm}. "
            f"{self.guard.describe_restore()}. Try a lower learning rate (it was "
            f"{self.run.optimizer.lr:g}) or gradient clipping (clip_grad_norm=1.0).",
            self.run.history,
        )


def fit(model, X, y, *, loss, optimizer, epochs: int, batch_size=32, validation_data=None,
        validation_split: float = 0.0, metrics=("accuracy",), callbacks=(),
        clip_grad_norm: float | None = None, verbose: int = 1, seed=None, shuffle: bool = True,
        scheduler=None, resume_from=None, sample_weight=None, drop_last: bool = False) -> History:
    """Train ``model`` on ``(X, y)`` with gradient descent and return the :class:`History`.

    Parameters
    ----------
    model : neuralab.nn.Module
    X : array-like or scipy.sparse matrix of shape (N, features)
        Numbers that fit the default float dtype (float32 unless ``nl.config`` says otherwise):
        fit refuses a value that would overflow it rather than train on infinity. A sparse X
        stays sparse (CSR): batches are sparse rows, which the first Linear multiplies
        without densifying.
    y : array-like of shape (N,) or (N, outputs)
        Integer class labels for cross-entropy, 0/1 for the binary losses (a 1-D y is made a
        column for a one-unit output), numbers for mse.
    loss : str, loss module or callable
        "cross_entropy", "bce", "bce_with_logits", "mse", "poisson_nll", a module such as
        ``nn.CrossEntropyLoss()``, or any ``loss(output, target) -> Tensor``.
    optimizer : neuralab.optim.Optimizer or str
        An optimizer over ``model.parameters()`` -- or over a part of them, to train only some
        layers (the others keep their values) -- or a name ("sgd", "momentum", "adam",
        "rmsprop") to build one with its default learning rate. As in PyTorch, the optimizer
        decides what is trained; fit refuses one that holds none of the model's trainable
        parameters (built on another model: nothing would train) or tensors that are neither
        the model's nor the loss module's (they would get no gradient).
    epochs : int
        Passes over the training data (the total, when resuming).
    batch_size : "full", 1 or int
        Batch gradient descent, stochastic gradient descent, or mini-batches of that size.
    validation_data : (X_val, y_val) or (X_val, y_val, sample_weight_val), optional
    validation_split : float
        Fraction of (X, y) held out for validation (a seeded random split) when no
        validation_data is given; the split takes its share of ``sample_weight`` along.
    metrics : sequence of str
        "accuracy" (argmax for cross-entropy, threshold for the binary losses, within 0.5 for
        mse; skipped for custom losses), "mae", "mse".
    callbacks : sequence of Callback
        E.g. ``EarlyStopping``, ``ModelCheckpoint``, ``CSVLogger``.
    clip_grad_norm : float, optional
        Rescale the gradients so that their global L2 norm is at most this.
    verbose : 0, 1 or 2
        Silent; a progress bar (about ten lines without a terminal); one line per epoch.
    seed : int >= 0, optional
        Seeds the shuffling and the validation split. With None, fit draws one from the
        default generator (so ``nl.manual_seed`` makes the run reproducible) and records it
        in its checkpoints.
    shuffle : bool
        Reshuffle the training data every epoch.
    scheduler : learning-rate schedule, optional
        Stepped once after every epoch.
    resume_from : str or Path, optional
        A checkpoint written by ``ModelCheckpoint`` for this model: training continues after its
        last epoch, with its weights, optimizer state and every generator the run draws from
        (see ``train/run.py``; the default generator included, which is set to its saved
        state), and ends exactly as an uninterrupted run would. ``seed`` must be None or the
        checkpoint's.
    sample_weight : array-like of shape (N,), optional
        A weight >= 0 per sample. The loss minimised becomes the weighted mean
        Σ w_i l_i / Σ w_i of the per-sample losses l_i (each averaged over its outputs; the
        weighted mean replaces the loss's own reduction), and so do the logged loss and
        metrics. A batch's loss is (1/n) Σ_i w_i l_i with the weights scaled to mean 1, an
        unbiased estimate of that mean (exactly it for ``batch_size="full"``). Needs a
        built-in loss.
    drop_last : bool
        Skip the last, smaller mini-batch of each epoch when the batch size does not divide
        the training rows (with shuffling, a different remainder each epoch). Batch
        normalisation needs this when that batch would hold a single sample.

    Returns
    -------
    History
        ``history.history`` maps "loss", the metrics, "val_*", "grad_norm" (mean global
        gradient norm of the epoch, before clipping), "lr" and "epoch_seconds" to per-epoch
        lists ("epoch_seconds" is the time spent training, without validation).

    Raises
    ------
    ValueError
        Before training, for X that is not 2-D samples × features, empty data, NaN/inf or
        values that overflow the float dtype, mismatched lengths or feature counts, labels that
        do not fit the loss, or an optimizer that is not over the model's parameters; and on
        the first batch, before its update, for ``loss="bce"`` on outputs outside [0, 1]
        (logits). The model is left unchanged.
    TrainingDivergedError
        When the loss or a gradient becomes non-finite; the weights and the optimizer's state
        of the last good epoch are restored.

    Notes
    -----
    Ctrl-C stops training after the current batch; the model keeps its weights, a warning
    says so, and the history so far is returned (``history.interrupted`` is True).

    For speed, while fit trains a model of plain layers with a built-in loss, each parameter's
    ``data`` is a view of one flat array shared by all of them (``optim/packing.py``); when
    fit returns, every parameter has its own array back, holding the trained values. A
    callback may still assign a new array to ``param.data``: that parameter then leaves the
    pack and is trained in its new array.
    """

    _check_settings(epochs, validation_split, clip_grad_norm, verbose, seed)
    X = check_features(X)
    check_input_features(model, X)
    y = check_targets(y, X.shape[0])  # (a sparse X has no len())
    loss_fn, kind = resolve_loss(loss)
    metrics = check_metrics(metrics, kind)
    if isinstance(optimizer, str):
        optimizer = build_optimizer(optimizer, model.parameters())
    check_optimizer(optimizer, model, loss_fn)
    for callback in callbacks:
        if not isinstance(callback, Callback):
            raise TypeError(f"callbacks must be Callback instances; got {type(callback).__name__}.")
    weighted = None if sample_weight is None else weighted_loss(kind)
    data = _prepare_data(model, X, y, kind, sample_weight=sample_weight,
                         validation_data=validation_data, validation_split=validation_split,
                         resume_from=resume_from, epochs=epochs, seed=seed)

    loader = _loader(data, batch_size, shuffle, drop_last)
    history = History()
    user_callbacks = [history, *callbacks]
    run = TrainingRun(model, optimizer, scheduler, loader, history, user_callbacks, epochs,
                      data.seed)
    if data.resumed is not None:
        restore(run, data.resumed, resume_from)  # all of the checkpoint, or nothing
    hooks = user_callbacks + ([ProgressBar(epochs, verbose)] if verbose else [])
    for callback in hooks:
        callback.set_run(run)
    guard = DivergenceGuard(model, optimizer)
    model.train()
    for callback in hooks:
        callback.on_train_begin()
    step = TrainingStep(model, optimizer, loss_fn, kind, max_norm=clip_grad_norm,
                        weighted=weighted,
                        output_check=check_probabilities if kind == "bce" else None)
    try:
        # A diverging run overflows long before its loss turns NaN; the guard reports that in
        # one clear error, so NumPy's floating-point warnings would only be noise here.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            _Epochs(run, step, hooks, data, loss_fn, kind, metrics, guard).run_all()
    except KeyboardInterrupt:
        history.interrupted = True
        warnings.warn(
            f"Training interrupted (Ctrl-C) after {run.epoch} complete epoch(s); the model keeps "
            "its current weights.", stacklevel=2,
        )
    finally:
        step.close()  # the parameters get their own arrays back
        for callback in hooks:
            callback.on_train_end()
    return history
