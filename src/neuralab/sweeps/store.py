"""Sweep results in SQLite: ``OUT_DIR/results.sqlite``, one row per finished run in ``runs``.

Only the processes that drive sweeps write, one transaction per finished run, so a sweep that
is killed keeps every run that had finished, and a re-run finds them by their cell key. The
``meta`` table remembers the data and base model of the sweep, so that results of different
experiments are not mixed in one folder.

Two sweeps started on one folder share the work instead of doing it twice: before submitting
its runs a sweep *claims* them in the ``claims`` table (one transaction that takes SQLite's
write lock, so two sweeps cannot claim the same run), skips those another live sweep holds,
and gives its claims up as its runs are stored and when it ends. A claim of a process that
is gone (same machine: its pid no longer runs; another machine: no run stored for
:data:`STALE_AFTER` seconds) is taken over.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import time
import uuid
from pathlib import Path

RESULTS_FILE = "results.sqlite"
#: a claim held from another machine is taken over after this long without a stored run
STALE_AFTER = 6 * 3600.0

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
    "blas": "TEXT",
    "finished_at": "TEXT",
}
#: columns stored as JSON text and decoded by :meth:`ResultStore.rows`
JSON_COLUMNS = ("grid", "options", "hidden", "curves")


class ResultsFileError(ValueError):
    """``results.sqlite`` cannot be read as a sweep's results (damaged, or another file)."""


def new_owner() -> str:
    """A name for one sweep process's claims: "host:pid:token"."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _owner_alive(owner: str, claimed_at: float) -> bool:
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return time.time() - claimed_at < STALE_AFTER
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


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
        try:
            with self._checked(), self._db:
                self._db.execute("PRAGMA journal_mode=WAL")
                columns = ", ".join(f"{name} {kind}" for name, kind in COLUMNS.items())
                self._db.execute("CREATE TABLE IF NOT EXISTS runs "
                                 f"(id INTEGER PRIMARY KEY AUTOINCREMENT, {columns})")
                self._db.execute(
                    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
                self._db.execute("CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, "
                                 "owner TEXT NOT NULL, claimed_at REAL NOT NULL)")
                present = {row["name"] for row in self._db.execute("PRAGMA table_info(runs)")}
                for name, kind in COLUMNS.items():  # a file of an older neuralab
                    if name not in present:
                        self._db.execute(f"ALTER TABLE runs ADD COLUMN {name} "
                                         f"{kind.replace(' UNIQUE', '').replace(' NOT NULL', '')}")
        except BaseException:
            self._db.close()
            raise

    @contextlib.contextmanager
    def _checked(self):
        """Turn SQLite's errors about the file into one message naming it and what to do."""
        try:
            yield
        except sqlite3.DatabaseError as error:
            if "locked" in str(error):
                raise ResultsFileError(
                    f"{self.path} stayed locked by another process for 30 s ({error}). Wait "
                    "for the other sweep or report to finish, then run the command again."
                ) from None
            raise ResultsFileError(
                f"{self.path} cannot be read as sweep results ({error}): it is damaged or is "
                "not a neuralab sweep file. Move it away (or delete it) and run the sweep "
                "again to recompute its runs, or choose another --out folder."
            ) from None

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
        with self._checked():
            row = self._db.execute("SELECT value FROM meta WHERE name = 'identity'").fetchone()
            if row is None:
                with self._db:
                    self._db.execute("INSERT OR IGNORE INTO meta VALUES ('identity', ?)",
                                     (json.dumps(identity, sort_keys=True),))
                row = self._db.execute(
                    "SELECT value FROM meta WHERE name = 'identity'").fetchone()
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
        with self._checked():
            return {row["key"] for row in self._db.execute(query)}

    def claim_cells(self, keys, owner: str) -> tuple[list[str], int]:
        """Claim the runs ``keys`` for ``owner`` (see :func:`new_owner`), in one transaction.

        Returns the keys now claimed, and how many of ``keys`` another live sweep holds (they
        are not claimed). Claims of processes that are gone are taken over.
        """
        keys = list(keys)
        now = time.time()
        with self._checked():
            self._db.execute("BEGIN IMMEDIATE")  # the write lock: one claimer at a time
            try:
                others = self._db.execute("SELECT owner, key, claimed_at FROM claims WHERE "
                                          "owner != ?", (owner,)).fetchall()
                latest: dict[str, float] = {}
                for row in others:
                    latest[row["owner"]] = max(latest.get(row["owner"], 0.0), row["claimed_at"])
                gone = [name for name, when in latest.items() if not _owner_alive(name, when)]
                self._db.executemany("DELETE FROM claims WHERE owner = ?",
                                     [(name,) for name in gone])
                held = {row["key"] for row in others if row["owner"] not in gone}
                mine = [key for key in keys if key not in held]
                self._db.executemany("INSERT OR REPLACE INTO claims VALUES (?, ?, ?)",
                                     [(key, owner, now) for key in mine])
                self._db.commit()
            except BaseException:
                self._db.rollback()
                raise
        return mine, len(keys) - len(mine)

    def release(self, owner: str) -> None:
        """Give up every claim of ``owner`` (its sweep ends)."""
        with self._checked(), self._db:
            self._db.execute("DELETE FROM claims WHERE owner = ?", (owner,))

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
            "blas": record.get("blas"),
            "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        names = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        with self._checked(), self._db:
            self._db.execute(f"INSERT OR REPLACE INTO runs ({names}) VALUES ({marks})",
                             tuple(values.values()))
            # the run is stored: its claim is done, and the owner's other claims are fresh
            owner = self._db.execute("SELECT owner FROM claims WHERE key = ?",
                                     (cell.key,)).fetchone()
            self._db.execute("DELETE FROM claims WHERE key = ?", (cell.key,))
            if owner is not None:
                self._db.execute("UPDATE claims SET claimed_at = ? WHERE owner = ?",
                                 (time.time(), owner["owner"]))

    def rows(self) -> list[dict]:
        """Every stored run as a dict, JSON columns decoded, in the order they finished."""
        rows = []
        with self._checked():
            for row in self._db.execute("SELECT * FROM runs ORDER BY id"):
                run = dict(row)
                for name in JSON_COLUMNS:
                    run[name] = json.loads(run[name]) if run[name] is not None else None
                rows.append(run)
        return rows
