"""Adam: momentum and per-weight step sizes from running moments of the gradient."""

from __future__ import annotations

import math

import numpy as np

from .._validation import check_bool, check_float
from .optimizer import Optimizer, check_weight_decay


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015) with bias correction, PyTorch's rule.

    For each parameter w, at its t-th update (t = 1, 2, ...), with learning rate η, betas
    (β₁, β₂), eps ε and weight decay λ::

        g = ∇L(w) + λ w
        m = β₁ m + (1 - β₁) g              first moment (mean of g), m starts at 0
        v = β₂ v + (1 - β₂) g²             second moment (mean of g²), v starts at 0
        m̂ = m / (1 - β₁ᵗ)                  bias corrections: undo the pull towards 0
        v̂ = v / (1 - β₂ᵗ)
        w = w - η m̂ / (√v̂ + ε)

    Every weight moves by about η per step whatever its gradient's scale. The counter t is
    per parameter: a parameter skipped because its grad is None does not advance it.

    With ``eps_hat=True`` ε is added before the bias correction instead (the paper's ε̂ form,
    Kingma & Ba §2, which TensorFlow and scikit-learn's MLP use)::

        w = w - η_t m / (√v + ε),      η_t = η √(1 - β₂ᵗ) / (1 - β₁ᵗ)

    The two differ only for gradients of about ε or smaller.

    Parameters
    ----------
    params : iterable of Tensor
    lr : float > 0
        η.
    betas : (float, float), each in [0, 1)
        (β₁, β₂), the decay rates of the two moving averages.
    eps : float >= 0
        ε, keeps the division finite.
    weight_decay : float >= 0, or one per parameter
        λ: L2 regularisation added to the gradient as λ w (not AdamW's decoupled decay); a
        sequence gives each parameter its own λ (0 exempts it, e.g. the biases).
    eps_hat : bool
        Add ε to √v rather than to √v̂ (see above).
    """

    hyperparameter_names = ("lr", "betas", "eps", "weight_decay", "eps_hat")

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, eps_hat: bool = False) -> None:
        super().__init__(params, lr)
        if not isinstance(betas, tuple | list) or len(betas) != 2:
            raise TypeError(
                "The 'betas' parameter of Adam must be a pair of floats in [0, 1). "
                f"Got {betas!r} instead."
            )
        self.betas = tuple(
            check_float(beta, f"betas[{i}]", "Adam", 0.0, 1.0, high_open=True)
            for i, beta in enumerate(betas)
        )
        self.eps = check_float(eps, "eps", "Adam", 0.0)
        self.weight_decay = check_weight_decay(weight_decay, "Adam", len(self.params))
        self.eps_hat = check_bool(eps_hat, "eps_hat", "Adam")
        self.param_steps = [0] * len(self.params)
        self._allocate_state()

    def _state_names(self, hyperparameters: dict) -> tuple[str, ...]:
        return ("exp_avg", "exp_avg_sq")

    def _update(self, w, g, slab, lr) -> None:
        beta1, beta2 = self.betas
        t = self._advance(slab.index)
        m, v, scratch = slab.state["exp_avg"], slab.state["exp_avg_sq"], slab.scratch
        m *= beta1
        m += np.multiply(g, 1 - beta1, out=scratch)  # m = β₁ m + (1 - β₁) g
        v *= beta2
        np.multiply(g, g, out=scratch)
        scratch *= 1 - beta2
        v += scratch  # v = β₂ v + (1 - β₂) g²
        # w = w - η m̂ / (√v̂ + ε) = w - (η c₂ / (1 - β₁ᵗ)) m / (√v + ε c₂), c₂ = √(1 - β₂ᵗ):
        # the bias corrections become two scalars (the ε̂ form: ε in place of ε c₂)
        c2 = math.sqrt(1 - beta2**t)
        denominator = np.sqrt(v, out=scratch)
        denominator += self.eps if self.eps_hat else self.eps * c2
        step = np.divide(m, denominator, out=scratch)
        step *= lr * c2 / (1 - beta1**t)
        w -= step

    def _advance(self, index: int | None) -> int:
        """t for this update: the parameter's step count plus one (every parameter's, which
        are equal, for a packed step: see _can_step_packed)."""
        steps = self.param_steps
        if index is None:
            t = steps[0] + 1
            steps[:] = [t] * len(steps)
        else:
            steps[index] = t = steps[index] + 1
        return t

    def _can_step_packed(self, pack) -> bool:
        """Packed steps share one step count t: only while every parameter has taken the same
        number of steps (a parameter skipped earlier, without a gradient, lags behind)."""
        steps = self.param_steps
        return steps.count(steps[0]) == len(steps) and super()._can_step_packed(pack)

    def _counters(self) -> dict:
        return {**super()._counters(), "param_steps": list(self.param_steps)}

    def _load_counters(self, state: dict) -> None:
        super()._load_counters(state)
        self.param_steps = [int(t) for t in state["param_steps"]]

    def _check_state(self, state: dict) -> None:
        super()._check_state(state)
        if len(state["param_steps"]) != len(self.params):
            raise ValueError(
                f"The Adam state counts steps for {len(state['param_steps'])} parameters; this "
                f"optimizer has {len(self.params)}."
            )
