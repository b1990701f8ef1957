"""Activation functions as modules, so that they can sit in a ``Sequential``.

Each calls the tensor method of the same name; the math (and its derivative) lives in the op.
The names are those of :data:`neuralab.functional.ACTIVATIONS`: each module class says which
of its functions it applies, and :func:`activation_module` builds it by name.
"""

from __future__ import annotations

from .. import functional as F
from .._validation import check_float, check_int
from .module import Module
from .registry import register_module

#: the functional activation -> the module class that applies it
_MODULE_OF: dict = {}


class Activation(Module):
    """Base of the parameter-free activation modules (config: their keyword settings).

    A subclass names the function of :data:`neuralab.functional.ACTIVATIONS` it applies as
    its ``function``; that makes it the module of that name.
    """

    function = None

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "function" in cls.__dict__:
            _MODULE_OF[cls.__dict__["function"].__func__] = cls

    #: whether gradient descent can train a network through it (not the step function)
    trainable = True

    def get_config(self) -> dict:
        return {}


@register_module
class Sigmoid(Activation):
    """σ(z) = 1 / (1 + e^(-z)), in (0, 1);  σ'(z) = σ(z)(1 - σ(z))."""

    function = staticmethod(F.sigmoid)

    def forward(self, x):
        return x.sigmoid()


@register_module
class Tanh(Activation):
    """tanh(z), in (-1, 1);  tanh'(z) = 1 - tanh(z)²."""

    function = staticmethod(F.tanh)

    def forward(self, x):
        return x.tanh()


@register_module
class ReLU(Activation):
    """ReLU(z) = max(0, z);  derivative 1 for z > 0, else 0."""

    function = staticmethod(F.relu)

    def forward(self, x):
        return x.relu()


@register_module
class LeakyReLU(Activation):
    """LeakyReLU(z) = z for z > 0, else αz;  derivative 1 for z > 0, else α.

    Parameters
    ----------
    alpha : float
        The slope α for negative inputs, in [0, 1).
    """

    function = staticmethod(F.leaky_relu)

    def __init__(self, alpha: float = 0.01) -> None:
        super().__init__()
        self.alpha = check_float(alpha, "alpha", "LeakyReLU", 0.0, 1.0, high_open=True)

    def forward(self, x):
        return x.leaky_relu(self.alpha)

    def get_config(self) -> dict:
        return {"alpha": self.alpha}

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


@register_module
class Softmax(Activation):
    """softmax(z)_i = e^(z_i) / Σ_j e^(z_j) along ``axis``: each row becomes a distribution."""

    function = staticmethod(F.softmax)

    def __init__(self, axis: int = -1) -> None:
        super().__init__()
        self.axis = check_int(axis, "axis", "Softmax", low=None)

    def forward(self, x):
        return x.softmax(self.axis)

    def get_config(self) -> dict:
        return {"axis": self.axis}

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


@register_module
class Step(Activation):
    """Heaviside step H(z) = 1 if z > 0 else 0: the perceptron's activation (no gradient)."""

    function = staticmethod(F.step)
    trainable = False

    def forward(self, x):
        return x.step()


@register_module
class Identity(Activation):
    """identity(z) = z: the "linear" activation."""

    function = staticmethod(F.identity)

    def forward(self, x):
        return x.identity()


#: activation module classes by every spelling of :data:`neuralab.functional.ACTIVATIONS`
ACTIVATION_MODULES: dict[str, type[Activation]] = {
    spelling: _MODULE_OF[F.ACTIVATIONS[spelling]] for spelling in F.ACTIVATIONS.spellings}


def activation_module(name: str) -> Activation:
    """A new activation module from its name: "relu", "leaky_relu", "tanh", "sigmoid" (or
    "logistic"), "identity" (or "linear"), "softmax" or "step". Case and "-"/"_" do not matter.
    """
    return _MODULE_OF[F.ACTIVATIONS[name]]()
