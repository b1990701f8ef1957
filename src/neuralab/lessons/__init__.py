"""The course as runnable lessons: ``neuralab lesson NAME`` or ``nl.lessons.NAME.run()``.

Each lesson is a module with

* ``SUMMARY``: one line saying what it shows;
* ``run() -> LessonResult``: its numbers as plain data (a dict of floats, lists, dicts:
  JSON-ready) that, in a notebook, shows the lesson's tables and figure;
* ``tables(result) -> list``: the tables and paragraphs it prints (``render`` makes text);
* ``plot(result) -> matplotlib.figure.Figure``: its figure.

Names: the command line uses hyphens (``neuralab lesson sigmoid-derivative``), Python module
names use underscores (``nl.lessons.sigmoid_derivative``); :func:`get` accepts both.

>>> result = nl.lessons.gates.run()
>>> print(nl.lessons.text("gates", result))
"""

from __future__ import annotations

import importlib
from types import ModuleType

from ._base import render

#: lesson names as the command line spells them, in the course's order
NAMES = (
    "hiking",
    "sigmoid-derivative",
    "neuron",
    "backprop-221",
    "gates",
    "linear-collapse",
    "activations",
    "vanishing-gradients",
    "exploding-gradients",
    "dying-relu",
    "batch-norm",
    "gd-variants",
)
_MODULES = {name.replace("-", "_"): name for name in NAMES}

__all__ = ["NAMES", "get", "render", "summaries", "text", *sorted(_MODULES)]


def get(name: str) -> ModuleType:
    """The lesson module called ``name`` ("sigmoid-derivative" or "sigmoid_derivative").

    Raises
    ------
    ValueError
        For an unknown name; the message lists the lessons.
    """
    key = name.replace("-", "_") if isinstance(name, str) else name
    if key not in _MODULES:
        raise ValueError(f"Unknown lesson {name!r}. Lessons: {', '.join(NAMES)}.")
    return importlib.import_module(f".{key}", __name__)


def summaries() -> dict[str, str]:
    """{lesson name: one-line summary}, in the course's order."""
    return {name: get(name).SUMMARY for name in NAMES}


def text(name: str, result: dict | None = None) -> str:
    """The printed form of lesson ``name`` for ``result`` (run now if not given)."""
    lesson = get(name)
    return render(lesson.tables(lesson.run() if result is None else result))


def __getattr__(name: str) -> ModuleType:
    """``nl.lessons.gates`` and friends: lesson modules are imported on first use."""
    if name in _MODULES:
        module = get(name)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'neuralab.lessons' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MODULES))
