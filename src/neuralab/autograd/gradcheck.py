"""Check autograd against finite differences: the test every differentiable op must pass."""

from __future__ import annotations

import numpy as np

from .._config import no_grad
from .tensor import Tensor


class GradcheckError(AssertionError):
    """Autograd and finite differences disagree; the message names the input and the index."""


def _as_float64_leaf(value, check: bool):
    """A float64 copy of a floating input (a fresh leaf), or the value unchanged."""
    data = value.data if isinstance(value, Tensor) else value
    if isinstance(data, np.ndarray) and data.dtype.kind == "f":
        return Tensor(data.astype(np.float64), requires_grad=check)
    return value


def _is_float(value) -> bool:
    data = value.data if isinstance(value, Tensor) else value
    return isinstance(data, np.ndarray) and data.dtype.kind == "f"


def gradcheck(fn, *inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              seed: int = 0) -> bool:
    """Compare the gradients autograd computes for ``fn(*inputs)`` with central differences.

    Every floating input is copied to float64. The inputs that are tensors with
    ``requires_grad=True`` are checked (all floating inputs if none is marked). A non-scalar
    output is reduced to a scalar with fixed random weights v (seeded), L = Σ v ⊙ fn(...), so
    every output element takes part. For each checked element x_i,

        ∂L/∂x_i ≈ (L(x_i + eps) - L(x_i - eps)) / (2 eps)

    and the check passes when |autograd - numeric| <= atol + rtol · |numeric| everywhere.

    Parameters
    ----------
    fn : callable
        Takes ``*inputs`` and returns a Tensor.
    *inputs : Tensor, ndarray or other values
        Passed to ``fn`` (non-floating ones unchanged).
    eps : float
        The finite-difference step.
    atol, rtol : float
        The absolute and relative tolerances of the comparison.
    seed : int
        Seed of the weights v that reduce a non-scalar output.

    Returns
    -------
    True

    Raises
    ------
    GradcheckError
        At the first element that fails, naming the input, the index and both values.
    """
    marked = [isinstance(v, Tensor) and v.requires_grad for v in inputs]
    check = marked if any(marked) else [_is_float(v) for v in inputs]
    if not any(check):
        raise ValueError("gradcheck needs at least one floating-point input to differentiate.")
    leaves = [_as_float64_leaf(v, c) for v, c in zip(inputs, check, strict=True)]

    out = fn(*leaves)
    if not isinstance(out, Tensor):
        raise TypeError(f"gradcheck: fn must return a Tensor, got {type(out).__name__}.")
    if out.data.size == 1:
        weights = np.ones(out.shape)
    else:
        weights = np.random.default_rng(seed).standard_normal(out.shape)

    def project(result: Tensor) -> float:
        return float(np.sum(result.data * weights))

    (out * weights).sum().backward()

    for position, (leaf, checked) in enumerate(zip(leaves, check, strict=True)):
        if not checked:
            continue
        analytic = leaf.grad if leaf.grad is not None else np.zeros_like(leaf.data)
        for index in np.ndindex(leaf.shape):
            original = leaf.data[index]
            with no_grad():
                leaf.data[index] = original + eps
                upper = project(fn(*leaves))
                leaf.data[index] = original - eps
                lower = project(fn(*leaves))
            leaf.data[index] = original
            numeric = (upper - lower) / (2 * eps)
            if not abs(analytic[index] - numeric) <= atol + rtol * abs(numeric):
                raise GradcheckError(
                    f"gradcheck failed for input {position} (shape {leaf.shape}) at index "
                    f"{index}: autograd gives {analytic[index]:.10g}, finite differences give "
                    f"{numeric:.10g}."
                )
    return True
