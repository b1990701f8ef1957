"""The fully connected layer z = x W + b."""

from __future__ import annotations

import numpy as np

from .. import functional as F
from .._config import FLOAT_DTYPES, as_dtype
from .._validation import check_bool, check_int, check_option
from ..autograd.tensor import Tensor
from .init import INITIALIZERS, initial_weight
from .module import Module, Parameter
from .registry import config_seed, register_module


@register_module
class Linear(Module):
    """Fully connected layer: z = x W + b.

    W is stored with shape (in_features, out_features), so the code reads ``x @ W + b`` exactly
    as the course writes it (PyTorch stores the transpose). The forward is the fused op
    :func:`neuralab.functional.linear`.

    Parameters
    ----------
    in_features, out_features : int
        Sizes of each input and output row (> 0).
    bias : bool
        Learn an additive bias b (initialised to zeros); with False ``bias`` is None.
    init : str
        How W is drawn, once, here (see :mod:`neuralab.nn.init`): "glorot_uniform" (the
        default), U(-a, a) with a = sqrt(6 / (in + out)), suited to tanh, sigmoid and linear
        outputs; "he_uniform", a = sqrt(6 / in), for a layer followed by ReLU or LeakyReLU;
        "glorot_normal", "he_normal" or "zeros". Nothing changes W afterwards but you and the
        optimizer: putting the layer in a ``Sequential`` leaves it as it is. ``nn.MLP`` picks
        the right one for its activation.
    seed, rng : int or numpy.random.Generator, optional
        Same seed, same weights.
    dtype : "float32" or "float64", optional
        Default: the default float dtype (float32).

    Shape
    -----
    input (..., in_features) -> output (..., out_features)

    Attributes
    ----------
    weight : Parameter of shape (in_features, out_features)
    bias : Parameter of shape (out_features,) or None
    """

    static_graph = True

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 init: str = "glorot_uniform", seed=None, rng=None, dtype=None) -> None:
        super().__init__()
        self.in_features = check_int(in_features, "in_features", "Linear")
        self.out_features = check_int(out_features, "out_features", "Linear")
        self.init = check_option(init, "init", "Linear", tuple(INITIALIZERS))
        self.seed = config_seed(seed)
        self.dtype = None if dtype is None else as_dtype(dtype)
        if self.dtype is not None and self.dtype not in FLOAT_DTYPES:
            raise TypeError(
                f"The 'dtype' parameter of Linear must be 'float32' or 'float64'. Got {dtype!r} "
                "instead."
            )
        shape = (self.in_features, self.out_features)
        weight = initial_weight(shape, init, seed=seed, rng=rng, dtype=self.dtype)
        self.weight = Parameter(weight)
        self.bias = (Parameter(np.zeros(self.out_features, weight.dtype))
                     if check_bool(bias, "bias", "Linear") else None)

    def forward(self, x):
        if not isinstance(x, Tensor):  # forward() called directly with an array
            return F.linear(x, self.weight, self.bias)
        return F.linear_of_tensors(x, self.weight, self.bias)

    def get_config(self) -> dict:
        return {
            "in_features": self.in_features,
            "out_features": self.out_features,
            "bias": self.bias is not None,
            "init": self.init,
            "seed": self.seed,
            "dtype": None if self.dtype is None else self.dtype.name,
        }

    @classmethod
    def from_config(cls, config: dict) -> Linear:
        # files saved before init was settled at construction may say init="auto"; the
        # weights come from the file, so the initial draw is only a placeholder
        if config.get("init") == "auto":
            config = {**config, "init": "glorot_uniform"}
        return cls(**config)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")
