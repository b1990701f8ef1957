"""``neuralab lesson``: run a lesson of the course, print its tables and write its figure.

``neuralab lesson list`` prints one lesson per line (name, then summary).
``neuralab lesson NAME`` runs it, prints its numbers and writes ``lesson-NAME.png`` in the
current folder (``--plot FILE.png`` to choose the file, ``--no-plot`` for none, ``--json`` to
print the numbers as JSON instead of tables).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "lesson", help="run a lesson of the course ('neuralab lesson list' lists them)",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("name", help="a lesson name (e.g. gates, backprop-221) or 'list'")
    parser.add_argument("--plot", type=Path, metavar="FILE.png",
                        help="where to write the figure (default: lesson-NAME.png)")
    parser.add_argument("--no-plot", action="store_true", help="do not write a figure")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")


def run(args) -> int:
    from .. import lessons

    if args.name == "list":
        width = max(len(name) for name in lessons.NAMES)
        for name, summary in lessons.summaries().items():
            print(f"{name:<{width}}  {summary}")
        return 0
    try:
        lesson = lessons.get(args.name)
    except ValueError:
        print(f"neuralab lesson: unknown lesson {args.name!r}. Lessons:", file=sys.stderr)
        for name in lessons.NAMES:
            print(f"  {name}", file=sys.stderr)
        return 2
    name = args.name.replace("_", "-")
    result = lesson.run()
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(f"neuralab lesson {name}: {lesson.SUMMARY}\n")
        print(lessons.render(lesson.tables(result)), end="")
    if not args.no_plot:
        path = args.plot or Path(f"lesson-{name}.png")
        figure = lesson.plot(result)
        figure.savefig(path, dpi=100)
        print(f"figure written to {path}", file=sys.stderr if args.json else sys.stdout)
    return 0
