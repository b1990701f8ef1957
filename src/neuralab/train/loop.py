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

from .._config import default_generator, no_grad
from .._validation import check_float, check_int, check_option
from ..autograd.replay import Replay
from ..data import DataLoader, train_test_split
from ..nn import MLP, Identity, LeakyReLU, Linear, ReLU, Sequential, Sigmoid, Softmax, Tanh
from ..optim import build_optimizer, clip_grad_norm_, grad_norm
from ..optim.packing import ParameterPack
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
class _StepSettings:
    """What every update of a run needs besides the run itself."""

    loss_fn: Callable
    summers: list  # (metric, batch sum) pairs from targets.metric_summers
    params: list
    max_norm: float | None  # clip_grad_norm, or None for no clipping
    guard: DivergenceGuard
    batch_hooks: list
    #: with sample weights: the weighted loss, and the targets and (mean-1) weights that the
    #: row numbers yielded by the loader select
    weighted: Callable | None = None
    targets: np.ndarray | None = None
    weights: np.ndarray | None = None
    #: whether the step may be traced and replayed (see ``autograd/replay.py``), and the replay
    can_replay: bool = False
    replay: Replay | None = None
    #: the parameters packed into flat arrays while fit runs (with replay only; see
    #: ``optim/packing.py``): replayed steps leave their gradients in it, so that the gradient
    #: norm and the optimizer's update are one NumPy call each
    pack: ParameterPack | None = None
    #: a check of the first batch's outputs before its loss (``check_probabilities`` for
    #: loss="bce"), dropped once it has run
    output_check: Callable | None = None


#: the modules whose forward computes the same ops for every batch with no hidden state, so
#: that fit can replay a traced step (exact types: a subclass may override forward)
STATIC_MODULES = (Linear, MLP, Sequential, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax, Identity)


def _eager_update(model, optimizer, step: _StepSettings, xb, yb, wb) -> tuple:
    """``model(x)``, the loss, ``zero_grad()`` and ``backward()`` as written by hand; returns
    (output array, loss value). Fit replays the traced step after such a batch if it can."""
    output = model(xb)
    if step.output_check is not None:
        step.output_check(output.data)
        step.output_check = None
    batch_loss = step.loss_fn(output, yb) if wb is None else step.weighted(output, yb, wb)
    optimizer.zero_grad()
    batch_loss.backward()
    if step.can_replay:  # trace this step (again, if the replay refused to run)
        pack = step.pack if step.pack is not None and step.pack.intact() else None
        step.replay = Replay.trace(batch_loss, output, step.params, xb, yb, pack)
    return output.data, float(batch_loss.data)


def _train_epoch(run: TrainingRun, epoch: int, step: _StepSettings) -> dict:
    """One pass over the training batches; returns the epoch's mean loss and metrics."""
    model, optimizer, history = run.model, run.optimizer, run.history
    started = time.perf_counter()
    loss_sum, seen, norm_sum, updates = 0.0, 0, 0.0, 0
    sums = {name: 0.0 for name, _ in step.summers}
    for batch, (xb, yb) in enumerate(run.loader):
        wb = None
        if step.weights is not None:  # the loader yields row numbers (see fit)
            yb, wb = step.targets[yb], step.weights[yb]
        replayed = step.replay.run(xb, yb) if step.replay is not None else None
        if replayed is not None:
            output, value = replayed
            pack = step.replay.pack  # None, or the pack that now holds every gradient
        else:
            output, value = _eager_update(model, optimizer, step, xb, yb, wb)
            pack = None
        params = step.params if pack is None else (pack,)  # a pack acts as one parameter
        norm = (grad_norm(params) if step.max_norm is None
                else clip_grad_norm_(params, step.max_norm))
        if not (math.isfinite(value) and math.isfinite(norm)):
            step.guard.restore()
            raise TrainingDivergedError(
                f"Training diverged at epoch {epoch + 1}, batch {batch + 1}: the loss "
                f"became {value} and the gradient norm {norm}. "
                f"{step.guard.describe_restore()}. Try a lower learning rate (it was "
                f"{optimizer.lr:g}) or gradient clipping (clip_grad_norm=1.0).",
                history,
            )
        optimizer.step(pack)
        size = xb.shape[0]
        loss_sum, seen = loss_sum + value * size, seen + size
        norm_sum, updates = norm_sum + norm, updates + 1
        for name, batch_sum in step.summers:
            sums[name] += batch_sum(output, yb, wb)
        for callback in step.batch_hooks:
            callback.on_batch_end(batch, {"loss": value, "size": size})
    return {"loss": loss_sum / seen, **{k: v / seen for k, v in sums.items()},
            "grad_norm": norm_sum / updates, "seconds": time.perf_counter() - started}


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
    n_samples = X.shape[0]  # (a sparse X has no len())
    y = check_targets(y, n_samples)
    loss_fn, kind = resolve_loss(loss)
    metrics = check_metrics(metrics, kind)
    if isinstance(optimizer, str):
        optimizer = build_optimizer(optimizer, model.parameters())
    check_optimizer(optimizer, model, loss_fn)
    for callback in callbacks:
        if not isinstance(callback, Callback):
            raise TypeError(f"callbacks must be Callback instances; got {type(callback).__name__}.")
    weights = val_weights = X_val = y_val = None
    if sample_weight is not None:
        weighted = weighted_loss(kind)
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

    # with weights the loader yields row numbers, which pick targets and weights per batch
    loader = DataLoader(X, y if weights is None else np.arange(X.shape[0]), batch_size=batch_size,
                        shuffle=shuffle, seed=seed, drop_last=drop_last)
    history = History()
    user_callbacks = [history, *callbacks]
    run = TrainingRun(model, optimizer, scheduler, loader, history, user_callbacks, epochs, seed)
    if resumed is not None:
        restore(run, resumed, resume_from)  # all of the checkpoint, or nothing
    hooks = user_callbacks + ([ProgressBar(epochs, verbose)] if verbose else [])
    for callback in hooks:
        callback.set_run(run)
    batch_hooks = [cb for cb in hooks if type(cb).on_batch_end is not Callback.on_batch_end]

    step = _StepSettings(loss_fn, metric_summers(metrics, kind, y.dtype), list(model.parameters()),
                         clip_grad_norm, DivergenceGuard(model, optimizer), batch_hooks,
                         output_check=check_probabilities if kind == "bce" else None)
    if weights is not None:
        step.weighted, step.targets, step.weights = weighted, y, weights
    step.can_replay = (weights is None and kind != "custom"
                       and all(type(module) in STATIC_MODULES for module in model.modules()))
    model.train()
    for callback in hooks:
        callback.on_train_begin()
    step.pack = ParameterPack.pack(step.params) if step.can_replay else None
    try:
        # A diverging run overflows long before its loss turns NaN; the guard below reports
        # that in one clear error, so NumPy's floating-point warnings would only be noise here.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for epoch in range(run.initial_epoch, epochs):
                for callback in hooks:
                    callback.on_epoch_begin(epoch)
                logs = _train_epoch(run, epoch, step)
                if X_val is not None:
                    val = _evaluate(model, X_val, y_val, loss_fn, kind, metrics,
                                    weights=val_weights)
                    logs.update({f"val_{k}": v for k, v in val.items()})
                seconds = logs.pop("seconds")
                logs.update(lr=float(optimizer.lr), epoch_seconds=seconds)
                if scheduler is not None:
                    scheduler.step()
                run.epoch = epoch + 1
                step.guard.snapshot(epoch, len(loader))
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
        if step.pack is not None:  # the parameters get their own arrays back
            step.pack.unpack()
        for callback in hooks:
            callback.on_train_end()
    return history
