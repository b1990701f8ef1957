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


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line: what was wrong, and where the help is.

    (argparse's own prints the whole usage first; the subcommands' parsers are of this class
    too, as ``add_subparsers`` makes them of its parser's class.)
    """

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (`{self.prog} --help` lists the "
                     "options)\n")


def _user_errors() -> tuple[type[BaseException], ...]:
    """The errors a user's input can cause: printed as one line (exit status 2), never as a
    traceback."""
    from ..autograd.function import NonDifferentiableError
    from ..train import TrainingDivergedError

    return (ValueError, TypeError, OSError, NonDifferentiableError, TrainingDivergedError)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
    except _user_errors() as err:
        message = " ".join(str(err).split())  # one line, whatever the error's own layout
        print(f"neuralab {args.command}: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"neuralab {args.command}: interrupted", file=sys.stderr)
        return 130
