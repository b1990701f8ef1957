"""The fully connected layer z = x W + b."""

from __future__ import annotations

import numpy as np

from .. import functional as F
from .._config import FLOAT_DTYPES, as_dtype
from .._validation import check_bool, check_int, check_option
from ..autograd.tensor import Tensor
from .init import INITIALIZERS, glorot_limit, he_limit, initial_weight
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
        How W is drawn (see :mod:`neuralab.nn.init`): "glorot_uniform", "glorot_normal",
        "he_uniform", "he_normal", "zeros", or "auto" (the default). "auto" draws Glorot
        uniform, U(-a, a) with a = sqrt(6 / (in + out)); when the layer is then placed in a
        ``Sequential`` (or ``MLP``) whose next activation is ReLU or LeakyReLU, the container
        rescales W once, deterministically, to the He-uniform bound a = sqrt(6 / in) (no new
        draw: W *= sqrt(6 / in) / sqrt(6 / (in + out))). That happens the first time a
        container sees what follows the layer; build the network before training it.
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

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 init: str = "auto", seed=None, rng=None, dtype=None) -> None:
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
        # "auto" waits for a container to tell which activation follows (see the docstring)
        self._auto_init_pending = init == "auto"

    def forward(self, x):
        if not isinstance(x, Tensor):  # forward() called directly with an array
            return F.linear(x, self.weight, self.bias)
        return F.linear_of_tensors(x, self.weight, self.bias)

    def resolve_auto_init(self, relu_follows: bool) -> None:
        """Settle ``init="auto"``: rescale W to the He-uniform bound if a ReLU follows.

        Containers call this once they know the next activation; later calls do nothing.
        """
        if not self._auto_init_pending:
            return
        self._auto_init_pending = False
        if relu_follows:
            scale = he_limit(self.in_features) / glorot_limit(self.in_features, self.out_features)
            np.multiply(self.weight.data, scale, out=self.weight.data)

    def get_config(self) -> dict:
        return {
            "in_features": self.in_features,
            "out_features": self.out_features,
            "bias": self.bias is not None,
            "init": self.init,
            "seed": self.seed,
            "dtype": None if self.dtype is None else self.dtype.name,
        }

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")
