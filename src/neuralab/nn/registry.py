"""Architecture as data: rebuild a module from ``{"type": name, "config": {...}}``.

Every built-in module describes itself with ``module.to_config()``, a JSON-serialisable dict::

    {"type": "Linear", "config": {"in_features": 2, "out_features": 1, "bias": true, ...}}

and :func:`module_from_config` turns such a dict back into a fresh module with the same
architecture (its weights come separately, from a state dict). Loading never unpickles or imports
anything: the type name is looked up in this registry of known classes.

Custom modules take part in two steps: define ``get_config()`` (the constructor arguments as a
JSON-serialisable dict) and decorate the class with :func:`register_module`::

    @nn.register_module
    class Scale(nn.Module):
        def __init__(self, factor=2.0):
            super().__init__()
            self.factor = factor

        def forward(self, x):
            return x * self.factor

        def get_config(self):
            return {"factor": self.factor}

A module whose constructor does not take its config as keyword arguments overrides the
classmethod ``from_config(config)`` as well (``Sequential`` does: its config lists its children).
"""

from __future__ import annotations

from numbers import Integral

#: registered module classes by name
_REGISTRY: dict[str, type] = {}


def register_module(cls: type) -> type:
    """Class decorator: make ``cls`` rebuildable by :func:`module_from_config` under its name.

    Raises
    ------
    ValueError
        If another class is registered under the same name already.
    """
    name = cls.__name__
    known = _REGISTRY.get(name)
    if known is not None and known is not cls:
        raise ValueError(
            f"A module class named {name!r} is registered already ({known.__module__}.{name}). "
            "Give your class another name so that saved architectures stay unambiguous."
        )
    _REGISTRY[name] = cls
    return cls


def is_registered(cls: type) -> bool:
    """True if ``module_from_config`` would rebuild ``cls`` from its name."""
    return _REGISTRY.get(cls.__name__) is cls


def registered_names() -> list[str]:
    """The names of all module types :func:`module_from_config` can build, sorted."""
    return sorted(_REGISTRY)


def config_seed(seed) -> int | None:
    """The seed as a config records it: an int, or None (no seed, or a Generator, which cannot
    be saved as data)."""
    return int(seed) if isinstance(seed, Integral) and not isinstance(seed, bool) else None


def module_from_config(spec: dict):
    """Build a fresh module from ``{"type": class name, "config": constructor arguments}``.

    The inverse of ``Module.to_config()``: ``module_from_config(m.to_config())`` has the same
    architecture as ``m`` (with freshly initialised weights; load them with
    ``load_state_dict``). Nested modules (Sequential's layers) are rebuilt recursively.

    Raises
    ------
    TypeError
        If ``spec`` is not a dict with the keys "type" and "config", or the config does not fit
        the constructor.
    ValueError
        If the type is unknown; the message lists the known types.
    """
    if not isinstance(spec, dict) or set(spec) != {"type", "config"}:
        raise TypeError(
            'A module config must be a dict with exactly the keys "type" and "config", as '
            f"returned by module.to_config(). Got {spec!r} instead."
        )
    name, config = spec["type"], spec["config"]
    if name not in _REGISTRY:
        raise ValueError(
            f"Unknown module type {name!r}. Known types: {', '.join(registered_names())}. "
            "Custom modules must be decorated with @nn.register_module (and imported) first."
        )
    if not isinstance(config, dict):
        raise TypeError(f"The config of a {name} must be a dict. Got {config!r} instead.")
    try:
        return _REGISTRY[name].from_config(config)
    except TypeError as err:
        raise TypeError(f"Cannot build a {name} from the config {config!r}: {err}") from err
