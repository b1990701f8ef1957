"""Timing and memory measurement that stays honest on a shared, noisy machine.

Contenders are timed in interleaved rounds (A, B, C, A, B, C, ...), so a burst of load from
elsewhere hits all of them alike; each round yields one seconds-per-step sample and the report
uses medians and ratios of medians. Peak memory is the process's resident high-water mark
above its level just before the run (``/proc/self/clear_refs`` resets the mark; Linux only).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path


def interleaved(runners: dict[str, tuple[Callable[[], None], int]], rounds: int,
                seconds_per_round: float) -> dict[str, list[float]]:
    """Seconds per step of each runner: ``{name: [one sample per round]}``.

    ``runners`` maps a name to ``(call, steps_per_call)``: a step closure has 1 step per call,
    a whole epoch of ``fit`` has as many steps as batches. A call with a ``timed(n)`` method
    (a peer in its own process, ``peers.py``) times its n calls itself. Each runner is
    calibrated first so that one round takes about ``seconds_per_round``.
    """
    timers = {name: getattr(call, "timed", None) or _local_timer(call)
              for name, (call, _steps) in runners.items()}
    calls = {}
    for name, timer in timers.items():
        timer(1)  # warm-up: caches, BLAS buffers, lazy imports, JIT compilation
        once = max(timer(1), 1e-7)
        calls[name] = max(1, round(seconds_per_round / once))
    samples: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(rounds):
        for name, (_call, steps) in runners.items():
            samples[name].append(timers[name](calls[name]) / (calls[name] * steps))
    return samples


def _local_timer(call: Callable[[], None]) -> Callable[[int], float]:
    """``timer(n)``: the seconds that n calls of ``call`` take in this process."""

    def timer(times: int) -> float:
        start = time.perf_counter()
        for _ in range(times):
            call()
        return time.perf_counter() - start

    return timer


def summary(seconds_per_step: list[float], samples_per_step: int) -> dict:
    """Median samples per second and the min-max over rounds (and the same as step times)."""
    rates = [samples_per_step / s for s in seconds_per_step]
    return {
        "median": statistics.median(rates),
        "min": min(rates),
        "max": max(rates),
        "median_step_seconds": statistics.median(seconds_per_step),
        "min_step_seconds": min(seconds_per_step),
        "max_step_seconds": max(seconds_per_step),
    }


def _status(field: str) -> int | None:
    """A kB field of /proc/self/status (VmRSS, VmHWM), or None off Linux."""
    status = Path("/proc/self/status")
    if not status.exists():
        return None
    for line in status.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return None


def peak_memory_mb(run: Callable[[], None]) -> float | None:
    """Resident memory (MB) that ``run`` needed above the level before it: the peak RSS
    during the run minus the RSS just before. None where it cannot be measured."""
    clear = Path("/proc/self/clear_refs")
    before = _status("VmRSS")
    if before is None or not clear.exists():
        return None
    try:
        clear.write_text("5")  # reset the high-water mark to the current RSS
    except OSError:
        return None
    run()
    peak = _status("VmHWM")
    return None if peak is None else (peak - before) / 1024
