"""An architecture's tensors, derived from its JSON alone, to check a file before building.

Building a model from a file's architecture allocates what the architecture asks for. A file
is hostile if it asks for more than it holds (a 182-byte file whose architecture is a
50000 x 50000 Linear would allocate 10 GB before its weights are found missing), so
:func:`check_architecture` first derives, from the JSON, every parameter and buffer that the
built model would have (name and shape) and compares them with the tensors the file's header
lists. Only an architecture whose tensors are all in the file, with their shapes, is built:
what loading allocates is then bounded by the file's real size.

The rules below cover neuralab's built-in modules. A module type registered by the user
(``nn.register_module``) is the user's own code: its tensors are not predicted (they are
checked by ``load_state_dict`` once it is built).
"""

from __future__ import annotations

import contextlib
from itertools import pairwise

from .files import ModelFileError, TensorInfo, is_count

#: deepest nesting of containers (Sequential inside Sequential ...) a file may use
MAX_DEPTH = 32
#: built-in module types without parameters or buffers
PARAMETER_FREE = ("Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softmax", "Step", "Identity",
                  "Dropout", "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "MSELoss",
                  "PoissonNLLLoss")


class _TooManyProblems(Exception):
    """Enough mismatches are known to report: stop walking the architecture."""


class _Expected:
    """Compares, as the walk finds them, the tensors an architecture will have with those the
    file holds (``held``: name -> shape). Memory stays bounded by the file: only matched names
    (a subset of the file's) and the first few problems are kept.

    ``open_prefixes`` are the places of user-registered modules, which decide for themselves.
    """

    #: problems collected before the walk stops
    LIMIT = 5

    def __init__(self, path, held: dict[str, tuple[int, ...]]) -> None:
        from ..nn import registered_names

        self.path, self.held = path, held
        self.registered = set(registered_names())
        self.matched: set[str] = set()
        self.missing: list[str] = []
        self.wrong: list[str] = []
        self.open_prefixes: list[str] = []

    def add(self, name: str, shape: tuple[int, ...]) -> None:
        """The built model will have tensor ``name`` of ``shape``: does the file hold it?"""
        if name not in self.held:
            self.missing.append(f"{name!r} of shape {shape}")
        elif self.held[name] != shape:
            self.wrong.append(f"{name!r} of shape {shape} (the file's has {self.held[name]})")
        else:
            self.matched.add(name)
        if len(self.missing) + len(self.wrong) >= self.LIMIT:
            raise _TooManyProblems

    def fail(self, where: str, reason: str) -> ModelFileError:
        place = f"layer {where.rstrip('.')!r}" if where else "the model"
        return ModelFileError(f"{str(self.path)!r} has an unreadable architecture: {place} "
                              f"{reason}.")

    def size(self, config: dict, key: str, where: str, owner: str) -> int:
        value = config.get(key)
        if not is_count(value) or value == 0:
            raise self.fail(where, f"is a {owner} whose {key!r} is {value!r}, not a positive "
                                   "integer")
        return value

    def flag(self, config: dict, key: str, default: bool, where: str, owner: str) -> bool:
        value = config.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(where, f"is a {owner} whose {key!r} is {value!r}, not true/false")
        return value


def _linear(expected: _Expected, config: dict, where: str) -> None:
    n_in = expected.size(config, "in_features", where, "Linear")
    n_out = expected.size(config, "out_features", where, "Linear")
    expected.add(where + "weight", (n_in, n_out))
    if expected.flag(config, "bias", True, where, "Linear"):
        expected.add(where + "bias", (n_out,))


def _batch_norm(expected: _Expected, config: dict, where: str) -> None:
    n = expected.size(config, "num_features", where, "BatchNorm1d")
    names = ["running_mean", "running_var"]
    if expected.flag(config, "affine", True, where, "BatchNorm1d"):
        names = ["weight", "bias", *names]
    for name in names:
        expected.add(where + name, (n,))


def _sequential(expected: _Expected, config: dict, where: str, depth: int) -> None:
    layers = config.get("layers")
    if not isinstance(layers, list):
        raise expected.fail(where, "is a Sequential without a list of 'layers'")
    for index, layer in enumerate(layers):
        _walk(expected, layer, f"{where}{index}.", depth + 1)


def _mlp(expected: _Expected, config: dict, where: str) -> None:
    """The layers ``nn.MLP`` builds: per hidden size Linear, [BatchNorm1d], activation,
    [Dropout]; then the last Linear and the optional output activation."""
    sizes = config.get("sizes")
    if not (isinstance(sizes, list) and len(sizes) >= 2
            and all(is_count(size) and size > 0 for size in sizes)):
        raise expected.fail(where, f"is an MLP whose 'sizes' are {sizes!r}, not a list of at "
                                   "least two positive integers")
    batch_norm = expected.flag(config, "batch_norm", False, where, "MLP")
    dropout = config.get("dropout", 0.0)
    if isinstance(dropout, bool) or not isinstance(dropout, int | float):
        raise expected.fail(where, f"is an MLP whose 'dropout' is {dropout!r}, not a number")
    index = 0
    for n_in, n_out in pairwise(sizes[:-1]):
        _linear(expected, {"in_features": n_in, "out_features": n_out}, f"{where}{index}.")
        index += 1
        if batch_norm:
            _batch_norm(expected, {"num_features": n_out}, f"{where}{index}.")
            index += 1
        index += 2 if dropout > 0 else 1  # the activation and the dropout hold no tensors
    _linear(expected, {"in_features": sizes[-2], "out_features": sizes[-1]},
            f"{where}{index}.")


def _walk(expected: _Expected, spec, where: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise expected.fail(where, f"is nested more than {MAX_DEPTH} containers deep")
    if not (isinstance(spec, dict) and set(spec) == {"type", "config"}
            and isinstance(spec["config"], dict)):
        raise expected.fail(where, 'is not a {"type": ..., "config": {...}} object')
    kind, config = spec["type"], spec["config"]
    if kind == "Linear":
        _linear(expected, config, where)
    elif kind == "BatchNorm1d":
        _batch_norm(expected, config, where)
    elif kind == "Sequential":
        _sequential(expected, config, where, depth)
    elif kind == "MLP":
        _mlp(expected, config, where)
    elif kind in PARAMETER_FREE:
        return
    elif isinstance(kind, str) and kind in expected.registered:
        expected.open_prefixes.append(where)
    else:
        raise expected.fail(where, f"has the unknown type {kind!r} (known types: "
                                   f"{', '.join(sorted(expected.registered))})")


def check_architecture(spec, tensors: dict[str, TensorInfo], path) -> None:
    """Raise a ModelFileError unless building ``spec`` gives exactly the tensors the file holds.

    ``tensors`` is the file's header (name -> TensorInfo). Nothing is allocated here beyond
    what the header itself takes; the walk stops at the fifth mismatch.
    """
    expected = _Expected(path, {name: info.shape for name, info in tensors.items()})
    with contextlib.suppress(_TooManyProblems):  # enough is known to report
        _walk(expected, spec, "", 0)
    problems = []
    if expected.missing:
        problems.append(f"it needs {', '.join(expected.missing)}, which the file does not hold")
    if expected.wrong:
        problems.append("it needs " + "; ".join(expected.wrong))
    if len(expected.missing) + len(expected.wrong) >= expected.LIMIT:
        problems.append("and perhaps more")
    elif not problems:
        unexpected = [name for name in expected.held if name not in expected.matched
                      and not name.startswith(tuple(expected.open_prefixes))]
        if unexpected:
            shown = ", ".join(map(repr, unexpected[:5]))
            more = f" and {len(unexpected) - 5} more" if len(unexpected) > 5 else ""
            problems.append(f"the file holds tensors it has no place for: {shown}{more}")
    if problems:
        raise ModelFileError(
            f"{str(path)!r}: the architecture does not match the weights the file holds, so "
            "nothing was built: " + "; ".join(problems) + "."
        )
