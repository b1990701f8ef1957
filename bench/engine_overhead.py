"""Engine overhead: one training step (forward + backward + SGD update), neuralab vs PyTorch eager.

Two networks from the ``neuralab bench`` grid:

* tiny   -- 2-4-1 sigmoid MLP on the 4 XOR points, BCE on logits: per-step Python overhead;
* medium -- 784-256-128-10 ReLU MLP on 128-sample batches, softmax cross-entropy: BLAS-bound.

Both libraries run in the same process, in interleaved rounds, with the same number of BLAS
threads; printed are the median step time of each (min-max over rounds) and the ratio PyTorch
time / neuralab time (> 1 means neuralab is faster). ``neuralab bench`` runs the whole grid.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/engine_overhead.py
"""

from __future__ import annotations

import argparse

from neuralab.bench.runner import blas_description, run_case, set_threads


def _cell(stats: dict) -> str:
    """Median step time and its min-max over rounds, in microseconds."""
    us = {k: v * 1e6 for k, v in stats.items() if k.endswith("seconds")}
    return (f"{us['median_step_seconds']:8.1f} µs "
            f"({us['min_step_seconds']:.0f}-{us['max_step_seconds']:.0f})")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    set_threads(args.threads)
    print(f"BLAS: {blas_description()}")
    print(f"{'case':8} {'neuralab step':>24} {'pytorch step':>24} {'pytorch/neuralab':>17}")
    for name in ("tiny", "medium"):
        stats = run_case(name, rounds=args.rounds, seconds_per_round=0.3, with_torch=True,
                         contenders=("neuralab", "pytorch"))

        ratio = stats["pytorch"]["median_step_seconds"] / stats["neuralab"]["median_step_seconds"]
        print(f"{name:8} {_cell(stats['neuralab']):>24} {_cell(stats['pytorch']):>24} "
              f"{ratio:16.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
