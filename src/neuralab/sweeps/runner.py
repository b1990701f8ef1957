"""Run a sweep on Dask's ``distributed`` scheduler and store each run as it finishes.

The client process (this one) claims the pending cells in ``results.sqlite`` (so that a second
sweep on the same folder leaves them alone), prepares the data once (once per data setting,
when the grid varies n_samples or noise), scatters it to every worker once, submits one task
per claimed cell with the data's future as argument, and writes each result into
``results.sqlite`` as soon as it arrives (``as_completed``). Workers only compute; the clients
are the only writers of the database.

Executors: by default an embedded ``LocalCluster`` of worker processes (one per core, one thread
each); ``scheduler="tcp://HOST:PORT"`` uses an existing cluster instead, unchanged (its workers
need neuralab installed); ``client=`` reuses a ``distributed.Client`` you already have.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import dataclass

from .._optional import require
from ..experiment import prepare_task
from .cell import run_cell, validation_metric
from .config import DATA_GRID_KEYS, SweepSpec
from .progress import SweepProgress
from .store import ResultStore, new_owner


def require_distributed():
    """Import Dask's ``distributed`` or raise an ImportError saying how to install it."""
    return require("distributed", install='"neuralab[sweep]"',
                   purpose="neuralab sweeps (Dask's distributed scheduler)")


def local_cluster(workers: int | None = None):
    """A ``distributed.LocalCluster`` of ``workers`` processes (default: one per core), each with
    one thread; the tasks themselves limit BLAS to one thread (see ``cell.one_blas_thread``)."""
    distributed = require_distributed()
    if workers is None:
        workers = os.cpu_count() or 1
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be an int >= 1. Got {workers!r} instead.")
    return distributed.LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True,
        dashboard_address=":0",  # any free port: never collides with another cluster's 8787
        silence_logs=logging.ERROR,
    )


@contextlib.contextmanager
def connect(*, workers: int | None = None, scheduler: str | None = None, client=None):
    """A ``distributed.Client``: ``client`` itself, one connected to ``scheduler``, or one on a
    new :func:`local_cluster` (closed, with its worker processes, on exit)."""
    distributed = require_distributed()
    if client is not None:
        yield client
    elif scheduler is not None:
        if workers is not None:
            raise ValueError("workers sizes the local cluster; it cannot be combined with "
                             "scheduler (an existing cluster keeps its own workers).")
        try:
            remote = distributed.Client(scheduler)
        except OSError as error:
            raise ConnectionError(
                f"Could not connect to the Dask scheduler at {scheduler!r} ({error}). Start one "
                "(`dask scheduler`, then `dask worker ADDRESS` on each machine) or leave out "
                "the scheduler to run on a local cluster."
            ) from error
        with remote:
            yield remote
    else:
        from .interrupt import IgnoreInterrupt

        with local_cluster(workers) as cluster, distributed.Client(cluster) as local:
            local.register_plugin(IgnoreInterrupt())
            yield local


@dataclass
class SweepOutcome:
    """Counts of one call of :func:`run_sweep`: the runs of the grid, those found stored, run
    now, failed now, and left to another sweep running in the same folder (``held``)."""

    total: int
    skipped: int
    ran: int
    failed: int
    held: int = 0

    @property
    def complete(self) -> bool:
        return self.skipped + self.ran == self.total


def _data_values(options: dict) -> dict:
    """The data settings a grid varies, from a cell's options."""
    return {key: options[key] for key in DATA_GRID_KEYS if key in options}


def _claim_pending(spec: SweepSpec, store: ResultStore, owner: str, done: set,
                   max_runs: int | None, outcome: SweepOutcome) -> list:
    """The cells this sweep runs now: not stored, not held by another sweep, claimed for
    ``owner``; at most ``max_runs`` (the grid is then read only as far as needed)."""
    pending, candidates = [], []

    def claim():
        mine, held = store.claim_cells([cell.key for cell in candidates], owner)
        outcome.held += held
        claimed = set(mine)
        pending.extend(cell for cell in candidates if cell.key in claimed)
        candidates.clear()

    for cell in spec.iter_cells():
        if cell.key in done:
            outcome.skipped += 1
            continue
        candidates.append(cell)
        if max_runs is not None and len(pending) + len(candidates) >= max_runs:
            claim()
            if len(pending) >= max_runs:
                break
    claim()
    return pending


def _infrastructure_failure(error: BaseException, metric: str) -> dict:
    """The record of a task that could not run to its end on a worker (e.g. the worker died)."""
    return {
        "status": "failed", "metric": metric, "val_loss": None, "val_accuracy": None,
        "best_val": None, "best_epoch": None, "epochs_run": 0, "seconds": None,
        "error": f"{type(error).__name__}: {error}", "traceback": None, "curves": {},
        "worker": None,
    }


def run_sweep(spec: SweepSpec, out, *, workers: int | None = None, scheduler: str | None = None,
              client=None, retry_failed: bool = False, max_runs: int | None = None,
              progress: bool = True) -> SweepOutcome:
    """Run every cell of ``spec`` not yet stored in ``out/results.sqlite``.

    Parameters
    ----------
    spec : SweepSpec
        A checked config (see :func:`neuralab.sweeps.parse_config`).
    out : str or Path
        The sweep folder; created if needed.
    workers : int, optional
        Size of the embedded local cluster (default: the number of cores).
    scheduler : str, optional
        Address of an existing Dask scheduler, e.g. "tcp://10.0.0.5:8786".
    client : distributed.Client, optional
        Use this client (and its cluster) as it is.
    retry_failed : bool
        Run the cells stored as "failed" again (by default they count as finished).
    max_runs : int, optional
        Run at most this many of the missing runs now (the grid is read only as far as
        needed); the next call continues.
    progress : bool
        Show a progress bar (a line per run when the output is not a terminal).

    Returns
    -------
    SweepOutcome
        How many cells the sweep has, how many were found finished, run now and failed now,
        and how many another sweep in the same folder holds (see the store's claims).
    """
    require_distributed()
    outcome = SweepOutcome(total=spec.n_runs, skipped=0, ran=0, failed=0)
    owner = new_owner()
    with ResultStore(out) as store:
        store.claim(spec.identity())
        if max_runs == 0:
            return outcome
        done = store.finished_keys(include_failed=not retry_failed)
        try:
            pending = _claim_pending(spec, store, owner, done, max_runs, outcome)
            if pending:
                _run_pending(spec, store, pending, outcome, progress,
                             dict(workers=workers, scheduler=scheduler, client=client))
        finally:
            store.release(owner)
    return outcome


def _run_pending(spec: SweepSpec, store: ResultStore, pending: list, outcome: SweepOutcome,
                 progress: bool, executor: dict) -> None:
    """Train the claimed ``pending`` cells on Dask and store each result as it arrives."""
    tasks = {}  # one prepared dataset per data setting of the grid
    for cell in pending:
        values = _data_values(cell.options)
        key = json.dumps(values, sort_keys=True)
        if key not in tasks:  # bad data fails here, before any worker
            tasks[key] = prepare_task(spec.experiment_config_for(values))
    metric = validation_metric(next(iter(tasks.values())).kind)
    display = SweepProgress(outcome.total, outcome.skipped + outcome.held, show=progress)
    for row in store.rows():
        display.consider(f"{row['configuration']}, seed {row['seed']}", row)
    with display, connect(**executor) as dask_client:
        # hash=False: a key of its own. With the default content hash, a sweep started right
        # after another on the same client re-scattered the very key the first one was still
        # releasing, and its tasks failed with "lost dependencies".
        data = {key: dask_client.scatter(task, broadcast=True, hash=False)
                for key, task in tasks.items()}
        futures = {}
        for cell in pending:
            task = data[json.dumps(_data_values(cell.options), sort_keys=True)]
            futures[dask_client.submit(run_cell, task, cell.options, cell.seed,
                                       pure=False)] = cell
        try:
            for future in require_distributed().as_completed(futures):
                cell = futures[future]
                try:
                    record = future.result()
                except Exception as error:  # the worker died or could not run the task
                    record = _infrastructure_failure(error, metric)
                store.add(cell, record)
                outcome.ran += 1
                outcome.failed += record["status"] == "failed"
                display.update(f"{cell.label()}, seed {cell.seed}", record)
        finally:
            dask_client.cancel([*futures, *data.values()])

