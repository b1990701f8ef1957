"""Learning-rate schedules, stepped once per epoch: ``scheduler.step()`` after each epoch.

A schedule computes the learning rate of epoch e from the optimizer's initial rate η₀ in closed
form and writes it to ``optimizer.lr``.
"""

from __future__ import annotations

import math

from .._validation import check_float, check_int
from .optimizer import Optimizer


class LRScheduler:
    """Base class: subclasses define ``lr_at(epoch)``.

    Attributes
    ----------
    optimizer : Optimizer
    base_lr : float
        η₀, the optimizer's learning rate when the schedule was created.
    last_epoch : int
        How many times ``step()`` ran.
    """

    #: names of the settings saved in the state dict
    hyperparameter_names: tuple[str, ...] = ()

    def __init__(self, optimizer: Optimizer) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"{type(self).__name__} schedules an optimizer (SGD, Adam, ...). "
                f"Got {type(optimizer).__name__} instead."
            )
        self.optimizer = optimizer
        self.base_lr = float(optimizer.lr)
        self.last_epoch = 0

    def lr_at(self, epoch: int) -> float:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def step(self) -> None:
        """Move to the next epoch and set the optimizer's learning rate for it."""
        self.last_epoch += 1
        self.optimizer.lr = self.lr_at(self.last_epoch)

    def get_last_lr(self) -> float:
        """The learning rate the schedule set last (η₀ before the first ``step()``)."""
        return self.lr_at(self.last_epoch)

    def state_dict(self) -> dict:
        """The schedule's position and settings (JSON-serialisable)."""
        settings = {name: getattr(self, name) for name in self.hyperparameter_names}
        return {"type": type(self).__name__, "base_lr": self.base_lr,
                "last_epoch": self.last_epoch, **settings}

    def load_state_dict(self, state: dict) -> None:
        """Continue from a saved position (the optimizer's lr comes from its own state)."""
        owner = type(self).__name__
        expected = {"type", "base_lr", "last_epoch", *self.hyperparameter_names}
        if not isinstance(state, dict) or state.get("type") != owner or set(state) != expected:
            raise ValueError(
                f"Cannot load {state!r} into a {owner}: expected a dict with the keys "
                f"{sorted(expected)} and type {owner!r}, as returned by its state_dict()."
            )
        for name in expected - {"type"}:
            setattr(self, name, state[name])

    def __repr__(self) -> str:
        names = self.hyperparameter_names
        settings = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__name__}({settings}, last_epoch={self.last_epoch})"


class StepLR(LRScheduler):
    """Divide the rate by 1/γ every ``step_size`` epochs: η_e = η₀ γ^⌊e / step_size⌋."""

    hyperparameter_names = ("step_size", "gamma")

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        super().__init__(optimizer)
        self.step_size = check_int(step_size, "step_size", "StepLR")
        self.gamma = check_float(gamma, "gamma", "StepLR", 0.0, low_open=True)

    def lr_at(self, epoch: int) -> float:
        return self.base_lr * self.gamma ** (epoch // self.step_size)


class ExponentialLR(LRScheduler):
    """Multiply the rate by γ every epoch: η_e = η₀ γ^e."""

    hyperparameter_names = ("gamma",)

    def __init__(self, optimizer: Optimizer, gamma: float) -> None:
        super().__init__(optimizer)
        self.gamma = check_float(gamma, "gamma", "ExponentialLR", 0.0, low_open=True)

    def lr_at(self, epoch: int) -> float:
        return self.base_lr * self.gamma**epoch


class CosineAnnealingLR(LRScheduler):
    """Half a cosine from η₀ down to η_min over T_max epochs:

        η_e = η_min + (η₀ - η_min) (1 + cos(π e / T_max)) / 2

    (after T_max epochs the cosine continues, rising again, as in PyTorch).
    """

    hyperparameter_names = ("T_max", "eta_min")

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0) -> None:
        super().__init__(optimizer)
        self.T_max = check_int(T_max, "T_max", "CosineAnnealingLR")
        self.eta_min = check_float(eta_min, "eta_min", "CosineAnnealingLR", 0.0)

    def lr_at(self, epoch: int) -> float:
        cosine = (1 + math.cos(math.pi * epoch / self.T_max)) / 2
        return self.eta_min + (self.base_lr - self.eta_min) * cosine
