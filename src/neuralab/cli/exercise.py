"""``neuralab exercise``: the course's graded exercises, from a terminal.

``neuralab exercise list`` lists them (name, lesson, title).
``neuralab exercise NAME`` shows the task and how to answer it. Then write the answer into a
file, starting from the template, and grade it:

    neuralab exercise NAME --template > answer.py     # edit answer.py
    neuralab exercise NAME --answer answer.py         # exit code 0 when it passes

``--hints`` prints the hints. In Python or a notebook: ``nl.exercises.check(NAME, answer)``.
"""

from __future__ import annotations

import argparse
import runpy
import sys
import textwrap
from pathlib import Path


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "exercise", help="graded exercises of the course ('neuralab exercise list' lists them)",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("name", help="an exercise name (e.g. sigmoid-derivative) or 'list'")
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument("--answer", type=Path, metavar="FILE.py",
                       help="grade the answer defined in this Python file")
    shown.add_argument("--template", action="store_true",
                       help="print only the starter file (redirect it into FILE.py)")
    shown.add_argument("--hints", action="store_true", help="print the hints")


def _list() -> int:
    from .. import exercises

    rows = [(ex.name, ex.lesson, ex.title) for ex in exercises.EXERCISES.values()]
    widths = [max(len(row[k]) for row in rows) for k in range(2)]
    for name, lesson, title in rows:
        print(f"{name:<{widths[0]}}  {lesson:<{widths[1]}}  {title}")
    return 0


def _describe(ex) -> None:
    print(f"{ex.name}: {ex.title} (lesson {ex.lesson})\n")
    print("\n".join(textwrap.fill(paragraph, 88) for paragraph in ex.task.split("\n")))
    print(f"\nDefine {ex.answer} in a Python file; start from the template:\n")
    print("    " + ex.template.rstrip("\n").replace("\n", "\n    "))
    print(f"\nneuralab exercise {ex.name} --template > answer.py     # then edit answer.py")
    print(f"neuralab exercise {ex.name} --answer answer.py         # grade it")
    print(f"neuralab exercise {ex.name} --hints                    "
          f"# {len(ex.hints)} hint{'s' * (len(ex.hints) != 1)}")


def _load_answer(ex, path: Path):
    if not path.is_file():
        raise FileNotFoundError(f"No answer file {str(path)!r}. Write one with: neuralab "
                                f"exercise {ex.name} --template > {path}")
    try:
        namespace = runpy.run_path(str(path), run_name="__answer__")
    except Exception as err:  # the student's file: report what went wrong in it
        raise ValueError(f"running {path} raised {type(err).__name__}: {err}") from None
    if ex.answer not in namespace:
        raise ValueError(f"{path} does not define {ex.answer!r}; the template shows what to "
                         f"define (neuralab exercise {ex.name} --template).")
    return namespace[ex.answer]


def run(args) -> int:
    from .. import exercises

    if args.name == "list":
        return _list()
    try:
        ex = exercises.get(args.name)
    except ValueError:
        print(f"neuralab exercise: unknown exercise {args.name!r}; 'neuralab exercise list' "
              "lists them.", file=sys.stderr)
        return 2
    if args.template:
        print(ex.template, end="")
    elif args.hints:
        for k, hint in enumerate(ex.hints, start=1):
            print(f"{k}. {hint}")
    elif args.answer is not None:
        result = ex.check(_load_answer(ex, args.answer))
        print(result)
        return 0 if result.passed else 1
    else:
        _describe(ex)
    return 0
