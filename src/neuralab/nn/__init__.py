"""Layers, networks and losses: ``from neuralab import nn``.

* :class:`Module` and :class:`Parameter` -- the base of everything here;
* layers: :class:`Linear`, :class:`BatchNorm1d`, :class:`Dropout` and the activations;
* networks: :class:`Sequential` and :class:`MLP`;
* losses: :class:`BCELoss`, :class:`BCEWithLogitsLoss`, :class:`CrossEntropyLoss`,
  :class:`MSELoss`, :class:`PoissonNLLLoss`;
* architecture as data: ``module.to_config()`` and :func:`module_from_config` rebuild any
  registered module; :func:`register_module` registers custom ones.

Examples
--------
>>> net = nn.MLP([2, 8, 1], activation="tanh", seed=0)      # logits out
>>> loss = nn.BCEWithLogitsLoss()(net(X), y)
>>> loss.backward()
"""

from . import init
from .activation import (
    Activation,
    Identity,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softmax,
    Step,
    Tanh,
    activation_module,
)
from .container import MLP, Sequential
from .dropout import Dropout
from .linear import Linear
from .loss import (
    LOSSES,
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    Loss,
    MSELoss,
    PoissonNLLLoss,
    loss_module,
)
from .module import LoadResult, Module, Parameter
from .normalization import BatchNorm1d
from .registry import module_from_config, register_module, registered_names

__all__ = [
    "LOSSES",
    "MLP",
    "Activation",
    "BCELoss",
    "BCEWithLogitsLoss",
    "BatchNorm1d",
    "CrossEntropyLoss",
    "Dropout",
    "Identity",
    "LeakyReLU",
    "Linear",
    "LoadResult",
    "Loss",
    "MSELoss",
    "Module",
    "Parameter",
    "PoissonNLLLoss",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Step",
    "Tanh",
    "activation_module",
    "init",
    "loss_module",
    "module_from_config",
    "register_module",
    "registered_names",
]
