"""Build an optimizer from its name, as the CLI, the estimators and configs name them."""

from __future__ import annotations

from .._validation import check_name
from .adam import Adam
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

#: name -> (class, default learning rate, default options)
OPTIMIZERS: dict[str, tuple[type[Optimizer], float, dict]] = {
    "sgd": (SGD, 0.01, {}),
    "momentum": (SGD, 0.01, {"momentum": 0.9}),
    "adam": (Adam, 1e-3, {}),
    "rmsprop": (RMSprop, 1e-2, {}),
}


def build_optimizer(name: str, params, lr: float | None = None, **options) -> Optimizer:
    """An optimizer by name: "sgd" (lr 0.01), "momentum" (SGD with momentum 0.9, lr 0.01),
    "adam" (lr 0.001) or "rmsprop" (lr 0.01).

    ``lr=None`` takes the name's default; ``options`` go to the class (e.g. ``nesterov=True``,
    ``weight_decay=1e-4``) and override the name's defaults (``momentum=0.95``).
    """
    cls, default_lr, defaults = OPTIMIZERS[check_name(name, OPTIMIZERS, "optimizer")]
    return cls(params, default_lr if lr is None else lr, **{**defaults, **options})
