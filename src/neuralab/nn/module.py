"""Module and Parameter: the base of every layer, loss and network.

A :class:`Module` holds state and a ``forward`` method. Assigning attributes registers them:

* a :class:`Parameter` (a learnable tensor) becomes a parameter: optimizers update it;
* a Module becomes a sub-module: its parameters are part of the parent's;
* ``register_buffer(name, array)`` stores non-learnable state (BatchNorm's running mean) that is
  saved with the weights but never trained.

An optional parameter or sub-module is set to ``None`` and stays registered under its name.
Registered objects live as ordinary attributes, so ``layer.weight`` costs no more than any
attribute lookup during training.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

import numpy as np

from .._config import FLOAT_DTYPES, STATE
from ..autograd.tensor import Tensor, _as_array
from .registry import is_registered

_PARAMETER, _MODULE, _BUFFER = "parameter", "module", "buffer"


class Parameter(Tensor):
    """A tensor that is a learnable parameter of a module (``requires_grad=True``).

    Parameters
    ----------
    data : ndarray, Tensor, sequence or number
        The initial values. A float32/float64 ndarray (or Tensor) keeps its dtype and is used as
        is, without a copy; anything else is converted to the default float dtype (float32).
    name : str, optional
        A label for graphs and traces.
    """

    __slots__ = ()

    def __init__(self, data, name: str | None = None) -> None:
        if isinstance(data, Tensor):
            data = data.data
        if not (isinstance(data, np.ndarray) and data.dtype in FLOAT_DTYPES):
            data = _as_array(data)
            if data.dtype not in FLOAT_DTYPES:
                data = data.astype(STATE.default_dtype)
        super().__init__(data, requires_grad=True, name=name)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class LoadResult(NamedTuple):
    """What ``load_state_dict(..., strict=False)`` skipped."""

    missing_keys: list
    unexpected_keys: list


def _first_of_each(named: Iterator[tuple[str, object]]) -> Iterator[tuple[str, object]]:
    """The (name, object) pairs whose object was not seen before: shared objects once."""
    seen: set[int] = set()
    for name, obj in named:
        if id(obj) not in seen:
            seen.add(id(obj))
            yield name, obj


@contextmanager
def _switched(root: Module, training: bool) -> Iterator[Module]:
    """The body of ``Module.mode``: record each module's flag, switch the tree, restore."""
    previous = [(module, module.training) for module in root.modules()]
    root.train(training)
    try:
        yield root
    finally:
        for module, flag in previous:
            object.__setattr__(module, "training", flag)


def _as_input(value):
    """A forward input as a tensor (``nl.tensor`` dtype rules, no copy); None passes through."""
    if isinstance(value, Tensor) or value is None:
        return value
    if type(value) is np.ndarray and value.dtype is STATE.default_dtype:
        return Tensor(value)  # the usual batch: already what _as_array would return
    return Tensor(_as_array(value))


class Module:
    """Base class of layers, losses and networks.

    Subclasses call ``super().__init__()`` first, assign their parameters and sub-modules as
    attributes, and define ``forward``. Calling the module runs ``forward``; numpy arrays, lists
    and numbers passed positionally are converted to tensors first (float32 by default).

    To save and rebuild a custom module's architecture, define ``get_config`` and decorate the
    class with :func:`neuralab.nn.register_module` (see :mod:`neuralab.nn.registry`).

    Attributes
    ----------
    training : bool
        True in training mode (the default); switched by ``train()``/``eval()`` (or for a
        ``with`` block by ``evaluating()``/``mode()``). Dropout and
        BatchNorm1d behave differently in the two modes.
    """

    def __init__(self) -> None:
        # name -> "parameter" | "module" | "buffer", in registration order
        object.__setattr__(self, "_kinds", {})
        object.__setattr__(self, "training", True)

    # ------------------------------------------------------------------ registration
    def __setattr__(self, name: str, value) -> None:
        try:
            kinds = self._kinds
        except AttributeError:
            raise RuntimeError(
                f"{type(self).__name__}.__init__ must call super().__init__() before assigning "
                "attributes."
            ) from None
        kind = kinds.get(name)
        if isinstance(value, Parameter):
            new_kind = _PARAMETER
        elif isinstance(value, Module):
            new_kind = _MODULE
        elif kind is None or value is None or (kind == _BUFFER and isinstance(value, np.ndarray)):
            new_kind = kind  # a plain attribute, or a registered name keeping its kind
        else:
            expected = {_PARAMETER: "a Parameter", _MODULE: "a Module",
                        _BUFFER: "a numpy array"}[kind]
            raise TypeError(
                f"Cannot assign a {type(value).__name__} to {name!r} of {type(self).__name__}: it "
                f"is registered as a {kind}, so it takes {expected} or None. Wrap a learnable "
                "tensor with nn.Parameter(...)."
            )
        if new_kind != kind:
            kinds.pop(name, None)
            kinds[name] = new_kind
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        self._kinds.pop(name, None)
        object.__delattr__(self, name)

    def register_buffer(self, name: str, array) -> None:
        """Store ``array`` (an ndarray, or None) as non-learnable state saved in the state dict."""
        if not isinstance(name, str) or not name or "." in name:
            raise ValueError(
                f"A buffer name must be a non-empty string without dots. Got {name!r} instead."
            )
        if array is not None and not isinstance(array, np.ndarray):
            raise TypeError(
                f"register_buffer({name!r}, ...) needs a numpy array or None. "
                f"Got {type(array).__name__} instead."
            )
        if self._kinds.get(name, _BUFFER) != _BUFFER or (
                name not in self._kinds and hasattr(self, name)):
            raise ValueError(f"{type(self).__name__} already has an attribute {name!r}.")
        self._kinds[name] = _BUFFER
        object.__setattr__(self, name, array)

    def _registered(self, kind: str) -> Iterator[tuple[str, object]]:
        """(name, value) of this module's own registered objects of one kind, None excluded."""
        for name, registered_kind in self._kinds.items():
            value = getattr(self, name)
            if registered_kind == kind and value is not None:
                yield name, value

    # ------------------------------------------------------------------ traversal
    def _walk(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """(dotted name, module) for this module and every descendant, depth first."""
        yield prefix, self
        for name, child in self._registered(_MODULE):
            yield from child._walk(f"{prefix}.{name}" if prefix else name)

    def named_modules(self) -> Iterator[tuple[str, Module]]:
        """(dotted name, module) for this module ("") and all descendants, each once."""
        return _first_of_each(self._walk())

    def modules(self) -> Iterator[Module]:
        """This module and all its descendants, each once."""
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """(name, sub-module) for the direct sub-modules."""
        yield from self._registered(_MODULE)

    def children(self) -> Iterator[Module]:
        """The direct sub-modules."""
        for _, child in self._registered(_MODULE):
            yield child

    def _named_arrays(self, kind: str) -> Iterator[tuple[str, object]]:
        """(dotted name, object) of every registered object of one kind in the tree."""
        for prefix, module in self._walk():
            for name, value in module._registered(kind):
                yield (f"{prefix}.{name}" if prefix else name), value

    def named_parameters(self) -> Iterator[tuple[str, Parameter]]:
        """(dotted name, parameter), e.g. ("0.weight", ...) in a Sequential; shared ones once."""
        return _first_of_each(self._named_arrays(_PARAMETER))

    def parameters(self) -> Iterator[Parameter]:
        """Every parameter of the tree, each once: what an optimizer takes."""
        for _, param in self.named_parameters():
            yield param

    def named_buffers(self) -> Iterator[tuple[str, np.ndarray]]:
        """(dotted name, array) of the buffers, e.g. ("1.running_mean", ...)."""
        yield from self._named_arrays(_BUFFER)

    def buffers(self) -> Iterator[np.ndarray]:
        """The buffers' arrays."""
        for _, array in self.named_buffers():
            yield array

    def num_parameters(self) -> int:
        """The number of learnable scalars (the sizes of all parameters, shared ones once)."""
        return sum(param.data.size for param in self.parameters())

    # ------------------------------------------------------------------ modes and gradients
    def train(self, mode: bool = True) -> Module:
        """Set training mode (``mode=True``) or evaluation mode on the whole tree; return self."""
        if not isinstance(mode, bool):
            raise TypeError(f"train(mode) takes a bool. Got {mode!r} instead.")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> Module:
        """Evaluation mode: Dropout is off, BatchNorm1d uses its running statistics."""
        return self.train(False)

    def mode(self, training: bool):
        """Switch the whole tree to training (True) or evaluation (False) mode for a ``with``
        block, then give every module back its own previous flag.

        Each sub-module's flag is restored separately, so a network whose Dropout was set to
        eval on its own keeps it that way; the flags come back also when the block raises.

        Examples
        --------
        >>> with model.mode(training=True):
        ...     out = model(X)          # Dropout on, BatchNorm1d on batch statistics
        """
        return _switched(self, training)

    def evaluating(self):
        """A ``with`` block in evaluation mode (``eval()``) that restores every sub-module's
        previous training flag on exit, also on an exception: ``mode(False)``.

        Examples
        --------
        >>> with model.evaluating(), nl.no_grad():
        ...     scores = model(X_test)
        """
        return _switched(self, False)

    def zero_grad(self) -> None:
        """Forget the accumulated gradients: set every parameter's ``grad`` to None."""
        for param in self.parameters():
            param.grad = None

    # ------------------------------------------------------------------ forward
    def forward(self, *inputs):
        raise NotImplementedError(f"{type(self).__name__} must define forward().")

    def __call__(self, *inputs, **kwargs):
        if len(inputs) == 1:  # the usual model(x): no list building on the hot path
            return self.forward(_as_input(inputs[0]), **kwargs)
        return self.forward(*[_as_input(value) for value in inputs], **kwargs)

    # ------------------------------------------------------------------ state
    def _state_arrays(self) -> dict[str, np.ndarray]:
        """name -> the live array (parameter data or buffer) for every entry of the state dict,
        module by module: each one's parameters, then its buffers."""
        arrays = {}
        for prefix, module in self._walk():
            dot = prefix + "." if prefix else ""
            for name, param in module._registered(_PARAMETER):
                arrays[dot + name] = param.data
            for name, buffer in module._registered(_BUFFER):
                arrays[dot + name] = buffer
        return arrays

    def state_dict(self) -> dict[str, np.ndarray]:
        """name -> a copy of every parameter's and buffer's values (e.g. "0.weight")."""
        return {name: array.copy() for name, array in self._state_arrays().items()}

    def load_state_dict(self, state: dict, strict: bool = True) -> LoadResult:
        """Copy the values of ``state`` (name -> array) into the parameters and buffers, in place.

        Nothing is changed unless every check passes. Values are cast to the parameters' dtypes.

        Parameters
        ----------
        state : dict
            As returned by ``state_dict()``.
        strict : bool
            Refuse missing and unexpected keys (the default); with False they are skipped and
            listed in the result. Shapes must match either way.

        Returns
        -------
        LoadResult
            ``(missing_keys, unexpected_keys)``.

        Raises
        ------
        ValueError
            On a shape mismatch (naming the key and both shapes), and with ``strict`` on
            missing or unexpected keys (listing them).
        """
        if not isinstance(state, dict):
            raise TypeError(
                f"load_state_dict needs a dict name -> array. Got {type(state).__name__} instead."
            )
        own = self._state_arrays()
        missing = [name for name in own if name not in state]
        unexpected = [name for name in state if name not in own]
        problems = [
            f"{name!r}: the state has shape {np.shape(state[name])}, the model {array.shape}"
            for name, array in own.items() if name in state and np.shape(state[name]) != array.shape
        ]
        if problems:
            raise ValueError(
                f"Cannot load the state into {type(self).__name__}: shape mismatch for "
                + "; ".join(problems) + ". Build the model with the architecture the state "
                "was saved from."
            )
        if strict and (missing or unexpected):
            raise ValueError(
                f"The state does not fit {type(self).__name__}: missing keys {missing}, "
                f"unexpected keys {unexpected}. Build the model with the architecture the state "
                "was saved from, or pass strict=False to load the keys that match."
            )
        for name, array in own.items():
            if name in state:
                np.copyto(array, np.asarray(state[name]), casting="same_kind")
        return LoadResult(missing, unexpected)

    # ------------------------------------------------------------------ architecture as data
    def get_config(self) -> dict:
        """The constructor arguments as a JSON-serialisable dict (see ``to_config``)."""
        raise NotImplementedError(
            f"{type(self).__name__} does not define get_config(). To save its architecture, "
            "return its constructor arguments as a JSON-serialisable dict from get_config() and "
            "decorate the class with @nn.register_module."
        )

    @classmethod
    def from_config(cls, config: dict) -> Module:
        """A new module from ``get_config()``'s dict; by default ``cls(**config)``."""
        return cls(**config)

    def to_config(self) -> dict:
        """``{"type": class name, "config": get_config()}``: the input of ``module_from_config``."""
        cls = type(self)
        if not is_registered(cls):
            raise TypeError(
                f"{cls.__name__} is not registered, so module_from_config could not rebuild it. "
                "Decorate the class with @nn.register_module."
            )
        return {"type": cls.__name__, "config": self.get_config()}

    # ------------------------------------------------------------------ display
    def extra_repr(self) -> str:
        """The settings shown between the parentheses of the repr (override in layers)."""
        return ""

    def _tree(self) -> list[str]:
        """The repr as lines: ``Name(settings`` then one indented line per child, then ``)``."""
        children = list(self.named_children())
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not children:
            return [head + ")"]
        lines = [head]
        for name, child in children:
            child_lines = child._tree()
            lines.append(f"  ({name}): {child_lines[0]}")
            lines.extend("  " + line for line in child_lines[1:])
        lines.append(")")
        return lines

    def __repr__(self) -> str:
        lines = self._tree()
        lines[0] += f"  # {self.num_parameters():,} parameters"
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """In a notebook: a table of the layers, their output shapes and parameter counts."""
        from .._display.module import module_html

        return module_html(self)
