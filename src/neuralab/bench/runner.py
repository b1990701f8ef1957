"""Run the benchmark grid and the per-library memory probes."""

from __future__ import annotations

import json
import subprocess
import sys

from . import cases as grid
from .peers import available, start_peers
from .target import fit_to_target
from .timing import interleaved, peak_memory_mb, summary

#: the case whose peak memory is compared (the issue's "medium" run)
MEMORY_CASE = "medium"


def _torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def set_threads(threads: int) -> None:
    """Give NumPy's BLAS and PyTorch the same number of threads."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(threads)
    if _torch_available():
        import torch

        torch.set_num_threads(threads)


def blas_description() -> str:
    """Which BLAS NumPy uses, as threadpoolctl reports it (library, version, kernel, threads)."""
    from threadpoolctl import threadpool_info

    infos = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    return "; ".join(
        f"{i['internal_api']} {i.get('version')} ({i.get('architecture')} kernel, "
        f"{i['num_threads']} threads)" for i in infos
    ) or "unknown"


def cpu_model() -> str:
    """The CPU's model name (Linux: /proc/cpuinfo), or the platform's processor string."""
    import platform
    from pathlib import Path

    info = Path("/proc/cpuinfo")
    if info.exists():
        for line in info.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


def _runners(case: grid.Case, X, y, peers: dict) -> dict:
    data = grid.batches(case, X, y)
    runners = {
        "neuralab": (grid.neuralab_step(case, data), 1),
        "neuralab fit": grid.neuralab_fit_calls(case, X, y),
        "numpy": (grid.reference_step(case, data), 1),
    }
    runners.update({library: (peer, 1) for library, peer in peers.items()})
    if case.sklearn:
        runners["sklearn"] = grid.sklearn_epoch(case, X, y)
    return runners


def run_case(name: str, *, rounds: int, seconds_per_round: float, with_torch: bool,
             contenders=None, threads: int = 2, with_jax: bool = True,
             notes: dict | None = None) -> dict:
    """Time every contender (or the named ones) on one case; returns {contender: summary}.

    PyTorch and JAX (when installed, and asked for) run in worker processes of their own
    (``peers.py``); why a peer is missing goes into ``notes`` ({library: reason}).
    """
    case = grid.CASES[name]
    X, y = case.arrays()
    wanted = [lib for lib, on in (("pytorch", with_torch), ("jax", with_jax))
              if on and (contenders is None or lib in contenders)]
    workers, missing = start_peers(name, threads, wanted)
    if notes is not None:
        notes.update(missing)
    try:
        runners = _runners(case, X, y, workers)
        if contenders is not None:
            runners = {k: v for k, v in runners.items() if k in contenders}
        samples = interleaved(runners, rounds, seconds_per_round)
    finally:
        for worker in workers.values():
            worker.close()
    batch = len(X) if case.batch_size == "full" else case.batch_size
    return {contender: summary(values, batch) for contender, values in samples.items()}


def memory_probe(case_name: str, library: str, steps: int = 100) -> float | None:
    """Peak memory (MB) of ``steps`` training steps of one library, in this process."""
    case = grid.CASES[case_name]
    X, y = case.arrays()
    data = grid.batches(case, X, y)
    make = {"neuralab": grid.neuralab_step, "pytorch": grid.torch_step}[library]

    def train():
        step = make(case, data)
        for _ in range(steps):
            step()

    return peak_memory_mb(train)


def measure_memory(case_name: str, libraries, threads: int) -> dict:
    """Run :func:`memory_probe` for each library in a fresh Python process."""
    results = {}
    for library in libraries:
        code = (
            "import json, neuralab.bench.runner as r; "
            f"r.set_threads({threads}); "
            f"print(json.dumps(r.memory_probe({case_name!r}, {library!r})))"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=False)
        results[library] = json.loads(done.stdout) if done.returncode == 0 else None
    return results


def run_grid(names=None, *, quick: bool = False, threads: int = 2, memory: bool = True,
             target: bool = True) -> dict:
    """Run the grid (and the fit-to-target comparison); returns everything the report and the
    JSON file need."""
    set_threads(threads)
    with_torch = _torch_available()
    names = list(names or grid.CASES)
    rounds, seconds = (5, 0.1) if quick else (15, 0.4)
    notes: dict = {}
    results = {
        "blas": blas_description(),
        "cpu": cpu_model(),
        "threads": threads,
        "torch": __import__("torch").__version__ if with_torch else None,
        "jax": _version("jax") if available("jax") else None,
        "rounds": rounds,
        "cases": {},
        "notes": notes,
    }
    for name in names:
        results["cases"][name] = {
            "description": grid.CASES[name].description,
            "contenders": run_case(name, rounds=rounds, seconds_per_round=seconds,
                                   with_torch=with_torch, threads=threads, notes=notes),
        }
    if memory and MEMORY_CASE in names:
        libraries = ["neuralab", "pytorch"] if with_torch else ["neuralab"]
        results["memory_mb"] = measure_memory(MEMORY_CASE, libraries, threads)
    if target:
        results["fit_to_target"] = fit_to_target(seeds=2 if quick else 5)
    return results
