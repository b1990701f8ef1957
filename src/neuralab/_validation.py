"""Argument checks with one message format: what, where, expected, received.

    The 'lr' parameter of SGD must be a float > 0. Got -1 instead.

Layers and optimizers call these in their constructors, so that a bad setting fails at once with
a message naming the parameter, the class, the allowed values and the value given.
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


def check_float(value, name: str, owner: str, low=None, high=None, *,
                low_open: bool = False, high_open: bool = False) -> float:
    """``value`` as a float in the given range, or a ValueError/TypeError in the house format.

    Integers are accepted (``lr=1``); booleans, NaN and non-numbers are not.
    """
    expected = "a float" if low is None and high is None else (
        "a float " + _interval(low, high, low_open, high_open))
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(_message(name, owner, expected, value))
    number = float(value)
    below = low is not None and (number <= low if low_open else number < low)
    above = high is not None and (number >= high if high_open else number > high)
    if math.isnan(number) or below or above:
        raise ValueError(_message(name, owner, expected, value))
    return number


def check_int(value, name: str, owner: str, low: int | None = 1) -> int:
    """``value`` as an int >= ``low`` (any int if ``low`` is None; booleans refused)."""
    expected = "an int" if low is None else f"an int >= {low}"
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(_message(name, owner, expected, value))
    if low is not None and value < low:
        raise ValueError(_message(name, owner, expected, value))
    return int(value)


def check_bool(value, name: str, owner: str) -> bool:
    """``value`` if it is a bool (numpy's included)."""
    if not isinstance(value, bool) and type(value).__name__ != "bool_":
        raise TypeError(_message(name, owner, "a bool", value))
    return bool(value)


def check_option(value, name: str, owner: str, options) -> str:
    """``value`` if it is one of ``options`` (spelled exactly), else a ValueError listing them
    and, for a string, the closest one."""
    if value not in options:
        allowed = ", ".join(repr(option) for option in options)
        message = _message(name, owner, f"one of {allowed}", value)
        words = [option for option in options if isinstance(option, str)]
        close = (difflib.get_close_matches(value, words, n=1, cutoff=CLOSE)
                 if isinstance(value, str) else [])
        raise ValueError(message + (f" Did you mean {close[0]!r}?" if close else ""))
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
