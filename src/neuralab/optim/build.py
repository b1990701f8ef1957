"""Build an optimizer from its name, as the CLI, the estimators and configs name them."""

from __future__ import annotations

from typing import NamedTuple

from .._vocabulary import Entry, Vocabulary
from .adam import Adam
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD


class Recipe(NamedTuple):
    """What an optimizer's name builds: the class, its default learning rate and options."""

    cls: type[Optimizer]
    lr: float
    options: dict


#: the optimizers by name, for the CLI, sweeps, ExperimentConfig and the playground
OPTIMIZERS: Vocabulary[Recipe] = Vocabulary("optimizer", [
    Entry("sgd", Recipe(SGD, 0.01, {}), "SGD"),
    Entry("momentum", Recipe(SGD, 0.01, {"momentum": 0.9}), "Momentum"),
    Entry("adam", Recipe(Adam, 1e-3, {}), "Adam"),
    Entry("rmsprop", Recipe(RMSprop, 1e-2, {}), "RMSprop"),
])


def build_optimizer(name: str, params, lr: float | None = None, **options) -> Optimizer:
    """An optimizer by name: "sgd" (lr 0.01), "momentum" (SGD with momentum 0.9, lr 0.01),
    "adam" (lr 0.001) or "rmsprop" (lr 0.01).

    ``lr=None`` takes the name's default; ``options`` go to the class (e.g. ``nesterov=True``,
    ``weight_decay=1e-4``) and override the name's defaults (``momentum=0.95``).
    """
    cls, default_lr, defaults = OPTIMIZERS[name]
    return cls(params, default_lr if lr is None else lr, **{**defaults, **options})
