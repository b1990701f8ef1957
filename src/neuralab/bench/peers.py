"""Peers timed in a process of their own: PyTorch and JAX.

Each library with a thread pool of its own (PyTorch's OpenMP threads, XLA's Eigen pool) runs in
a separate worker process, so that its threads never spin against NumPy's OpenBLAS threads in
the benchmark's process. The rounds stay interleaved: the parent asks the worker to run a
number of steps and waits, idle, for the seconds they took (one line in, one line out), between
timing its own contenders.

A library that is not installed, or fails to start, is skipped with a note instead of a row.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

#: peers and the module each needs
PEERS = {"pytorch": "torch", "jax": "jax"}


def available(library: str) -> bool:
    """Whether the peer's package is installed (without importing it here)."""
    from importlib.util import find_spec

    return find_spec(PEERS[library]) is not None


def _thread_environment(library: str, threads: int) -> dict:
    """The worker's environment: XLA reads its thread settings when JAX starts."""
    env = dict(os.environ)
    if library == "jax":
        env["JAX_PLATFORMS"] = "cpu"
        if threads == 1:
            flags = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
            env["XLA_FLAGS"] = f"{env.get('XLA_FLAGS', '')} {flags}".strip()
    return env


class PeerProcess:
    """One peer on one case in a worker process: ``timed(n)`` runs n steps there and returns
    their seconds; calling it runs one step. ``version`` is the library's version."""

    def __init__(self, library: str, case_name: str, threads: int) -> None:
        self.library = library
        self._process = subprocess.Popen(
            [sys.executable, "-m", "neuralab.bench.peers", library, case_name, str(threads)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=_thread_environment(library, threads),
        )
        ready = json.loads(self._read())
        self.version = ready["version"]

    def _read(self) -> str:
        line = self._process.stdout.readline()
        if not line:
            error = self._process.stderr.read().strip().splitlines()
            self._process.wait()
            raise RuntimeError(f"the {self.library} worker stopped: "
                               f"{error[-1] if error else 'no message'}")
        return line

    def timed(self, steps: int) -> float:
        self._process.stdin.write(f"{steps}\n")
        self._process.stdin.flush()
        return float(self._read())

    def __call__(self) -> None:
        self.timed(1)

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.stdin.close()
            self._process.wait(timeout=30)


def start_peers(case_name: str, threads: int, libraries=tuple(PEERS)) -> tuple[dict, dict]:
    """``({library: PeerProcess}, {library: note})``: a worker per installed peer, and why
    the others are missing."""
    started, notes = {}, {}
    for library in libraries:
        if not available(library):
            notes[library] = f"{PEERS[library]} is not installed (pip install neuralab[bench])"
            continue
        try:
            started[library] = PeerProcess(library, case_name, threads)
        except (RuntimeError, ValueError) as error:
            notes[library] = str(error)
    return started, notes


def _serve(library: str, case_name: str, threads: int) -> None:
    """The worker: build the peer's step, then run the requested number of steps per line."""
    from . import cases as grid

    case = grid.CASES[case_name]
    X, y = case.arrays()
    data = grid.batches(case, X, y)
    if library == "pytorch":
        import torch

        torch.set_num_threads(threads)
        step, version = grid.torch_step(case, data), torch.__version__
    else:
        import jax

        step, version = grid.jax_step(case, data), jax.__version__
    print(json.dumps({"version": version}), flush=True)
    for line in sys.stdin:
        steps = int(line)
        start = time.perf_counter()
        for _ in range(steps):
            step()
        print(time.perf_counter() - start, flush=True)


if __name__ == "__main__":
    _serve(sys.argv[1], sys.argv[2], int(sys.argv[3]))
