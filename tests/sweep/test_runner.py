"""Sweeps on a real 2-worker Dask LocalCluster: complete and reproducible results, resuming
after a stop or a kill, failures recorded as data, data scattered once."""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time

import pytest

import neuralab as nl
from neuralab.experiment import prepare_task
from neuralab.sweeps import load_runs, parse_config, report, run_sweep
from neuralab.sweeps.cell import run_cell
from neuralab.sweeps.runner import connect, require_distributed

from .helpers import GRID, config

#: the numbers of a run that depend on the seed, not on the machine's speed
RESULTS = ("status", "val_loss", "val_accuracy", "best_val", "best_epoch", "epochs_run", "curves")


def by_cell(runs) -> dict:
    return {(r["activation"], r["lr"], r["seed"]): {k: r[k] for k in RESULTS} for r in runs}


def test_the_grid_runs_completely_and_each_seed_gives_the_same_numbers(dask_client, tmp_path):
    first = nl.sweep(GRID, out=tmp_path / "a", client=dask_client, progress=False)
    again = nl.sweep(GRID, out=tmp_path / "b", client=dask_client, progress=False)
    assert len(first) == 8 and all(run["status"] == "ok" for run in first)
    assert set(by_cell(first)) == {(a, lr, seed) for a in ("relu", "tanh")
                                   for lr in (0.3, 0.05) for seed in (0, 1)}
    assert by_cell(first) == by_cell(again)
    assert by_cell(first)["relu", 0.3, 0] != by_cell(first)["relu", 0.3, 1]
    workers = {f"{socket.gethostname()}:{pid}" for pid in dask_client.run(os.getpid).values()}
    assert {run["worker"] for run in first} <= workers  # trained on the cluster, not here
    # a worker computes exactly what this process computes for the same cell
    spec = parse_config(GRID)
    cell = spec.cells()[5]
    local = run_cell(prepare_task(spec.experiment_config()), cell.options, cell.seed)
    stored = next(run for run in first if run["key"] == cell.key)
    assert stored["curves"] == local["curves"]


def test_the_data_is_scattered_once_and_tasks_get_its_future(dask_client, tmp_path,
                                                             monkeypatch):
    distributed = require_distributed()
    scatters, first_arguments = [], []
    scatter, submit = dask_client.scatter, dask_client.submit

    def spy_scatter(data, **options):
        scatters.append(options)
        return scatter(data, **options)

    def spy_submit(function, *args, **options):
        first_arguments.append(args[0])
        return submit(function, *args, **options)

    monkeypatch.setattr(dask_client, "scatter", spy_scatter)
    monkeypatch.setattr(dask_client, "submit", spy_submit)
    nl.sweep(GRID, out=tmp_path, client=dask_client, progress=False)
    assert scatters == [{"broadcast": True, "hash": False}]
    assert len(first_arguments) == 8
    assert all(isinstance(arg, distributed.Future) for arg in first_arguments)
    assert len({arg.key for arg in first_arguments}) == 1


def test_a_stopped_sweep_runs_only_the_missing_cells_when_run_again(dask_client, tmp_path):
    spec = parse_config(GRID)
    stopped = run_sweep(spec, tmp_path, client=dask_client, max_runs=3, progress=False)
    assert (stopped.ran, stopped.skipped, stopped.complete) == (3, 0, False)
    before = {run["key"]: run for run in load_runs(tmp_path)}
    resumed = run_sweep(spec, tmp_path, client=dask_client, progress=False)
    assert (resumed.skipped, resumed.ran, resumed.complete) == (3, 5, True)
    after = {run["key"]: run for run in load_runs(tmp_path)}
    assert set(after) == {cell.key for cell in spec.cells()}
    for key, run in before.items():
        assert after[key] == run  # same id, same finish time: not recomputed
    nothing = run_sweep(spec, tmp_path, client=dask_client, progress=False)
    assert (nothing.skipped, nothing.ran) == (8, 0)


def stored_rows(path) -> list[tuple]:
    if not path.exists():
        return []
    try:
        with sqlite3.connect(path, timeout=5) as db:
            return db.execute("SELECT id, key, finished_at, curves FROM runs").fetchall()
    except sqlite3.OperationalError:  # the table is not created yet
        return []


def test_a_killed_sweep_keeps_its_finished_runs_and_a_rerun_completes_it(dask_client,
                                                                          tmp_path):
    source = config(data={"name": "moons", "n_samples": 200, "noise": 0.2},
                    model={"hidden": [8], "optimizer": "sgd", "epochs": 20, "batch_size": 1})
    path = tmp_path / "sweep.toml"
    path.write_text(
        '[data]\nname = "moons"\nn_samples = 200\nnoise = 0.2\n'
        '[model]\nhidden = [8]\noptimizer = "sgd"\nepochs = 20\nbatch_size = 1\n'
        '[grid]\nactivation = ["relu", "tanh"]\nlr = [0.3, 0.05]\n[sweep]\nseeds = 2\n'
    )
    out = tmp_path / "out"
    database = out / "results.sqlite"
    command = [sys.executable, "-m", "neuralab", "sweep", str(path), "--out", str(out),
               "--scheduler", dask_client.scheduler.address, "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    try:
        while len(stored_rows(database)) < 2 and process.poll() is None:
            assert time.monotonic() < deadline, "the sweep stored no two runs within 60 s"
            time.sleep(0.02)
    finally:
        process.kill()
        _, errors = process.communicate()
    assert process.returncode != 0, f"the sweep ended before it was killed: {errors.decode()}"
    before = stored_rows(database)
    assert 2 <= len(before) < 8
    spec = parse_config(source)
    outcome = run_sweep(spec, out, client=dask_client, progress=False)
    assert (outcome.skipped, outcome.ran) == (len(before), 8 - len(before))
    after = stored_rows(database)
    assert len(after) == 8 and set(before) <= set(after)
    assert {row[1] for row in after} == {cell.key for cell in spec.cells()}


def test_failing_cells_are_recorded_and_the_sweep_goes_on(dask_client, tmp_path):
    # lr 1e30 diverges (with any seed)
    source = config(model={"hidden": [6], "optimizer": "sgd", "epochs": 2, "batch_size": 1},
                    grid={"lr": [0.1, 1e30]}, sweep={"seeds": 2})
    runs = nl.sweep(source, out=tmp_path, client=dask_client, progress=False)
    outcome = {(run["lr"], run["seed"]): run for run in runs}
    assert outcome[0.1, 0]["status"] == outcome[0.1, 1]["status"] == "ok"
    for seed in (0, 1):
        diverged = outcome[1e30, seed]
        assert diverged["status"] == "failed" and diverged["val_accuracy"] is None
        assert diverged["error"].startswith("TrainingDivergedError: Training diverged")
    # failed cells count as finished, unless asked to retry them
    spec = parse_config(source)
    assert run_sweep(spec, tmp_path, client=dask_client, progress=False).ran == 0
    retried = run_sweep(spec, tmp_path, client=dask_client, retry_failed=True, progress=False)
    assert (retried.skipped, retried.ran, retried.failed) == (2, 2, 2)


def test_a_task_that_fails_outside_the_training_code_is_stored_as_failed(dask_client, tmp_path,
                                                                        monkeypatch):
    # stands for a worker-side failure run_cell cannot catch (a lost worker, a missing module):
    # len(task, options, seed) raises TypeError on the worker
    monkeypatch.setattr("neuralab.sweeps.runner.run_cell", len)
    source = config(grid={"lr": [0.1]}, sweep={"seeds": 1})
    runs = nl.sweep(source, out=tmp_path, client=dask_client, progress=False)
    assert [(run["status"], run["epochs_run"], run["curves"]) for run in runs] == [
        ("failed", 0, {})]
    assert runs[0]["error"].startswith("TypeError: len() takes exactly one argument")
    assert "0/1" in report(tmp_path).rows[0]


def test_the_default_executor_is_a_local_cluster_that_is_closed_after(tmp_path, capsys):
    source = config(grid={"activation": ["relu", "tanh"]}, sweep={"seeds": 1})
    children = set(multiprocessing.active_children())
    runs = nl.sweep(source, out=tmp_path, workers=1, progress=True)
    assert [run["status"] for run in runs] == ["ok", "ok"]
    assert len({run["worker"] for run in runs}) == 1
    printed = capsys.readouterr().out
    assert "[2/2] activation=" in printed and "best val_accuracy" in printed
    assert set(multiprocessing.active_children()) == children  # its worker has ended


def test_local_workers_leave_ctrl_c_to_the_client():
    with connect(workers=1) as client:
        handlers = client.run(signal.getsignal, signal.SIGINT)
    assert list(handlers.values()) == [signal.SIG_IGN]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # not in this process


def test_without_dask_the_error_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ImportError, match=r'pip install "neuralab\[sweep\]"'):
        nl.sweep(GRID, out=tmp_path)
    assert not (tmp_path / "results.sqlite").exists()
