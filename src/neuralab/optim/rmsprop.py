"""RMSprop: divide each step by a running root-mean-square of the gradient."""

from __future__ import annotations

import numpy as np

from .._validation import check_float
from .optimizer import Optimizer, check_weight_decay


class RMSprop(Optimizer):
    """RMSprop (Hinton, 2012), PyTorch's rule (not centered).

    For each parameter w, with learning rate η, smoothing α, eps ε, momentum μ and weight
    decay λ::

        g = ∇L(w) + λ w
        s = α s + (1 - α) g²              running mean of g², s starts at 0
        d = g / (√s + ε)
        b = μ b + d;  w = w - η b         if μ > 0 (b starts at 0)
        w = w - η d                       otherwise

    Weights with consistently large gradients take smaller steps, and rarely updated ones
    larger steps.

    Parameters
    ----------
    params : iterable of Tensor
    lr : float > 0
        η.
    alpha : float in [0, 1)
        α, the decay rate of the running mean of g².
    eps : float >= 0
        ε, keeps the division finite.
    momentum : float in [0, 1)
        μ.
    weight_decay : float >= 0, or one per parameter
        λ: L2 regularisation, added to the gradient as λ w; a sequence gives each parameter
        its own λ (0 exempts it, e.g. the biases).
    """

    hyperparameter_names = ("lr", "alpha", "eps", "momentum", "weight_decay")

    def __init__(self, params, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 momentum: float = 0.0, weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        self.alpha = check_float(alpha, "alpha", "RMSprop", 0.0, 1.0, high_open=True)
        self.eps = check_float(eps, "eps", "RMSprop", 0.0)
        self.momentum = check_float(momentum, "momentum", "RMSprop", 0.0, 1.0, high_open=True)
        self.weight_decay = check_weight_decay(weight_decay, "RMSprop", len(self.params))
        self._allocate_state()

    def _state_names(self, hyperparameters: dict) -> tuple[str, ...]:
        if hyperparameters["momentum"]:
            return ("square_avg", "momentum_buffer")
        return ("square_avg",)

    def _update(self, w, g, slab, lr) -> None:
        alpha, mu, scratch = self.alpha, self.momentum, slab.scratch
        s = slab.state["square_avg"]
        s *= alpha
        np.multiply(g, g, out=scratch)
        scratch *= 1 - alpha
        s += scratch  # s = α s + (1 - α) g²
        d = np.sqrt(s, out=scratch)
        d += self.eps
        d = np.divide(g, d, out=scratch)  # d = g / (√s + ε)
        if mu:
            b = slab.state["momentum_buffer"]
            b *= mu
            b += d  # b = μ b + d
            d = np.multiply(b, lr, out=scratch)
        else:
            d *= lr
        w -= d  # w = w - η b, or w - η d
