"""One sweep cell, run in this process: the record of a good run and of the two ways to fail."""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_info

from neuralab.experiment import prepare_task
from neuralab.sweeps import parse_config
from neuralab.sweeps.cell import blas_kernel, one_blas_thread, run_cell, summarise

from .helpers import GRID, config


def first_cell(source):
    spec = parse_config(source)
    return prepare_task(spec.experiment_config()), spec.cells()[0]


def test_a_good_run_records_its_validation_scores_and_curves():
    task, cell = first_cell(GRID)
    record = run_cell(task, cell.options, cell.seed)
    assert record["status"] == "ok" and record["error"] is None
    assert record["metric"] == "val_accuracy" and record["epochs_run"] == 4
    curves = record["curves"]
    assert set(curves) == {"loss", "accuracy", "val_loss", "val_accuracy", "grad_norm", "lr"}
    assert record["val_accuracy"] == curves["val_accuracy"][-1]
    assert record["val_loss"] == curves["val_loss"][-1]
    assert record["best_val"] == max(curves["val_accuracy"])
    assert curves["val_accuracy"][record["best_epoch"] - 1] == record["best_val"]
    assert curves["lr"] == [0.3] * 4 and record["seconds"] > 0


def test_the_same_seed_gives_the_same_numbers_and_another_seed_others():
    task, cell = first_cell(GRID)
    first, again = (run_cell(task, cell.options, 0)["curves"] for _ in range(2))
    other = run_cell(task, cell.options, 1)["curves"]
    assert first == again
    assert first["loss"] != other["loss"]


def test_a_diverging_run_is_a_failed_record_with_the_curves_so_far():
    task, cell = first_cell(config(model={"epochs": 3}, grid={"lr": [1e30]},
                                   sweep={"seeds": 1}))
    record = run_cell(task, cell.options, cell.seed)
    assert record["status"] == "failed"
    assert record["error"].startswith("TrainingDivergedError: Training diverged at epoch 1")
    assert record["epochs_run"] == 0 and record["best_val"] is None


def test_an_exception_in_training_is_a_failed_record_with_its_traceback():
    task, cell = first_cell(config(model={"epochs": 1}, grid={}, sweep={"seeds": 1}))
    # a config check refuses this combination; run_cell still records it as data
    record = run_cell(task, {**cell.options, "batch_norm": True, "batch_size": 1}, cell.seed)
    assert record["status"] == "failed"
    assert record["error"].startswith("ValueError: batch_norm needs at least 2 samples")
    assert record["blas"] == blas_kernel() and record["blas"].startswith("openblas")
    assert "Traceback" in record["traceback"]


def test_summarise_picks_the_best_epoch_by_the_metrics_direction():
    curves = {"val_accuracy": [0.5, 0.9, 0.8], "val_loss": [0.9, 0.3, 0.4]}
    assert summarise(curves, "val_accuracy") == {"final": 0.8, "best": 0.9, "best_epoch": 2}
    assert summarise(curves, "val_loss") == {"final": 0.4, "best": 0.3, "best_epoch": 2}
    assert summarise({}, "val_loss") == {"final": None, "best": None, "best_epoch": None}


def test_one_blas_thread_limits_numpys_blas_inside_a_cell():
    np.ones((4, 4)) @ np.ones((4, 4))  # make sure the BLAS library is loaded
    with one_blas_thread():
        threads = {pool["num_threads"] for pool in threadpool_info()
                   if pool["user_api"] == "blas"}
    assert threads == {1}
