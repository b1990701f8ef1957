"""The work of one sweep cell, as a Dask worker runs it: train, score on validation, summarise.

:func:`run_cell` never raises for a failed run: a diverged or crashed training is a result like
any other (status "failed", the error text, the curves up to the failure), so one bad cell cannot
stop a sweep. It needs nothing from Dask and can be called directly.
"""

from __future__ import annotations

import contextlib
import functools
import os
import socket
import time
import traceback

#: history entries that depend on the machine's speed, not on the seed; not stored as curves
_TIMING = ("epoch_seconds",)


@contextlib.contextmanager
def one_blas_thread():
    """Limit NumPy's BLAS (OpenBLAS, MKL) and OpenMP to one thread in this process.

    Each Dask worker trains one cell at a time; one BLAS thread per worker keeps the workers from
    competing for the same cores and makes float sums run in a fixed order.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        yield


@functools.cache  # fixed once the library is loaded
def blas_kernel() -> str | None:
    """The BLAS this process's NumPy calls, e.g. "openblas 0.3.31 SkylakeX" (None if unknown).

    float32 sums come out in the last digit differently with another kernel (another CPU, or
    OPENBLAS_CORETYPE), and networks that amplify such differences (ReLU at a high learning
    rate) end elsewhere: the report names the kernel of its runs.
    """
    from threadpoolctl import threadpool_info

    blas = [info for info in threadpool_info() if info.get("user_api") == "blas"]
    numpys = [info for info in blas if "numpy" in str(info.get("filepath", ""))]
    kernels = [" ".join(str(info[key]) for key in ("internal_api", "version", "architecture")
                        if info.get(key))
               for info in numpys or blas]  # (SciPy may bring a BLAS of its own)
    return ", ".join(kernels) or None


def validation_metric(kind: str) -> str:
    """The score a sweep compares: "val_accuracy" (higher is better) for classification,
    "val_loss" (lower is better) for regression."""
    return "val_accuracy" if kind == "classification" else "val_loss"


def higher_is_better(metric: str) -> bool:
    return "accuracy" in metric


def summarise(curves: dict, metric: str) -> dict:
    """Final and best value of ``metric`` in ``curves`` (None when no epoch finished)."""
    values = curves.get(metric, [])
    if not values:
        return {"final": None, "best": None, "best_epoch": None}
    pick = max if higher_is_better(metric) else min
    best = pick(values)
    return {"final": values[-1], "best": best, "best_epoch": values.index(best) + 1}


def run_cell(task, options: dict, seed: int) -> dict:
    """Train one configuration with one seed on ``task`` and return its record.

    Parameters
    ----------
    task : neuralab.experiment.Task
        The prepared data; ``task.X_test, task.y_test`` are the validation data.
    options : dict
        Model and fit options (the fields of ``ExperimentConfig`` a sweep sets).
    seed : int
        Seeds the weights, dropout and the shuffling.

    Returns
    -------
    dict
        status ("ok" or "failed"), metric, val_loss, val_accuracy (final), best_val,
        best_epoch, epochs_run, seconds, error, traceback, curves (per-epoch lists), worker,
        blas (see :func:`blas_kernel`).
    """
    from ..experiment import ExperimentConfig, train_model
    from ..train import TrainingDivergedError

    metric = validation_metric(task.kind)
    history, error, trace = None, None, None
    started = time.perf_counter()
    with one_blas_thread():
        try:
            config = ExperimentConfig(**options, seed=seed)
            _, _, history = train_model(config, task, validation_data=(task.X_test, task.y_test))
        except TrainingDivergedError as diverged:
            history, error = diverged.history, diverged
        except Exception as failure:  # failures are data: record it, let the sweep go on
            error, trace = failure, traceback.format_exc()
    seconds = time.perf_counter() - started
    curves = {} if history is None else {
        name: [float(v) for v in values] for name, values in history.history.items()
        if name not in _TIMING
    }
    summary = summarise(curves, metric)
    return {
        "status": "ok" if error is None else "failed",
        "metric": metric,
        "val_loss": (curves.get("val_loss") or [None])[-1],
        "val_accuracy": (curves.get("val_accuracy") or [None])[-1],
        "best_val": summary["best"],
        "best_epoch": summary["best_epoch"],
        "epochs_run": len(curves.get("loss", [])),
        "seconds": seconds,
        "error": None if error is None else f"{type(error).__name__}: {error}",
        "traceback": trace,
        "curves": curves,
        "worker": f"{socket.gethostname()}:{os.getpid()}",
        "blas": blas_kernel(),
    }
