"""One registry per vocabulary: the names of activations, losses, optimizers and datasets.

Each vocabulary is defined once, where its entries live (``functional.ACTIVATIONS``,
``nn.LOSSES``, ``optim.OPTIMIZERS``, ``data.DATASETS``), and every entry point -- the command
line's choices and help, sweep configs, ``ExperimentConfig``, the estimators, the playground --
reads its names, aliases and labels from there. An unknown name fails everywhere with the same
message, listing the valid names and the closest one::

    Unknown activation 'rleu'. Choose one of: identity, leaky_relu, ... Did you mean 'relu'?
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
#: how alike a spelling must be to be suggested (difflib's ratio: "tahn" and "tanh" 0.75)
CLOSE = 0.7


@dataclass(frozen=True)
class Entry(Generic[T]):
    """One name of a vocabulary: what it stands for, how a page shows it, its other spellings."""

    name: str
    value: T
    label: str
    aliases: tuple[str, ...] = ()
    #: a group within the vocabulary, for entry points that offer part of it ("truth table")
    group: str = ""


def unknown_name(what: str, name, spellings: Iterable[str], extra: str = "") -> str:
    """The one message for a name that is not in a vocabulary: every valid spelling, sorted,
    then the closest one if a spelling is close ("tahn" -> "tanh")."""
    spellings = sorted(spellings)
    message = f"Unknown {what} {name!r}. Choose one of: {', '.join(spellings)}{extra}."
    if isinstance(name, str):
        close = difflib.get_close_matches(_normal(name), spellings, n=1, cutoff=CLOSE)
        if close:
            message += f" Did you mean {close[0]!r}?"
    return message


def _normal(name: str) -> str:
    return name.lower().replace("-", "_")


class Vocabulary(Generic[T]):
    """The names of one kind of thing, mapped to what they stand for.

    Lookups ignore case and treat "-" as "_" ("Leaky-ReLU" is "leaky_relu"); aliases stand for
    their entry ("logistic" is "sigmoid"). Iterating gives the entries' own names, in order.

    Parameters
    ----------
    what : str
        The kind of name, for messages: "activation", "loss", ...
    entries : iterable of Entry
    hint : str, optional
        Appended to the list of names in messages: ", or a path to a .csv file".
    """

    def __init__(self, what: str, entries: Iterable[Entry[T]], hint: str = "") -> None:
        self.what = what
        self.hint = hint
        self._entries = {entry.name: entry for entry in entries}
        self._keys = {}
        for entry in self._entries.values():
            for spelling in (entry.name, *entry.aliases):
                if spelling in self._keys:
                    raise ValueError(f"The {what} {spelling!r} is defined twice.")
                self._keys[spelling] = entry.name

    @property
    def names(self) -> tuple[str, ...]:
        """The entries' own names, in order."""
        return tuple(self._entries)

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every name that a lookup accepts: the names, then the aliases."""
        return tuple(self._keys)

    def key(self, name, what: str | None = None) -> str:
        """The entry name that ``name`` stands for; a ValueError naming the valid ones if none.

        ``what`` names the setting in the message ("output activation") if not the vocabulary.
        """
        key = self._keys.get(_normal(name)) if isinstance(name, str) else None
        if key is None:
            raise ValueError(unknown_name(what or self.what, name, self._keys, self.hint))
        return key

    def spelling(self, name, what: str | None = None) -> str:
        """``name`` normalised (lower case, "-" as "_"), checked to be a spelling: "Leaky-ReLU"
        gives "leaky_relu", "logistic" stays "logistic" (``key`` gives "sigmoid")."""
        self.key(name, what)
        return _normal(name)

    def choose(self, *spellings: str) -> tuple[str, ...]:
        """``spellings``, each checked to be one of this vocabulary's: the part of it that one
        entry point offers (the estimators take scikit-learn's spellings, for example)."""
        for spelling in spellings:
            if spelling not in self._keys:
                raise ValueError(unknown_name(self.what, spelling, self._keys))
        return spellings

    def group(self, *groups: str) -> tuple[str, ...]:
        """The names of the entries in ``groups``, in order."""
        return tuple(name for name, entry in self._entries.items() if entry.group in groups)

    def label(self, name) -> str:
        """How a page or a table shows the entry: "Leaky ReLU"."""
        return self._entries[self.key(name)].label

    def labels(self, spellings: Iterable[str] | None = None) -> dict[str, str]:
        """``{spelling: label}`` for ``spellings`` (default: the names), for menus."""
        return {spelling: self.label(spelling) for spelling in spellings or self.names}

    def describe(self, spellings: Iterable[str] | None = None, sep: str = " | ") -> str:
        """The names (or ``spellings``) joined for a help text: "sgd | momentum | adam"."""
        return sep.join(spellings or self.names)

    def __getitem__(self, name) -> T:
        return self._entries[self.key(name)].value

    def get(self, name, default=None):
        """What ``name`` stands for, or ``default`` if it is not a spelling of this vocabulary."""
        key = self._keys.get(_normal(name)) if isinstance(name, str) else None
        return default if key is None else self._entries[key].value

    def __contains__(self, name) -> bool:
        return isinstance(name, str) and _normal(name) in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def items(self):
        return ((name, entry.value) for name, entry in self._entries.items())

    def values(self):
        return (entry.value for entry in self._entries.values())

    def __repr__(self) -> str:
        return f"Vocabulary({self.what!r}: {', '.join(self._keys)})"
