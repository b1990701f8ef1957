"""Hyper-parameter sweeps on a Dask cluster: ``nl.sweep(config, out=...)`` and
``neuralab sweep CONFIG.toml --out DIR``.

A sweep trains every configuration of a grid (activations, optimizers, learning rates, batch
sizes, hidden sizes, clipping, batch norm, dropout, epochs) with several seeds, on Dask's
``distributed`` scheduler, and keeps every run in ``DIR/results.sqlite``. Re-running the same
sweep skips the runs it has; :func:`report` compares the configurations.

The package is named ``sweeps`` so that ``nl.sweep`` can be the function below.

Modules: :mod:`.config` (TOML, checks, grid), :mod:`.cell` (one run, on a worker),
:mod:`.store` (SQLite), :mod:`.runner` (Dask), :mod:`.interrupt` (Ctrl-C on local workers),
:mod:`.progress`, :mod:`.report` and :mod:`.figures`.
"""

from __future__ import annotations

from .config import Cell, SweepConfigError, SweepSpec, parse_config
from .report import SweepReport, load_runs, report
from .runner import SweepOutcome, local_cluster, run_sweep
from .store import RESULTS_FILE, ResultStore


def sweep(config, out, *, workers: int | None = None, scheduler: str | None = None,
          client=None, retry_failed: bool = False, max_runs: int | None = None,
          progress: bool = True):
    """Train every cell (configuration × seed) of a sweep config not yet stored in ``out``.

    Each cell trains the config's MLP with ``nl.fit`` on the training part of the data and
    scores it after every epoch on the validation part ([data] validation, 20% by default, held
    out once for the whole sweep). Runs are stored in ``out/results.sqlite`` as they finish; a
    run that diverges or raises is stored as "failed" with its error, and the sweep goes on.

    Parameters
    ----------
    config : str, Path or dict
        The path of a TOML file, TOML text, or the same tables as a dict::

            {"data": {"name": "moons"}, "model": {"hidden": [16], "epochs": 50},
             "grid": {"activation": ["relu", "tanh"], "lr": [0.1, 0.01]},
             "sweep": {"seeds": 2}}

    out : str or Path
        The sweep folder.
    workers : int, optional
        Worker processes of the embedded ``distributed.LocalCluster`` (default: one per core).
    scheduler : str, optional
        Address of a running Dask scheduler ("tcp://HOST:PORT") to use instead.
    client : distributed.Client, optional
        An existing client to use instead.
    retry_failed : bool
        Run again the cells stored as failed.
    max_runs : int, optional
        Stop after storing this many runs (call again to continue).
    progress : bool
        Show the progress bar with the best validation score so far.

    Returns
    -------
    list of dict
        Every run stored in ``out``, as :func:`load_runs` returns them: the options, seed,
        status, val_loss / val_accuracy, best_val, epochs_run, seconds, error and curves.

    Raises
    ------
    SweepConfigError
        For an unknown key or a value that is not allowed (the message names both).
    ImportError
        If Dask's distributed is not installed (``pip install "neuralab[sweep]"``).
    """
    spec = parse_config(config)
    run_sweep(spec, out, workers=workers, scheduler=scheduler, client=client,
              retry_failed=retry_failed, max_runs=max_runs, progress=progress)
    return load_runs(out)


__all__ = [
    "RESULTS_FILE",
    "Cell",
    "ResultStore",
    "SweepConfigError",
    "SweepOutcome",
    "SweepReport",
    "SweepSpec",
    "load_runs",
    "local_cluster",
    "parse_config",
    "report",
    "run_sweep",
    "sweep",
]
