"""Networks built from layers: Sequential (a chain of modules) and MLP (a multilayer perceptron)."""

from __future__ import annotations

from itertools import pairwise

from .. import functional as F
from .._config import get_rng
from .._validation import check_bool, check_float, check_int, check_name, check_option
from .activation import activation_module
from .dropout import Dropout
from .init import INITIALIZERS, init_for_activation
from .linear import Linear
from .module import Module
from .normalization import BatchNorm1d
from .registry import config_seed, module_from_config, register_module


@register_module
class Sequential(Module):
    """A chain of modules: ``Sequential(a, b, c)(x) == c(b(a(x)))``.

    The layers are registered under the names "0", "1", ... (so parameters are named
    "0.weight", "0.bias", ...). ``seq[i]`` is a layer, ``seq[i:j]`` a new Sequential sharing the
    layers, ``len(seq)`` their number; iterate over it, or ``append`` a layer.

    A ``Linear`` with ``init="auto"`` is settled here: if the next layer after it that is not a
    BatchNorm1d or Dropout is a ReLU or LeakyReLU, its Glorot-uniform weights are rescaled
    once to the He-uniform bound, W *= sqrt(6 / in) / sqrt(6 / (in + out)) (a deterministic
    rescale, no new random draws); otherwise they stay Glorot uniform. A Linear that is the
    last layer stays open until a layer is appended after it.

    The forward calls each layer's ``forward`` directly (its input is a tensor already).
    """

    def __init__(self, *layers: Module) -> None:
        super().__init__()
        self._layers: list[Module] = []
        for layer in layers:
            Sequential.append(self, layer)  # not MLP.append, which refuses new layers

    def append(self, layer: Module) -> Sequential:
        """Add ``layer`` at the end; return self."""
        if not isinstance(layer, Module):
            raise TypeError(
                f"Sequential takes Modules (layers). Got {type(layer).__name__} at position "
                f"{len(self._layers)}. For an activation by name use nn.activation_module(name)."
            )
        setattr(self, str(len(self._layers)), layer)
        self._layers.append(layer)
        return self

    def forward(self, x):
        for layer in self._layers:
            x = layer.forward(x)
        return x

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Sequential(*self._layers[index])
        return self._layers[index]

    def __len__(self) -> int:
        return len(self._layers)

    def __iter__(self):
        return iter(self._layers)

    def get_config(self) -> dict:
        return {"layers": [layer.to_config() for layer in self._layers]}

    @classmethod
    def from_config(cls, config: dict) -> Sequential:
        return Sequential(*[module_from_config(spec) for spec in config["layers"]])


@register_module
class MLP(Sequential):
    """A multilayer perceptron: fully connected layers with an activation between them.

    For ``sizes = [n_in, h_1, ..., h_k, n_out]`` the layers are, for each hidden size h,

        Linear -> [BatchNorm1d] -> activation -> [Dropout]

    and then a final Linear to n_out, followed by the ``output`` activation if one is given.
    With ``output=None`` the network returns raw scores (logits): pair it with
    ``BCEWithLogitsLoss`` or ``CrossEntropyLoss``, which are exact for any score.

    An MLP is a Sequential, so it can be indexed and iterated the same way.

    Parameters
    ----------
    sizes : sequence of int
        [n_in, hidden..., n_out], at least two positive sizes.
    activation : str
        Hidden activation: "relu", "leaky_relu", "tanh", "sigmoid", ... (see
        :func:`neuralab.nn.activation_module`).
    output : str or None
        Activation after the last layer ("sigmoid", "softmax", "identity", ...), or None.
    batch_norm : bool
        Put a BatchNorm1d between each hidden Linear and its activation.
    dropout : float in [0, 1)
        Put a Dropout with this p after each hidden activation (none for 0).
    seed, rng : int or numpy.random.Generator, optional
        All weights (and dropout masks) come from one generator: same seed, same network.
    init : str
        Weight initialisation of the Linear layers, chosen here, as each layer is built.
        "auto" (the default) picks by the activation after each layer (see
        ``nn.init.init_for_activation``): He uniform, U(-a, a) with a = sqrt(6 / in), before
        ReLU and LeakyReLU; Glorot uniform, a = sqrt(6 / (in + out)), before the others and
        for the last layer (unless ``output`` is "relu" or "leaky_relu"). Any name ``Linear``
        takes ("glorot_uniform", "he_normal", ...) sets every layer alike.

    Examples
    --------
    >>> net = nn.MLP([2, 2, 1], activation="sigmoid", output="sigmoid", seed=0)  # XOR net
    """

    def __init__(self, sizes, activation: str = "relu", output: str | None = None,
                 batch_norm: bool = False, dropout: float = 0.0, seed=None, rng=None,
                 init: str = "auto") -> None:
        if isinstance(sizes, str) or not hasattr(sizes, "__len__") or len(sizes) < 2:
            raise ValueError(
                "The 'sizes' parameter of MLP must be a list of at least two layer sizes "
                f"[n_in, hidden..., n_out]. Got {sizes!r} instead."
            )
        sizes = [check_int(size, "sizes", "MLP") for size in sizes]
        activation = check_name(activation, F.ACTIVATIONS.spellings, "activation")
        if output is not None:
            output = check_name(output, F.ACTIVATIONS.spellings, "output activation")
        batch_norm = check_bool(batch_norm, "batch_norm", "MLP")
        dropout = check_float(dropout, "dropout", "MLP", 0.0, 1.0, high_open=True)
        check_option(init, "init", "MLP", ("auto", *INITIALIZERS))
        hidden_init, last_init = ((init_for_activation(activation), init_for_activation(output))
                                  if init == "auto" else (init, init))
        generator = get_rng(seed, rng)
        layers: list[Module] = []
        for n_in, n_out in pairwise(sizes[:-1]):
            layers.append(Linear(n_in, n_out, init=hidden_init, rng=generator))
            if batch_norm:
                layers.append(BatchNorm1d(n_out))
            layers.append(activation_module(activation))
            if dropout > 0:
                layers.append(Dropout(dropout, rng=generator))
        layers.append(Linear(sizes[-2], sizes[-1], init=last_init, rng=generator))
        if output is not None:
            layers.append(activation_module(output))
        super().__init__(*layers)
        self.sizes = sizes
        self.activation = activation
        self.output = output
        self.batch_norm = batch_norm
        self.dropout = dropout
        self.init = init
        self.seed = config_seed(seed)

    def append(self, layer: Module) -> Sequential:
        raise TypeError(
            "An MLP's layers follow from its arguments (its saved config must rebuild it); "
            "to add a layer, build nn.Sequential(*mlp, layer)."
        )

    def get_config(self) -> dict:
        return {"sizes": list(self.sizes), "activation": self.activation, "output": self.output,
                "batch_norm": self.batch_norm, "dropout": self.dropout, "seed": self.seed,
                "init": self.init}

    @classmethod
    def from_config(cls, config: dict) -> MLP:
        return cls(**config)
