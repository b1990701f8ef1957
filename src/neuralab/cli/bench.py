"""``neuralab bench``: time neuralab against PyTorch, scikit-learn and hand-written NumPy."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

CASE_NAMES = ("tiny", "small", "medium", "deep")


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "bench", help="benchmark training speed against PyTorch and scikit-learn",
        description=(
            "Time one training step per case (median samples/s over interleaved rounds) for "
            "neuralab's eager API, nl.fit, a hand-written NumPy step, PyTorch eager, a "
            "jax.jit update (PyTorch and JAX each in a process of its own, when installed: "
            "pip install neuralab[bench]) and scikit-learn's MLPClassifier. Unset "
            "OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE first."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("cases", nargs="*", choices=[[], *CASE_NAMES], metavar="CASE",
                        help=f"cases to run (default: all of {', '.join(CASE_NAMES)})")
    parser.add_argument("--quick", action="store_true", help="fewer, shorter rounds")
    parser.add_argument("--threads", type=int, default=2, help="BLAS/PyTorch threads")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the numbers here")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table too")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory probes")
    parser.add_argument("--no-target", action="store_true",
                        help="skip the fit-to-target comparison of the estimators")


def run(args) -> int:
    from rich.console import Console

    from ..bench import report, run_grid

    results = run_grid(args.cases or None, quick=args.quick, threads=args.threads,
                       memory=not args.no_memory, target=not args.no_target)
    console = Console()
    console.print(report.table(results))
    for line in [*report.note_lines(results), *report.memory_lines(results),
                 *report.target_lines(results)]:
        console.print(line)
    if args.markdown:
        print(report.markdown(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0
