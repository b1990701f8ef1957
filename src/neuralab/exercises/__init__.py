"""Graded exercises: the course's hand work as tasks that ``check`` grades.

Each exercise asks for a function, some numbers or a trained model, and grades it against the
engine: autograd (and ``nl.gradcheck``) for derivatives, the layers and optimizers for the
rest, and the course's numbers. A wrong answer gets the first place where it differs and a
hint, never the expected value::

    >>> import neuralab as nl
    >>> nl.exercises.names()                      # sigmoid-derivative, bce-gradient, ...
    >>> ex = nl.exercises.get("sigmoid-derivative")
    >>> print(ex.task); print(ex.template)
    >>> def sigmoid_prime(z): ...
    >>> nl.exercises.check("sigmoid-derivative", sigmoid_prime)   # a Result: passed or a hint

From a terminal: ``neuralab exercise list``, ``neuralab exercise NAME`` (the task),
``neuralab exercise NAME --template > answer.py`` and ``neuralab exercise NAME --answer
answer.py``.
"""

from __future__ import annotations

from . import custom_op, derivatives, gates, layers
from ._base import Exercise, Result

#: every exercise by name, in the course's order
EXERCISES: dict[str, Exercise] = {
    ex.name: ex for ex in (
        gates.PERCEPTRON, derivatives.SIGMOID, derivatives.BCE, derivatives.NEURON,
        derivatives.CHAIN_W11, gates.GATE_AND, gates.GATE_OR, gates.GATE_NOT, gates.GATE_XNOR,
        layers.LINEAR_COLLAPSE, custom_op.CUSTOM_OP, derivatives.VANISHING, layers.CLIP_NORM,
        derivatives.RELU, layers.BATCH_NORM, layers.UPDATES, layers.FIRST_NETWORK)
}

__all__ = ["EXERCISES", "Exercise", "Result", "check", "for_lesson", "get", "names"]


def names() -> list[str]:
    """The exercises' names, in the course's order."""
    return list(EXERCISES)


def get(name: str) -> Exercise:
    """The exercise called ``name``; the error lists them all."""
    if name not in EXERCISES:
        raise ValueError(f"Unknown exercise {name!r}. Exercises: {', '.join(EXERCISES)}.")
    return EXERCISES[name]


def for_lesson(lesson: str) -> list[Exercise]:
    """The exercises that belong to ``lesson`` (a lesson name, or "your-first-network")."""
    return [ex for ex in EXERCISES.values() if ex.lesson == lesson.replace("_", "-")]


def check(name: str, answer) -> Result:
    """Grade ``answer`` for the exercise ``name``: a :class:`Result` (``bool(result)`` is
    True when it passed; in a notebook it shows the verdict and a hint)."""
    return get(name).check(answer)
