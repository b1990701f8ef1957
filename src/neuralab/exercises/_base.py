"""What every exercise shares: the task, the grader's verdict, and the comparisons it makes.

A grader looks at a student's answer and returns a :class:`Verdict`: passed, or the first
place where the answer differs from the truth, a hint for that place, and never the expected
value itself. The truth always comes from the engine (autograd, the layers, the optimizers),
never from a second copy of the formula.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from numbers import Real


@dataclass
class Verdict:
    """A grader's finding: ``passed``, what it found (``message``) and a ``hint`` on failure."""

    passed: bool
    message: str
    hint: str | None = None


class NotAnswered(Exception):
    """The answer is still the template's placeholder (``...`` or NotImplementedError)."""


class BadAnswer(Exception):
    """The answer has the wrong form (not a function, not three numbers, ...): the message
    says what was expected."""


@dataclass
class Result:
    """The grade of one answer: ``bool(result)`` is True when it passed.

    Attributes
    ----------
    exercise : str
    passed : bool
    message : str
        What was checked, or where the answer first differs.
    hint : str or None
        On a failure: a nudge towards the right answer (never the answer).
    """

    exercise: str
    passed: bool
    message: str
    hint: str | None = None

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        mark = "passed" if self.passed else "not yet"
        text = f"{self.exercise}: {mark}. {self.message}"
        return text + (f"\nHint: {self.hint}" if self.hint else "")

    def __repr__(self) -> str:
        return f"<Result {self.exercise}: {'passed' if self.passed else 'not yet'}>"

    def _repr_html_(self) -> str:
        from .._display import html

        tone, mark = ("ok", "✔ passed") if self.passed else ("bad", "✘ not yet")
        parts = [html.paragraph(f"{self.exercise}: ") + html.flag(mark, tone),
                 html.paragraph(self.message)]
        if self.hint:
            parts.append(html.paragraph(f"Hint: {self.hint}", muted=True))
        return html.block(*parts)


@dataclass
class Exercise:
    """One task of the course's hand work, with its grader.

    Attributes
    ----------
    name : str
        As the command line spells it ("sigmoid-derivative").
    title : str
    lesson : str
        The lesson (and notebook) it belongs to.
    task : str
        What to do, with the formulas needed.
    answer : str
        The name the answer goes by in a notebook cell or an answer file ("sigmoid_prime").
    template : str
        Python code that defines ``answer`` with placeholders, to start from.
    hints : list of str
        Nudges, from gentle to specific.
    """

    name: str
    title: str
    lesson: str
    task: str
    answer: str
    template: str
    hints: list[str]
    grader: Callable = field(repr=False)

    def check(self, answer) -> Result:
        """Grade ``answer`` (a function, numbers or a model, as the task says)."""
        try:
            verdict = self.grader(answer)
        except NotAnswered:
            return Result(self.name, False, "Not answered yet: replace the placeholders (... or "
                          f"raise NotImplementedError) of the template with your {self.answer}.")
        except BadAnswer as err:
            return Result(self.name, False, str(err))
        return Result(self.name, verdict.passed, verdict.message, verdict.hint)

    def __str__(self) -> str:
        return f"{self.name}: {self.title} (lesson {self.lesson})\n\n{self.task}"

    def _repr_html_(self) -> str:
        from .._display import html

        return html.block(html.heading(f"Exercise {self.name}: {self.title}"),
                          html.paragraph(self.task),
                          html.paragraph(f"Check it with nl.exercises.check({self.name!r}, "
                                         f"{self.answer}).", muted=True))


# ---------------------------------------------------------------------- comparing answers
def numbers(answer, count: int, what: str) -> list[float]:
    """``answer`` as ``count`` floats; NotAnswered for a ``...``, BadAnswer for another form."""
    if answer is Ellipsis:
        raise NotAnswered
    values = None
    if hasattr(answer, "__len__") and not isinstance(answer, str | dict):
        values = list(answer.tolist() if hasattr(answer, "tolist") else answer)
    if values is None or len(values) != count:
        raise BadAnswer(f"{what} must be {count} numbers in a list or tuple; got "
                        f"{answer!r}.")
    if any(v is Ellipsis for v in values):
        raise NotAnswered
    bad = [v for v in values if isinstance(v, bool) or not isinstance(v, Real)]
    if bad:
        raise BadAnswer(f"{what} must hold numbers only; {bad[0]!r} is not a number.")
    return [float(v) for v in values]


def function(answer, what: str) -> Callable:
    if answer is Ellipsis:
        raise NotAnswered
    if not callable(answer):
        raise BadAnswer(f"{what} must be a function (def ...); got {type(answer).__name__}.")
    return answer


def call(fn: Callable, args: tuple, where: str):
    """``fn(*args)``; a NotImplementedError means "not answered", other errors are reported."""
    try:
        return fn(*args)
    except NotImplementedError:
        raise NotAnswered from None
    except Exception as err:  # the student's code: report any error as feedback
        raise BadAnswer(f"Your function raised {type(err).__name__}: {err} ({where}).") from None


def first_wrong_case(fn: Callable, cases, truth: Callable, describe: Callable):
    """The first case (a tuple of arguments) where the student's ``fn`` and the engine's
    ``truth`` differ, as ``(where, got, want, case)``; None when they agree on all cases.
    ``describe(*case)`` names the case ("z = 2")."""
    for case in cases:
        where = describe(*case)
        got = float(call(fn, case, f"for {where}"))
        want = truth(*case)
        if not close(got, want):
            return where, got, want, case
    return None


def close(got: float, want: float, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    return math.isfinite(got) and abs(got - want) <= atol + rtol * abs(want)


def how_wrong(got: float, want: float) -> str:
    """Which way the answer is off, without saying the right value."""
    if not math.isfinite(got):
        return f"is {got}, not a finite number"
    if want != 0 and close(-got, want, 1e-3):
        return "has the right size but the wrong sign"
    if want == 0:
        return "should be exactly zero"
    return "is too large" if got > want else "is too small"


def first_difference(got: Sequence[float], want: Sequence[float], labels: Sequence[str],
                     hints: Sequence[str | None], rtol: float = 1e-6,
                     atol: float = 1e-9) -> Verdict | None:
    """The first entry where ``got`` and ``want`` differ, as a failed Verdict (None if all
    agree). ``labels`` name the entries ("da1/dz1"), ``hints`` help with each."""
    for g, w, label, hint in zip(got, want, labels, hints, strict=True):
        if not close(g, w, rtol, atol):
            return Verdict(False, f"{label}: your {g:.6g} {how_wrong(g, w)}.", hint)
    return None
