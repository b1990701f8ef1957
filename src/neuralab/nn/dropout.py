"""Dropout: randomly silence units during training so that none can rely on another."""

from __future__ import annotations

import numpy as np

from .._config import STATE, get_rng
from .._validation import check_float
from ..autograd.tensor import Tensor
from .module import Module
from .registry import register_module


@register_module
class Dropout(Module):
    """Inverted dropout: in training, y = x ⊙ m / (1 - p) with m_i ~ Bernoulli(1 - p).

    Each element is zeroed with probability p and the survivors are scaled by 1 / (1 - p), so
    that E[y] = x and nothing needs rescaling at evaluation time, where y = x (``eval()``).
    The gradient is the same mask: dL/dx = dL/dy ⊙ m / (1 - p).

    Parameters
    ----------
    p : float in [0, 1)
        Probability of dropping each element.
    seed, rng : int or numpy.random.Generator, optional
        Where the masks come from (same seed, same masks); by default neuralab's default
        generator as the calling thread sees it at each call (see ``nl.manual_seed`` and
        ``nl.config``), whose state fit's checkpoints save.
    """

    def __init__(self, p: float = 0.5, seed=None, rng=None) -> None:
        super().__init__()
        self.p = check_float(p, "p", "Dropout", 0.0, 1.0, high_open=True)
        self._rng = get_rng(seed, rng) if seed is not None or rng is not None else None

    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        rng = STATE.rng if self._rng is None else self._rng
        dtype = x.dtype if x.dtype.kind == "f" else STATE.default_dtype
        keep = rng.random(x.shape, dtype=dtype) >= self.p
        return x * Tensor(np.multiply(keep, 1.0 / (1.0 - self.p), dtype=dtype))

    def get_config(self) -> dict:
        return {"p": self.p}

    def extra_repr(self) -> str:
        return f"p={self.p}"
