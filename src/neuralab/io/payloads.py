"""What a model file can carry besides a network: the hook through which other layers plug in.

A model file always holds one network (its tensors and its architecture). Objects that wrap a
network -- a fitted estimator, a :class:`~neuralab.Predictor` -- add one JSON entry to the
file's metadata, under a key of their own ("estimator", "preprocessing"). ``io`` knows none of
them; each kind plugs in from its own package, on both sides:

* **saving**: the object has a method ``_to_model_file()`` returning
  ``(key, json_text, network)``;
* **loading**: the package declares an entry point in the group ``neuralab.model_files``
  (``pyproject.toml``) named after its key, pointing at a function
  ``from_model_file(text, build, path)`` that builds the network by calling ``build()`` (for
  example in the dtype its JSON states) and returns the object.

So the persistence layer never imports the layers above it, and a file's kind is known from
its metadata alone, without importing the estimators (and scikit-learn) to read a plain model.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib.metadata import entry_points

from .files import ModelFileError

#: the entry-point group of the loaders: name = metadata key, value = "module:function"
GROUP = "neuralab.model_files"

#: what a loader does: ``from_model_file(text, build, path) -> object``
Loader = Callable[[str, Callable[[], object], object], object]


@functools.cache
def _declared() -> dict:
    """metadata key -> entry point, from the installed packages (read once per process)."""
    return {point.name: point for point in entry_points(group=GROUP)}


def payload_keys() -> tuple[str, ...]:
    """The metadata keys that installed packages load (``"estimator"``, ``"preprocessing"``)."""
    return tuple(_declared())


def payload(model) -> tuple[str, str, object] | None:
    """``(key, json_text, network)`` for an object that saves itself, None for any other."""
    to_model_file = getattr(model, "_to_model_file", None)
    return None if to_model_file is None else to_model_file()


def loader(key: str, path) -> Loader:
    """The function that restores what was saved under the metadata ``key``.

    Raises
    ------
    ModelFileError
        If no installed package declares a loader for ``key`` (neuralab installed without its
        package metadata, e.g. run from a source tree that was never ``pip install``-ed).
    """
    point = _declared().get(key)
    if point is None:
        raise ModelFileError(
            f"{str(path)!r} holds a saved {key!r}, but no installed package loads it (no "
            f"{GROUP!r} entry point named {key!r}). Install neuralab with pip "
            "(pip install -e . in a source tree) so that its entry points are registered."
        )
    return point.load()
