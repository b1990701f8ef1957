"""Ctrl-C belongs to the process that drives a sweep, not to its local worker processes.

A terminal sends SIGINT to every process in its foreground group, the local cluster's workers
included; each would print a KeyboardInterrupt traceback while the client is already stopping
them. This worker plugin makes them ignore SIGINT, so that Ctrl-C stops the sweep in one place:
the client cancels the pending runs and closes the cluster, and every finished run is stored.
Imported only when ``distributed`` is installed.
"""

from __future__ import annotations

import signal

from distributed import WorkerPlugin


class IgnoreInterrupt(WorkerPlugin):
    """Set SIGINT to be ignored in every worker process (run in the worker's main thread)."""

    name = "neuralab-ignore-interrupt"

    def setup(self, worker) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
