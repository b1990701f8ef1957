"""What every lesson shares: result tables as data, their text form, fixed-weight layers."""

from __future__ import annotations

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


@dataclass
class Text:
    """A paragraph of a lesson's output."""

    body: str
    lines: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join([self.body, *self.lines])


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


def floats(array) -> list:
    """A numpy array (any shape) as nested lists of Python floats (JSON-ready)."""
    return np.asarray(array, dtype=np.float64).tolist()
