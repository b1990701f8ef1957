"""Optimizers, gradient clipping, learning-rate schedules and full-batch L-BFGS
(``minimize_lbfgs``): ``from neuralab import optim``.

>>> opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
>>> for epoch in range(epochs):
...     opt.zero_grad()
...     loss_fn(model(X), y).backward()
...     optim.clip_grad_norm_(model.parameters(), max_norm=1.0)
...     opt.step()
"""

from .adam import Adam
from .build import OPTIMIZERS, build_optimizer
from .clip import clip_grad_norm_, clip_grad_value_, grad_norm
from .lbfgs import minimize_lbfgs
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .schedule import CosineAnnealingLR, ExponentialLR, LRScheduler, StepLR
from .sgd import SGD

__all__ = [
    "OPTIMIZERS",
    "SGD",
    "Adam",
    "CosineAnnealingLR",
    "ExponentialLR",
    "LRScheduler",
    "Optimizer",
    "RMSprop",
    "StepLR",
    "build_optimizer",
    "clip_grad_norm_",
    "clip_grad_value_",
    "grad_norm",
    "minimize_lbfgs",
]
