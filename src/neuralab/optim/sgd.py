"""Stochastic gradient descent, with optional (Nesterov) momentum and weight decay."""

from __future__ import annotations

import numpy as np

from .._validation import check_bool, check_float
from .optimizer import Optimizer, check_weight_decay


class SGD(Optimizer):
    """Gradient descent: step against the gradient, optionally with momentum.

    For each parameter w with gradient ∇L(w), learning rate η, momentum μ and weight decay λ
    (PyTorch's rule, with dampening 0)::

        g = ∇L(w) + λ w
        v = μ v + g                  (v = g on the first step: v starts at 0)
        d = g + μ v   if nesterov    else   d = v
        w = w - η d

    With μ = 0 this is plain gradient descent, w = w - η g: batch, stochastic or mini-batch
    descent depending only on the data each gradient was computed from.

    Parameters
    ----------
    params : iterable of Tensor
    lr : float > 0
        η.
    momentum : float in [0, 1)
        μ: the velocity v averages past gradients, which speeds descent along consistent
        directions and damps oscillations.
    nesterov : bool
        Nesterov's momentum: look ahead along the velocity (needs momentum > 0).
    weight_decay : float >= 0, or one per parameter
        λ: L2 regularisation (λ/2)‖w‖² added to the loss; a sequence gives each parameter its
        own λ (0 exempts it, e.g. the biases).
    """

    hyperparameter_names = ("lr", "momentum", "nesterov", "weight_decay")

    def __init__(self, params, lr: float, momentum: float = 0.0, nesterov: bool = False,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        self.momentum = check_float(momentum, "momentum", "SGD", 0.0, 1.0, high_open=True)
        self.nesterov = check_bool(nesterov, "nesterov", "SGD")
        self.weight_decay = check_weight_decay(weight_decay, "SGD", len(self.params))
        if self.nesterov and self.momentum == 0:
            raise ValueError(
                "The 'nesterov' parameter of SGD needs momentum > 0: Nesterov's rule looks ahead "
                "along the velocity. Set momentum (e.g. 0.9) or nesterov=False."
            )
        self._allocate_state()
        self._rate = (None, None)  # (η, η as a 0-d array), see _update

    def _state_names(self, hyperparameters: dict) -> tuple[str, ...]:
        return ("momentum_buffer",) if hyperparameters["momentum"] else ()

    def _update(self, w, g, slab, lr) -> None:
        mu, d = self.momentum, g
        if mu:
            v = slab.state["momentum_buffer"]
            v *= mu
            v += g  # v = μ v + g
            d = v
            if self.nesterov:
                d = np.multiply(v, mu, out=slab.scratch)
                d += g  # d = g + μ v
        # w = w - η d, with η as a 0-d array of w's dtype: NumPy multiplies by it without
        # converting a Python float at every call (about 2,000 instructions on small layers)
        if self._rate[0] != lr:
            self._rate = (lr, np.array(lr, w.dtype))
        w -= np.multiply(d, self._rate[1], out=slab.scratch)
