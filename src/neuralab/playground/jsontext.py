"""JSON from outside (the page's messages, a model file's metadata), parsed with bounded nesting.

Python's parser recurses once per nested array or object, so text like ``[[[[...]]]]`` 5,000
levels deep ends in a bare RecursionError; and a structure a few hundred levels deep parses
but trips whatever walks it next (``repr``, validation). :func:`loads` turns the first into a
ValueError and refuses the second, measuring the depth without recursion.
"""

from __future__ import annotations

import json

#: deepest nesting of arrays and objects accepted (the playground's messages need 4)
MAX_DEPTH = 16


class TooDeepError(ValueError):
    """JSON text nests arrays or objects deeper than :data:`MAX_DEPTH`."""


def depth(value) -> int:
    """How deeply arrays and objects nest in ``value`` (0 for a number or a string)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(
            item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def loads(text: str | bytes, what: str):
    """Parse JSON ``text`` (``what`` names it in messages) with at most :data:`MAX_DEPTH` levels.

    Raises
    ------
    TooDeepError
        If the text nests deeper than :data:`MAX_DEPTH`.
    ValueError
        If the text is not JSON.
    """
    too_deep = TooDeepError(f"{what} nests arrays or objects more than {MAX_DEPTH} levels deep; "
                          "this server takes at most that.")
    try:
        value = json.loads(text)
    except RecursionError:
        raise too_deep from None
    except json.JSONDecodeError as err:
        raise ValueError(f"{what} is not valid JSON ({err}).") from None
    if depth(value) > MAX_DEPTH:
        raise too_deep
    return value
