"""Sweep results in SQLite: ``OUT_DIR/results.sqlite``, one row per finished run in ``runs``.

Only the process that drives the sweep writes, one transaction per finished run, so a sweep
that is killed keeps every run that had finished, and a re-run finds them by their cell key.
The ``meta`` table remembers the data and base model of the sweep, so that results of different
experiments are not mixed in one folder.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

RESULTS_FILE = "results.sqlite"

#: columns of ``runs`` after the id, with their SQL types
COLUMNS = {
    "key": "TEXT UNIQUE NOT NULL",
    "configuration": "TEXT NOT NULL",
    "grid": "TEXT NOT NULL",
    "options": "TEXT NOT NULL",
    "activation": "TEXT",
    "optimizer": "TEXT",
    "lr": "REAL",
    "batch_size": "TEXT",
    "hidden": "TEXT",
    "clip": "REAL",
    "batch_norm": "INTEGER",
    "dropout": "REAL",
    "epochs": "INTEGER",
    "seed": "INTEGER NOT NULL",
    "status": "TEXT NOT NULL",
    "metric": "TEXT",
    "val_loss": "REAL",
    "val_accuracy": "REAL",
    "best_val": "REAL",
    "best_epoch": "INTEGER",
    "epochs_run": "INTEGER",
    "seconds": "REAL",
    "error": "TEXT",
    "traceback": "TEXT",
    "curves": "TEXT",
    "worker": "TEXT",
    "finished_at": "TEXT",
}
#: columns stored as JSON text and decoded by :meth:`ResultStore.rows`
JSON_COLUMNS = ("grid", "options", "hidden", "curves")


class ResultStore:
    """The results database of one sweep folder (created on first use).

    Use it as a context manager, or call :meth:`close`.
    """

    def __init__(self, out_dir, *, create: bool = True) -> None:
        self.path = Path(out_dir) / RESULTS_FILE
        if not create and not self.path.is_file():
            raise FileNotFoundError(
                f"No sweep results at {str(self.path)!r}. Run `neuralab sweep CONFIG.toml "
                f"--out {out_dir}` first."
            )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=30.0)
        self._db.row_factory = sqlite3.Row
        with self._db:
            self._db.execute("PRAGMA journal_mode=WAL")
            columns = ", ".join(f"{name} {kind}" for name, kind in COLUMNS.items())
            self._db.execute(
                f"CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY AUTOINCREMENT, {columns})"
            )
            self._db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def claim(self, identity: dict) -> None:
        """Record the sweep's data and base model, or check that they match those stored.

        Raises
        ------
        ValueError
            If the folder holds results of a sweep with other data or another base model.
        """
        row = self._db.execute("SELECT value FROM meta WHERE name = 'identity'").fetchone()
        if row is None:
            with self._db:
                self._db.execute("INSERT INTO meta VALUES ('identity', ?)",
                                 (json.dumps(identity, sort_keys=True),))
            return
        stored = json.loads(row["value"])
        if stored != identity:
            changed = [
                f"[{section}] {key}: {stored[section].get(key)!r} -> {identity[section].get(key)!r}"
                for section in identity
                for key in sorted(set(stored[section]) | set(identity[section]))
                if stored[section].get(key) != identity[section].get(key)
            ]
            raise ValueError(
                f"{self.path} holds a sweep with other settings ({'; '.join(changed)}). Only "
                "[grid] and [sweep] may change between runs into one folder: choose another "
                "--out folder for this config."
            )

    def finished_keys(self, *, include_failed: bool = True) -> set[str]:
        """Keys of the stored runs (only the successful ones with ``include_failed=False``)."""
        query = "SELECT key FROM runs" + ("" if include_failed else " WHERE status = 'ok'")
        return {row["key"] for row in self._db.execute(query)}

    def add(self, cell, record: dict) -> None:
        """Store the record of a finished ``cell`` in one transaction (replacing an older row
        of the same cell, e.g. a failed run that was retried)."""
        options = cell.options
        values = {
            "key": cell.key,
            "configuration": cell.label(),
            "grid": json.dumps(cell.grid),
            "options": json.dumps(options),
            **{name: options[name] for name in ("activation", "optimizer", "lr", "clip",
                                                  "dropout", "epochs")},
            "batch_size": str(options["batch_size"]),
            "hidden": json.dumps(list(options["hidden"])),
            "batch_norm": int(options["batch_norm"]),
            "seed": cell.seed,
            **{name: record[name] for name in ("status", "metric", "val_loss", "val_accuracy",
                                               "best_val", "best_epoch", "epochs_run",
                                               "seconds", "error", "traceback", "worker")},
            "curves": json.dumps(record["curves"]),
            "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        names = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        with self._db:
            self._db.execute(f"INSERT OR REPLACE INTO runs ({names}) VALUES ({marks})",
                             tuple(values.values()))

    def rows(self) -> list[dict]:
        """Every stored run as a dict, JSON columns decoded, in the order they finished."""
        rows = []
        for row in self._db.execute("SELECT * FROM runs ORDER BY id"):
            run = dict(row)
            for name in JSON_COLUMNS:
                run[name] = json.loads(run[name]) if run[name] is not None else None
            rows.append(run)
        return rows
