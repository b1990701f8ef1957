"""Shared test helper for nn: gradient-check a module's forward in its input and parameters."""

from __future__ import annotations

import pytest

import neuralab as nl


def _owner(module, dotted: str):
    """The sub-module that holds the parameter called ``dotted`` and the attribute name."""
    *path, attribute = dotted.split(".")
    for name in path:
        module = getattr(module, name)
    return module, attribute


def gradcheck_module(module, x, head=lambda out: out) -> bool:
    """``nl.gradcheck`` of ``head(module(x))`` with respect to x and every parameter.

    gradcheck perturbs fresh float64 leaves, so the parameters are swapped for those leaves
    for the duration of each call (as ``torch.func.functional_call`` does) and put back after.
    Build the module in float64 (``nl.config(dtype="float64")``).
    """
    names = [name for name, _ in module.named_parameters()]
    slots = [_owner(module, name) for name in names]
    originals = [getattr(owner, attribute) for owner, attribute in slots]

    def fn(inputs, *params):
        for (owner, attribute), leaf in zip(slots, params, strict=True):
            object.__setattr__(owner, attribute, leaf)
        return head(module(inputs))

    leaves = [nl.tensor(p.data, requires_grad=True, dtype="float64") for p in originals]
    try:
        return nl.gradcheck(fn, nl.tensor(x, requires_grad=True, dtype="float64"), *leaves)
    finally:
        for (owner, attribute), param in zip(slots, originals, strict=True):
            object.__setattr__(owner, attribute, param)


@pytest.fixture
def check_module_gradients():
    return gradcheck_module
