"""Gradient clipping: keep one bad batch from throwing the weights far away.

Exploding gradients make a single step so large that training diverges. Clipping bounds the
step while keeping its direction (by norm) or bounds each component (by value). Call it
between ``loss.backward()`` and ``optimizer.step()``.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import check_float
from ..autograd.tensor import Tensor


def _grads(params) -> list[np.ndarray]:
    """The existing gradients of ``params`` (a tensor or an iterable of tensors)."""
    params = [params] if isinstance(params, Tensor) else list(params)
    return [param.grad for param in params if param.grad is not None]


def grad_norm(params) -> float:
    """The global L2 norm of the gradients, ‖g‖₂ = sqrt(Σ_i g_i²) over all parameters.

    Parameters without a gradient are skipped; ``params`` is a list of tensors (no checks: the
    training loop calls this after every update, where a few microseconds count).
    """
    total = 0.0
    for param in params:
        grad = param.grad
        if grad is not None:
            total += float(np.vdot(grad, grad))
    return math.sqrt(total)


def clip_grad_norm_(params, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False) -> float:
    """Scale the gradients, in place, so that their total norm is at most ``max_norm``.

    All gradients are seen as one long vector g with the p-norm (p = ``norm_type``)::

        ‖g‖_p = (Σ_i |g_i|^p)^(1/p)         (max_i |g_i| for p = inf)

    If ‖g‖ > max_norm every gradient is multiplied by max_norm / (‖g‖ + 1e-6): the step keeps
    its direction but its length is capped.

    Parameters
    ----------
    params : Tensor or iterable of Tensor
        Usually ``model.parameters()``; those without a gradient are ignored.
    max_norm : float > 0
    norm_type : float > 0 or inf
    error_if_nonfinite : bool
        Raise if the norm is NaN or infinite (instead of scaling by NaN or 0).

    Returns
    -------
    float
        The total norm before clipping (useful to log: spikes show exploding gradients).
    """
    max_norm = check_float(max_norm, "max_norm", "clip_grad_norm_", 0.0, low_open=True)
    norm_type = check_float(norm_type, "norm_type", "clip_grad_norm_", 0.0, low_open=True)
    grads = _grads(params)
    if not grads:
        return 0.0
    if norm_type == math.inf:
        total = max(float(np.max(np.abs(g))) if g.size else 0.0 for g in grads)
    elif norm_type == 2.0:
        total = math.sqrt(sum(float(np.vdot(g, g)) for g in grads))
    else:
        total = sum(float(np.sum(np.abs(g) ** norm_type)) for g in grads) ** (1.0 / norm_type)
    if not math.isfinite(total):
        if error_if_nonfinite:
            raise RuntimeError(
                f"The total {norm_type:g}-norm of the gradients is {total}: some gradient is NaN "
                "or infinite, so clipping cannot rescale it. Lower the learning rate, check the "
                "inputs for NaN, or clip earlier; pass error_if_nonfinite=False to go on anyway."
            )
    elif total > max_norm:
        scale = max_norm / (total + 1e-6)
        for g in grads:
            g *= scale
    return total


def clip_grad_value_(params, clip_value: float) -> None:
    """Clip every gradient component, in place, to [-clip_value, clip_value].

    Parameters
    ----------
    params : Tensor or iterable of Tensor
        Those without a gradient are ignored.
    clip_value : float > 0
    """
    clip_value = check_float(clip_value, "clip_value", "clip_grad_value_", 0.0, low_open=True)
    for g in _grads(params):
        np.clip(g, -clip_value, clip_value, out=g)
