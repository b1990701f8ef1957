"""The SQLite store: rows round-trip, finished keys, one folder per sweep."""

from __future__ import annotations

import os
import sqlite3

import pytest

from neuralab.sweeps import ResultStore, parse_config

from .helpers import GRID, config


def record(status="ok", value=0.75):
    return {
        "status": status, "metric": "val_accuracy", "val_loss": 0.5,
        "val_accuracy": value if status == "ok" else None, "best_val": value, "best_epoch": 2,
        "epochs_run": 3, "seconds": 0.1, "error": None if status == "ok" else "ValueError: x",
        "traceback": None, "curves": {"val_accuracy": [0.5, value, value]}, "worker": "w:1",
    }


def test_rows_round_trip_with_options_as_columns_and_json(tmp_path):
    cells = parse_config(GRID).cells()
    with ResultStore(tmp_path) as store:
        store.add(cells[0], record())
        store.add(cells[1], record("failed"))
        rows = store.rows()
        assert store.finished_keys() == {cells[0].key, cells[1].key}
        assert store.finished_keys(include_failed=False) == {cells[0].key}
    first = rows[0]
    assert first["id"] == 1 and first["key"] == cells[0].key and first["seed"] == 0
    assert (first["activation"], first["lr"], first["batch_size"], first["hidden"]) == (
        "relu", 0.3, "16", [6])
    assert first["grid"] == {"activation": "relu", "lr": 0.3}
    assert first["options"]["epochs"] == 4 and first["curves"]["val_accuracy"] == [0.5, 0.75, 0.75]
    assert rows[1]["status"] == "failed" and rows[1]["error"] == "ValueError: x"
    columns = {c[1] for c in sqlite3.connect(tmp_path / "results.sqlite").execute(
        "PRAGMA table_info(runs)")}
    assert {"seed", "status", "val_accuracy", "val_loss", "error", "curves"} <= columns


def test_adding_a_cell_again_replaces_its_row(tmp_path):
    cell = parse_config(GRID).cells()[0]
    with ResultStore(tmp_path) as store:
        store.add(cell, record("failed"))
        store.add(cell, record("ok", 0.9))
        rows = store.rows()
    assert len(rows) == 1 and rows[0]["status"] == "ok" and rows[0]["id"] == 2


def test_a_folder_refuses_a_sweep_with_other_data(tmp_path):
    with ResultStore(tmp_path) as store:
        store.claim(parse_config(GRID).identity())
        store.claim(parse_config(config(grid={"lr": [1.0]})).identity())  # grids may change
        other = parse_config(config(data={"name": "circles"})).identity()
        with pytest.raises(ValueError, match=r"\[data\] name: 'moons' -> 'circles'.*another"):
            store.claim(other)


def test_reading_a_folder_without_results_says_what_to_run(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"No sweep results at .*neuralab sweep CONFIG"):
        ResultStore(tmp_path / "nothing", create=False)


def test_claims_keep_two_sweeps_apart_and_are_taken_over_from_the_gone(tmp_path, monkeypatch):
    import socket
    import time

    keys = [cell.key for cell in parse_config(GRID).cells()]
    host = socket.gethostname()
    me, other = f"{host}:{os.getpid()}:aaaa", f"{host}:{os.getppid()}:bbbb"
    with ResultStore(tmp_path) as store:
        assert store.claim_cells(keys[:5], other) == (keys[:5], 0)
        assert store.claim_cells(keys, me) == (keys[5:], 5)  # the other sweep is alive
        store.add(parse_config(GRID).cells()[5], record())  # stored: no longer claimed
        store.release(me)
        assert store.claim_cells(keys[5:], f"{host}:{os.getpid()}:cccc") == (keys[5:], 0)
    gone = f"{host}:{2**22 + 12345}:dddd"  # above Linux's largest pid: no such process
    remote = "elsewhere.example:17:eeee"
    with ResultStore(tmp_path / "b") as store:
        store.claim_cells(keys[:2], gone)
        store.claim_cells(keys[2:4], remote)
        assert store.claim_cells(keys, me) == (keys[:2] + keys[4:], 2)
        store.release(me)
        monkeypatch.setattr(time, "time", lambda: 1e12)  # hours later: the remote is stale
        assert store.claim_cells(keys[:4], me) == (keys[:4], 0)
