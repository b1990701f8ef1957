"""Facts about a network read from its layers: input and output widths, parameter dtype.

Shared by the exporters and :class:`~neuralab.Predictor`, which must agree with a network's
sizes without running it.
"""

from __future__ import annotations

import numpy as np


def linear_layers(model) -> list:
    """The Linear layers inside ``model``, in order."""
    from .nn import Linear

    return [module for module in model.modules() if isinstance(module, Linear)]


def input_width(model) -> int | None:
    """The number of inputs of the first Linear layer (None without one)."""
    layers = linear_layers(model)
    return layers[0].in_features if layers else None


def output_width(model) -> int | None:
    """The number of outputs of the last Linear layer (None without one)."""
    layers = linear_layers(model)
    return layers[-1].out_features if layers else None


def parameter_dtype(model) -> np.dtype:
    """The dtype of the model's parameters (float32 without any)."""
    return next((param.data.dtype for param in model.parameters()), np.dtype(np.float32))
