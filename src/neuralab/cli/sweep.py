"""``neuralab sweep``: train a grid of configurations × seeds on a Dask cluster, then compare them.

    neuralab sweep CONFIG.toml --out DIR [--workers N | --scheduler tcp://HOST:PORT]
    neuralab sweep report DIR

The first form runs every cell of the config that DIR/results.sqlite does not hold yet (on a
local cluster of one worker process per core unless --workers or --scheduler say otherwise);
stop it at any time and run the same command again to finish. Two sweeps started on one
folder share its runs (each claims what it computes). A grid of more than 10,000 runs starts
only with --max-runs N (the first N missing runs), --yes, or a "y" at the prompt. The second
form writes report.md, curves.png and, for a 2-D grid, heatmap.png into DIR and prints the
table, the errors of failed runs and the BLAS kernel the runs used.
"report" is a keyword: to run a config file named "report", write ./report.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

USAGE = """neuralab sweep CONFIG.toml --out DIR [--workers N | --scheduler tcp://HOST:PORT]
                      [--retry-failed] [--max-runs N] [--yes] [--quiet]
       neuralab sweep report DIR"""
#: a grid of more runs than this needs --max-runs N or a confirmation (--yes, or y at a prompt)
CONFIRM_ABOVE = 10_000


def _count(option: str, unit: str):
    """An argparse type for ``option``: a whole number of ``unit`` >= 1."""
    def parse(text: str) -> int:
        try:
            count = int(text)
        except ValueError:
            count = 0
        if count < 1:
            raise argparse.ArgumentTypeError(
                f"{option} takes a number of {unit} >= 1; got {text!r}")
        return count
    return parse


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "sweep", usage=USAGE, description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="train configurations × seeds on a Dask cluster; `sweep report DIR` compares them",
    )
    parser.add_argument("config", metavar="CONFIG.toml",
                        help='the sweep config (TOML), or the word "report"')
    parser.add_argument("report_dir", nargs="?", metavar="DIR",
                        help="after report: the sweep folder to summarise")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="the sweep folder (results.sqlite goes there)")
    parser.add_argument("--workers", type=_count("--workers", "processes"), metavar="N",
                        help="worker processes of the local cluster (default: one per core)")
    parser.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                        help="run on this existing Dask cluster instead of a local one")
    parser.add_argument("--retry-failed", action="store_true",
                        help="run the cells stored as failed again")
    parser.add_argument("--max-runs", type=_count("--max-runs", "runs"), metavar="N",
                        help="run at most N of the missing runs now (run again to continue)")
    parser.add_argument("--yes", action="store_true",
                        help=f"run a grid of more than {CONFIRM_ABOVE:,} runs without asking")
    parser.add_argument("--quiet", action="store_true", help="no progress output")


def _report(args) -> int:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from ..sweeps import report

    if args.report_dir is None:
        raise ValueError("`neuralab sweep report` needs the sweep folder: "
                         "neuralab sweep report DIR")
    given = [flag for flag, value in (("--out", args.out), ("--workers", args.workers),
                                      ("--scheduler", args.scheduler),
                                      ("--retry-failed", args.retry_failed or None),
                                      ("--max-runs", args.max_runs), ("--yes", args.yes or None))
             if value is not None]
    if given:
        raise ValueError(f"`neuralab sweep report DIR` takes no {', '.join(given)}: those "
                         "options are for running a sweep.")
    result = report(args.report_dir)
    console = Console()
    if console.is_terminal:
        table = Table(title="sweep report", title_justify="left", box=box.SIMPLE_HEAD)
        for name in result.header:
            table.add_column(name)
        for row in result.rows:
            table.add_row(*row)
        console.print(table)
    else:  # a pipe or a file: the Markdown table, whatever its width
        print(result.markdown, end="")
    for line in result.notes:
        print(line)
    for path in result.files:
        print(f"written: {path}")
    return 0


def _confirmed(spec, args) -> bool:
    """Whether a grid of ``spec.n_runs`` may start: small, limited by --max-runs, --yes, or
    confirmed at the prompt (a terminal only). Raises for a big grid without any of those."""
    if spec.n_runs <= CONFIRM_ABOVE or args.max_runs is not None or args.yes:
        return True
    sizes = " × ".join(f"{len(values)} {key}" for key, values in spec.grid.items())
    what = f"The sweep has {spec.n_runs:,} runs ({sizes} × {len(spec.seeds)} seeds)"
    if not sys.stdin.isatty():
        raise ValueError(f"{what}, more than {CONFIRM_ABOVE:,}. Run part of it with --max-runs N "
                         "(again to continue), or all of it with --yes.")
    try:
        answer = input(f"{what}. Start all of them? [y/N] ")
    except EOFError:  # the input ended: no answer is a no
        answer = ""
    return answer.strip().lower() in ("y", "yes")


def _run(args) -> int:
    from ..sweeps import parse_config, run_sweep

    if args.report_dir is not None:
        raise ValueError(f"unexpected argument {args.report_dir!r}. To summarise a sweep, run "
                         f"`neuralab sweep report {args.report_dir}`.")
    if args.out is None:
        raise ValueError("--out DIR is required: the folder where the sweep keeps its results "
                         "(run the same command again to continue an interrupted sweep).")
    spec = parse_config(Path(args.config))
    if args.out.exists() and not args.out.is_dir():
        raise ValueError(f"--out {str(args.out)!r} is a file, not a folder: name the folder "
                         "for the sweep's results (it is created if needed).")
    if not _confirmed(spec, args):
        print("neuralab sweep: not started.", file=sys.stderr)
        return 1
    try:
        outcome = run_sweep(spec, args.out, workers=args.workers, scheduler=args.scheduler,
                            retry_failed=args.retry_failed, max_runs=args.max_runs,
                            progress=not args.quiet)
    except KeyboardInterrupt:
        print(f"neuralab sweep: interrupted. Every finished run is in "
              f"{args.out / 'results.sqlite'}; run the same command again to continue.",
              file=sys.stderr)
        return 130
    if not args.quiet:
        held = (f", {outcome.held} being run by another sweep in this folder"
                if outcome.held else "")
        print(f"{outcome.total} runs: {outcome.ran} run now ({outcome.failed} failed), "
              f"{outcome.skipped} already in {args.out / 'results.sqlite'}{held}. "
              f"Compare them with: neuralab sweep report {args.out}")
    return 0


def run(args) -> int:
    try:
        return _report(args) if args.config == "report" else _run(args)
    except (ImportError, ConnectionError) as error:
        print(f"neuralab sweep: error: {error}", file=sys.stderr)
        return 1
