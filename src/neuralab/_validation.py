"""Argument checks with one message format: what, where, expected, received.

    The 'lr' parameter of SGD must be a float > 0. Got -1 instead.

The one validation mechanism of neuralab: layers and optimizers call these in their
constructors, the estimators in ``fit``, ``ExperimentConfig`` when it is made, and the command
line and sweep configs through ``ExperimentConfig``'s checks of each setting. A bad setting fails
at once, naming the parameter, its owner, the allowed values and the value given. The errors
are :class:`InvalidValue` (a ValueError) and :class:`InvalidType` (a TypeError), which keep
those parts, so that a sweep config can say the same in its own words ("[grid] lr = -1").
"""

from __future__ import annotations

import difflib
import math
from numbers import Integral, Real

from ._vocabulary import CLOSE, unknown_name


def _interval(low, high, low_open: bool, high_open: bool) -> str:
    """The allowed range in words: "> 0", ">= 1", "in [0, 1)"."""
    if high is None:
        return f"{'>' if low_open else '>='} {low:g}"
    if low is None:
        return f"{'<' if high_open else '<='} {high:g}"
    return f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"


def _message(name: str, owner: str, expected: str, value) -> str:
    return f"The {name!r} parameter of {owner} must be {expected}. Got {value!r} instead."


class _Invalid:
    """What was wrong with a setting: its ``name``, ``owner``, what was ``expected``, ``value``."""

    def __init__(self, name: str, owner: str, expected: str, value, note: str = "") -> None:
        super().__init__(_message(name, owner, expected, value) + note)
        self.name, self.owner, self.expected, self.value = name, owner, expected, value


class InvalidValue(_Invalid, ValueError):
    """A setting of the right type with a value that is not allowed."""


class InvalidType(_Invalid, TypeError):
    """A setting of the wrong type."""


def check_float(value, name: str, owner: str, low=None, high=None, *,
                low_open: bool = False, high_open: bool = False) -> float:
    """``value`` as a float in the given range, or a ValueError/TypeError in the house format.

    Integers are accepted (``lr=1``); booleans, NaN and non-numbers are not.
    """
    expected = "a float" if low is None and high is None else (
        "a float " + _interval(low, high, low_open, high_open))
    if isinstance(value, bool) or not isinstance(value, Real):
        raise InvalidType(name, owner, expected, value)
    number = float(value)
    below = low is not None and (number <= low if low_open else number < low)
    above = high is not None and (number >= high if high_open else number > high)
    if math.isnan(number) or below or above:
        raise InvalidValue(name, owner, expected, value)
    return number


def check_int(value, name: str, owner: str, low: int | None = 1) -> int:
    """``value`` as an int >= ``low`` (any int if ``low`` is None; booleans refused)."""
    expected = "an int" if low is None else f"an int >= {low}"
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise InvalidType(name, owner, expected, value)
    if low is not None and value < low:
        raise InvalidValue(name, owner, expected, value)
    return int(value)


def check_bool(value, name: str, owner: str) -> bool:
    """``value`` if it is a bool (numpy's included)."""
    if not isinstance(value, bool) and type(value).__name__ != "bool_":
        raise InvalidType(name, owner, "a bool", value)
    return bool(value)


def check_option(value, name: str, owner: str, options) -> str:
    """``value`` if it is one of ``options`` (spelled exactly), else a ValueError listing them
    and, for a string, the closest one."""
    if value not in options:
        allowed = ", ".join(repr(option) for option in options)
        words = [option for option in options if isinstance(option, str)]
        close = (difflib.get_close_matches(value, words, n=1, cutoff=CLOSE)
                 if isinstance(value, str) else [])
        raise InvalidValue(name, owner, f"one of {allowed}", value,
                           f" Did you mean {close[0]!r}?" if close else "")
    return value


def check_name(name, choices, what: str) -> str:
    """``name`` normalised (lower case, "-" as "_") if it is one of ``choices``, else a ValueError
    listing them: ``check_name("ReLU", ("relu", "tanh"), "activation") == "relu"``. (The
    vocabularies' own lookup is ``Vocabulary.key``; this is for short lists of options.)
    """
    key = name.lower().replace("-", "_") if isinstance(name, str) else name
    if key not in choices:
        raise ValueError(unknown_name(what, name, choices))
    return key


def check_spelling(value, name: str, owner: str, vocabulary) -> str:
    """``value`` normalised (lower case, "-" as "_") if it is a spelling of ``vocabulary`` (see
    ``neuralab._vocabulary``), else its ValueError: "Unknown activation 'swish'. Choose ..."."""
    if not isinstance(value, str):
        raise InvalidType(name, owner, f"the name of {_article(vocabulary.what)}", value)
    return vocabulary.spelling(value)


def _article(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def check_optional(check, value, name: str, owner: str, *args, **kwargs):
    """None, or ``value`` checked by ``check(value, name, owner, *args, **kwargs)``."""
    return None if value is None else check(value, name, owner, *args, **kwargs)


def check_hidden(sizes, name: str, owner: str) -> tuple[int, ...]:
    """Hidden layer sizes: an int >= 1 or a sequence of them, as a tuple (``()``: none)."""
    expected = "an int >= 1 or a sequence of ints >= 1"
    if isinstance(sizes, Integral) and not isinstance(sizes, bool):
        sizes = (sizes,)
    if isinstance(sizes, str) or not hasattr(sizes, "__iter__"):
        raise InvalidType(name, owner, expected, sizes)
    sizes = tuple(sizes)
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, Integral) or size < 1:
            raise InvalidValue(name, owner, expected, sizes)
    return tuple(int(size) for size in sizes)


def check_batch_size(value, name: str, owner: str, words=("full",)) -> int | str:
    """A batch size: one of ``words`` ("full": the whole data, batch gradient descent) or an
    int >= 1 (1: stochastic gradient descent)."""
    if value in words:
        return value
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        error = InvalidValue if isinstance(value, Integral | str) else InvalidType
        allowed = ", ".join(f'"{word}"' for word in words)
        raise error(name, owner, f"{allowed} or an int >= 1", value)
    return int(value)
