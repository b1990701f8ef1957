"""Activation functions as modules, so that they can sit in a ``Sequential``.

Each calls the tensor method of the same name; the math (and its derivative) lives in the op.
"""

from __future__ import annotations

from .._validation import check_float, check_int, check_name
from .module import Module
from .registry import register_module


class Activation(Module):
    """Base of the parameter-free activation modules (config: their keyword settings)."""

    #: whether gradient descent can train a network through it (not the step function)
    trainable = True

    def get_config(self) -> dict:
        return {}


@register_module
class Sigmoid(Activation):
    """σ(z) = 1 / (1 + e^(-z)), in (0, 1);  σ'(z) = σ(z)(1 - σ(z))."""

    def forward(self, x):
        return x.sigmoid()


@register_module
class Tanh(Activation):
    """tanh(z), in (-1, 1);  tanh'(z) = 1 - tanh(z)²."""

    def forward(self, x):
        return x.tanh()


@register_module
class ReLU(Activation):
    """ReLU(z) = max(0, z);  derivative 1 for z > 0, else 0."""

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

    trainable = False

    def forward(self, x):
        return x.step()


@register_module
class Identity(Activation):
    """identity(z) = z: the "linear" activation."""

    def forward(self, x):
        return x.identity()


#: activation module classes by name (aliases included)
ACTIVATION_MODULES: dict[str, type[Activation]] = {
    "sigmoid": Sigmoid,
    "logistic": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "softmax": Softmax,
    "identity": Identity,
    "linear": Identity,
    "step": Step,
}


def activation_module(name: str) -> Activation:
    """A new activation module from its name: "relu", "leaky_relu", "tanh", "sigmoid" (or
    "logistic"), "identity" (or "linear"), "softmax" or "step". Case and "-"/"_" do not matter.
    """
    return ACTIVATION_MODULES[check_name(name, ACTIVATION_MODULES, "activation")]()
