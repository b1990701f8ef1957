"""What every lesson shares: result tables as data, their text and HTML forms, the result type
that shows itself in a notebook, fixed-weight layers."""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass, field

import numpy as np

from .._text import format_table
from ..nn import Linear


@dataclass
class Table:
    """One table of a lesson's output: a title, column names, rows of numbers or text."""

    title: str
    columns: list[str]
    rows: list[list]
    note: str = ""
    digits: int = 4

    def __str__(self) -> str:
        text = format_table(self.columns, self.rows, self.title, self.digits)
        return f"{text}\n{self.note}" if self.note else text

    def _repr_html_(self) -> str:
        from .._display.lesson import part_html

        return part_html(self)


@dataclass
class Text:
    """A paragraph of a lesson's output."""

    body: str
    lines: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join([self.body, *self.lines])

    def _repr_html_(self) -> str:
        from .._display.lesson import part_html

        return part_html(self)


class LessonResult(dict):
    """A lesson's numbers (a plain, JSON-ready dict) that know their lesson.

    In a notebook the result shows the lesson's tables and its figure; ``tables()``, ``text()``
    and ``figure()`` give them one by one. ``json.dumps(result)`` works as on any dict.

    Attributes
    ----------
    name : str
        The lesson's name as the command line spells it ("sigmoid-derivative").
    """

    def __init__(self, name: str, data: dict) -> None:
        super().__init__(data)
        self.name = name

    @property
    def lesson(self):
        return importlib.import_module(f"neuralab.lessons.{self.name.replace('-', '_')}")

    def tables(self) -> list:
        return self.lesson.tables(self)

    def text(self) -> str:
        return render(self.tables())

    def figure(self):
        return self.lesson.plot(self)

    def __repr__(self) -> str:
        return (f"<LessonResult {self.name!r}: {self.lesson.SUMMARY}; keys "
                f"{', '.join(self)}; print(result.text()) for the tables>")

    def _repr_html_(self) -> str:
        from .._display.lesson import lesson_html

        return lesson_html(self)


def returns_result(run):
    """Decorate a lesson's ``run()`` so that its dict comes back as a :class:`LessonResult`."""
    name = run.__module__.rsplit(".", 1)[-1].replace("_", "-")

    @functools.wraps(run)
    def wrapper(*args, **kwargs) -> LessonResult:
        return LessonResult(name, run(*args, **kwargs))

    return wrapper


def render(parts) -> str:
    """The text of a lesson: its tables and paragraphs separated by blank lines."""
    return "\n\n".join(str(part) for part in parts) + "\n"


def fixed_linear(weight, bias) -> Linear:
    """A float64 ``Linear`` with the given weights, W of shape (in, out), as the course sets them.

    The course's units are written z = w1 x1 + w2 x2 + b: a unit's weights are a column of W.
    """
    weight = np.asarray(weight, dtype=np.float64)
    layer = Linear(weight.shape[0], weight.shape[1], dtype="float64")
    layer.weight.data[...] = weight
    layer.bias.data[...] = np.asarray(bias, dtype=np.float64)
    return layer


def near_bit(p: float, q: float) -> str:
    """A sigmoid output p for a table, given q = 1 - p computed on its own (σ(-z), exact
    where 1 - p would round to 0).

    Within 0.001 of 0 or 1 it is written as its distance to that bit, with 3 significant
    digits: σ(-10) as "4.54e-05" and σ(10) as "1 - 4.54e-05", so the two read alike (a plain
    4-digit format shows σ(10) as "1" but σ(-10) as "4.54e-05"). Otherwise 4 decimals.
    """
    if min(p, q) >= 1e-3:
        return f"{p:.4f}"
    return f"{p:.3g}" if p < q else f"1 - {q:.3g}"


def floats(array) -> list:
    """A numpy array (any shape) as nested lists of Python floats (JSON-ready)."""
    return np.asarray(array, dtype=np.float64).tolist()
