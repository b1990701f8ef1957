"""What a playground run is made of: :class:`PlaygroundConfig`, and the server's :class:`Limits`.

The configuration is plain data (it also lives in the page's URL, so a shared link reproduces
the run). It is validated by pydantic against the server's limits, which are passed in the
validation context::

    PlaygroundConfig.model_validate(data, context={"limits": limits})

Every message says which setting was wrong, what was received and what is allowed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .features import FEATURES

#: dataset id -> label; the 2-D sets of neuralab.data and the two-input logic gates
DATASETS = {
    "circles": "Circles",
    "xor": "XOR quadrants",
    "gaussians": "Two Gaussians",
    "spiral": "Spiral",
    "moons": "Moons",
    "and": "AND gate",
    "or": "OR gate",
    "nand": "NAND gate",
    "nor": "NOR gate",
    "xor_gate": "XOR gate",
    "xnor": "XNOR gate",
}
#: the truth-table datasets: four fixed points, used for training and testing alike
GATES = ("and", "or", "nand", "nor", "xor_gate", "xnor")
ACTIVATIONS = {"step": "Step", "sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "ReLU",
               "leaky_relu": "Leaky ReLU"}
LOSSES = {"cross_entropy": "Cross-entropy", "mse": "Squared error"}
OPTIMIZERS = {"sgd": "SGD", "momentum": "Momentum", "adam": "Adam", "rmsprop": "RMSprop"}
VARIANTS = {"batch": "Batch", "stochastic": "Stochastic", "minibatch": "Mini-batch"}
REGULARIZATIONS = {"none": "None", "l1": "L1", "l2": "L2"}


@dataclass(frozen=True)
class Limits:
    """What one playground server allows; enforced on the server, reported to the page.

    Attributes
    ----------
    max_hidden_layers, max_neurons : int
        Hidden layers per network (0 … max) and neurons per hidden layer (1 … max).
    max_points : int
        Points per dataset (train and test together).
    max_sessions : int
        Browser tabs (WebSocket sessions) training at once; one more is refused.
    max_upload_bytes : int
        Size of an uploaded model file.
    max_message_bytes : int
        Size of one message from the page.
    max_messages_per_second : int
        Messages one page may send per second (counted over a sliding second).
    """

    max_hidden_layers: int = 6
    max_neurons: int = 8
    max_points: int = 1000
    max_sessions: int = 8
    max_upload_bytes: int = 256 * 1024
    max_message_bytes: int = 16 * 1024
    max_messages_per_second: int = 60

    def to_dict(self) -> dict:
        return asdict(self)


def _limits(info: ValidationInfo) -> Limits:
    return (info.context or {}).get("limits") or Limits()


class PlaygroundConfig(BaseModel):
    """The settings of one run: data, network, training. Unknown keys are refused.

    ``variant`` picks the gradient-descent variant: "batch" (all training points per update),
    "stochastic" (one point per update) or "minibatch" (``batch_size`` points per update).
    ``regularization`` adds rate · Σ|w| ("l1") or rate · Σw² ("l2") over the weights (not the
    biases) to the loss. ``clip`` caps the gradient norm (None: no clipping). The activation is
    that of the hidden units; the output unit is read through a sigmoid, except for "step"
    without hidden layers, which is Rosenblatt's perceptron.
    """

    model_config = ConfigDict(extra="forbid")

    dataset: Literal[tuple(DATASETS)] = "circles"
    noise: float = Field(0.05, ge=0.0, le=0.5)
    points: int = Field(200, ge=20)
    train_ratio: int = Field(50, ge=10, le=90, description="percent of the points for training")
    features: list[Literal[tuple(FEATURES)]] = Field(default_factory=lambda: ["x1", "x2"])
    hidden: list[int] = Field(default_factory=lambda: [4, 4])
    activation: Literal[tuple(ACTIVATIONS)] = "tanh"
    loss: Literal[tuple(LOSSES)] = "cross_entropy"
    learning_rate: float = Field(0.03, gt=0.0, le=10.0)
    variant: Literal[tuple(VARIANTS)] = "minibatch"
    batch_size: int = Field(10, ge=1)
    optimizer: Literal[tuple(OPTIMIZERS)] = "adam"
    regularization: Literal[tuple(REGULARIZATIONS)] = "none"
    regularization_rate: float = Field(0.001, ge=0.0, le=1.0)
    clip: float | None = Field(None, gt=0.0)
    batch_norm: bool = False
    seed: int = Field(0, ge=0, lt=2**31)

    @field_validator("points")
    @classmethod
    def _points_within_limit(cls, value: int, info: ValidationInfo) -> int:
        limit = _limits(info).max_points
        if value > limit:
            raise ValueError(f"{value} points asked for; this server allows at most {limit}")
        return value

    @field_validator("features")
    @classmethod
    def _features_distinct(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("pick at least one input feature (for example x1 and x2)")
        if len(set(value)) != len(value):
            raise ValueError(f"each feature may appear once; got {value}")
        return value

    @field_validator("hidden")
    @classmethod
    def _hidden_within_limits(cls, value: list[int], info: ValidationInfo) -> list[int]:
        limits = _limits(info)
        if len(value) > limits.max_hidden_layers:
            raise ValueError(
                f"{len(value)} hidden layers asked for; this server allows 0 to "
                f"{limits.max_hidden_layers}"
            )
        for index, size in enumerate(value, start=1):
            if not 1 <= size <= limits.max_neurons:
                raise ValueError(
                    f"hidden layer {index} has {size} neurons; each layer takes 1 to "
                    f"{limits.max_neurons}"
                )
        return value

    @model_validator(mode="after")
    def _batch_norm_needs_batches(self) -> PlaygroundConfig:
        if self.batch_norm and (self.variant == "stochastic"
                                or (self.variant == "minibatch" and self.batch_size < 2)):
            raise ValueError(
                "batch normalization needs at least 2 points per update (the variance of one "
                "point is undefined): pick batch or mini-batch descent with a batch size of 2 "
                "or more, or turn batch normalization off"
            )
        return self

    @property
    def is_gate(self) -> bool:
        return self.dataset in GATES

    @property
    def is_perceptron(self) -> bool:
        """Step units without hidden layers: one perceptron, trained by its own rule."""
        return self.activation == "step" and not self.hidden


def validate_config(data, limits: Limits) -> PlaygroundConfig:
    """Validate ``data`` (a dict) against ``limits``; raise ValueError listing every problem."""
    if not isinstance(data, dict):
        raise ValueError(f"The configuration must be a JSON object; got {type(data).__name__}.")
    try:
        return PlaygroundConfig.model_validate(data, context={"limits": limits})
    except ValidationError as err:
        raise ValueError("Invalid configuration: " + describe_errors(err)) from None


def describe_errors(err: ValidationError) -> str:
    """One readable line per problem: "hidden: hidden layer 1 has 12 neurons; ... (got ...)"."""
    parts = []
    for problem in err.errors(include_url=False):
        where = ".".join(str(part) for part in problem["loc"]) or "configuration"
        message = problem["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message} (got {problem.get('input')!r})")
    return "; ".join(parts)


def options(limits: Limits) -> dict:
    """Everything the page needs to draw its controls: choices, labels, limits and defaults."""
    return {
        "datasets": DATASETS,
        "gates": list(GATES),
        "features": {name: label for name, (label, _) in FEATURES.items()},
        "activations": ACTIVATIONS,
        "losses": LOSSES,
        "optimizers": OPTIMIZERS,
        "variants": VARIANTS,
        "regularizations": REGULARIZATIONS,
        "limits": limits.to_dict(),
        "defaults": PlaygroundConfig().model_dump(),
    }
