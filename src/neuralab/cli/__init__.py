"""The ``neuralab`` command: ``neuralab COMMAND [options]``; ``main(argv) -> exit code``.

Each command lives in its own module of this package with two functions:
``add_parser(subparsers)`` (cheap: no heavy imports) and ``run(args) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: command name -> module (in this package) that implements it
COMMANDS = {
    "train": "train",
    "predict": "predict",
    "lesson": "lesson",
    "explain": "explain",
    "exercise": "exercise",
    "bench": "bench",
    "sweep": "sweep",
    "playground": "playground",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="neuralab",
        description="neuralab: train, inspect and learn from neural networks.",
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"neuralab {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMANDS.values():
        module = importlib.import_module(f".{module_name}", __name__)
        module.add_parser(subparsers)
    return parser


def main(argv=None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    module = importlib.import_module(f".{COMMANDS[args.command]}", __name__)
    try:
        return module.run(args)
    except (ValueError, TypeError, FileNotFoundError) as err:
        print(f"neuralab {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"neuralab {args.command}: interrupted", file=sys.stderr)
        return 130
