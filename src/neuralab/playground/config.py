"""What a playground run is made of: :class:`PlaygroundConfig`, and the server's :class:`Limits`.

The configuration is plain data (it also lives in the page's URL, so a shared link reproduces
the run). It is validated by pydantic against the server's limits, which are passed in the
validation context::

    PlaygroundConfig.model_validate(data, context={"limits": limits})

Every message says which setting was wrong, what was received and what is allowed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .. import functional as F
from .._vocabulary import unknown_name
from ..nn.loss import LOSSES as LOSS_VOCABULARY
from ..optim.build import OPTIMIZERS as OPTIMIZER_VOCABULARY
from .catalogue import CUSTOM_TASKS, DATASETS, GATES
from .features import FEATURES

#: the page's menus, {name: label}, read from the vocabularies: the hidden activations the
#: page offers (step: the perceptron), its two losses (cross-entropy is that of the logits for
#: two classes, see trainer.loss_kind), and every optimizer
ACTIVATIONS = F.ACTIVATIONS.labels(F.ACTIVATIONS.choose("step", "sigmoid", "tanh", "relu",
                                                        "leaky_relu"))
LOSSES = LOSS_VOCABULARY.labels(LOSS_VOCABULARY.choose("cross_entropy", "mse"))
OPTIMIZERS = OPTIMIZER_VOCABULARY.labels()
VARIANTS = {"batch": "Batch", "stochastic": "Stochastic", "minibatch": "Mini-batch"}
REGULARIZATIONS = {"none": "None", "l1": "L1", "l2": "L2"}
#: the losses each problem can be trained with (the first is the page's choice on a switch)
PROBLEM_LOSSES = {"binary": ("cross_entropy", "mse"), "multiclass": ("cross_entropy",),
                  "regression": ("mse",)}


#: fewest points of the learner's own data (they are shared between training and testing)
MIN_CUSTOM_POINTS = 4
#: largest |coordinate| of a custom point (drawn points and standardised CSV columns are near 1)
MAX_COORDINATE = 100.0
#: largest |target| of a custom regression point
MAX_TARGET = 1e6
#: longest class or column name of custom data
MAX_NAME = 40

def _one_of(what: str, names):
    """A pydantic check that a string is one of ``names`` (spelled exactly), failing with the
    vocabularies' message: the valid names and the closest one."""
    def check(value: str) -> str:
        if value not in names:
            raise ValueError(unknown_name(what, value, names))
        return value

    return AfterValidator(check)


FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
Name = Annotated[str, Field(max_length=MAX_NAME)]


@dataclass(frozen=True)
class Limits:
    """What one playground server allows; enforced on the server, reported to the page.

    Attributes
    ----------
    max_hidden_layers, max_neurons : int
        Hidden layers per network (0 … max) and neurons per hidden layer (1 … max).
    max_points : int
        Points per dataset (train and test together), the learner's own data included.
    max_classes : int
        Classes of the learner's own data (and output units of an uploaded model).
    max_sessions : int
        Browser tabs (WebSocket sessions) open at once; one more is refused.
    idle_seconds : float
        A tab that sends nothing for this long is closed, so that tabs left open do not keep
        others out (the page sends a keep-alive while it is visible and training).
    max_upload_bytes : int
        Size of an uploaded model file.
    max_csv_bytes : int
        Size of an uploaded CSV file.
    max_message_bytes : int
        Size of one message from the page (a configuration with ``max_points`` points of the
        learner's own data fits).
    max_messages_per_second : int
        Messages one page may send per second (counted over a sliding second).
    """

    max_hidden_layers: int = 6
    max_neurons: int = 8
    max_points: int = 1000
    max_classes: int = 6
    max_sessions: int = 8
    idle_seconds: float = 300.0
    max_upload_bytes: int = 256 * 1024
    max_csv_bytes: int = 1024 * 1024
    max_message_bytes: int = 64 * 1024
    max_messages_per_second: int = 60

    def to_dict(self) -> dict:
        return asdict(self)


def _limits(info: ValidationInfo) -> Limits:
    return (info.context or {}).get("limits") or Limits()


class PlaygroundConfig(BaseModel):
    """The settings of one run: data, network, training. Unknown keys are refused.

    ``dataset`` is one of :data:`~.catalogue.DATASETS`; "custom" takes the learner's own
    points from ``custom_points`` (rows x1, x2, target), whose targets are class numbers
    0, 1, … (``custom_task="classification"``, with optional ``custom_classes`` names) or
    numbers (``"regression"``); ``custom_columns`` names the CSV columns they came from.

    ``variant`` picks the gradient-descent variant: "batch" (all training points per update),
    "stochastic" (one point per update) or "minibatch" (``batch_size`` points per update).
    ``regularization`` adds rate · Σ|w| ("l1") or rate · Σw² ("l2") over the weights (not the
    biases) to the loss. ``clip`` caps the gradient norm (None: no clipping). The activation is
    that of the hidden units; the output is a sigmoid's probability for two classes (the score
    z with cross-entropy, σ(z) itself with squared error), a softmax over the classes for more
    (cross-entropy), the value itself for regression (squared error); "step" without hidden
    layers is Rosenblatt's perceptron.
    """

    model_config = ConfigDict(extra="forbid")

    dataset: Annotated[str, _one_of("dataset", DATASETS)] = "circles"
    noise: float = Field(0.05, ge=0.0, le=0.5)
    points: int = Field(200, ge=20)
    train_ratio: int = Field(50, ge=10, le=90, description="percent of the points for training")
    features: list[Literal[tuple(FEATURES)]] = Field(default_factory=lambda: ["x1", "x2"])
    hidden: list[int] = Field(default_factory=lambda: [4, 4])
    activation: Annotated[str, _one_of("activation", ACTIVATIONS)] = "tanh"
    loss: Annotated[str, _one_of("loss", LOSSES)] = "cross_entropy"
    learning_rate: float = Field(0.03, gt=0.0, le=10.0)
    variant: Literal[tuple(VARIANTS)] = "minibatch"
    batch_size: int = Field(10, ge=1)
    optimizer: Annotated[str, _one_of("optimizer", OPTIMIZERS)] = "adam"
    regularization: Literal[tuple(REGULARIZATIONS)] = "none"
    regularization_rate: float = Field(0.001, ge=0.0, le=1.0)
    clip: float | None = Field(None, gt=0.0)
    batch_norm: bool = False
    seed: int = Field(0, ge=0, lt=2**31)
    custom_task: Literal[CUSTOM_TASKS] = "classification"
    custom_points: list[tuple[FiniteFloat, FiniteFloat, FiniteFloat]] = Field(
        default_factory=list)
    custom_classes: list[Name] = Field(default_factory=list)
    custom_columns: list[Name] = Field(default_factory=list)

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

    @field_validator("custom_points")
    @classmethod
    def _custom_points_within_limits(cls, value: list, info: ValidationInfo) -> list:
        limit = _limits(info).max_points
        if len(value) > limit:
            raise ValueError(f"{len(value)} points; this server takes at most {limit}")
        for index, (x1, x2, _) in enumerate(value):
            if max(abs(x1), abs(x2)) > MAX_COORDINATE:
                raise ValueError(f"point {index} lies at ({x1:g}, {x2:g}); coordinates must be "
                                 f"within ±{MAX_COORDINATE:g} (standardise the columns)")
        return value

    @field_validator("custom_classes", "custom_columns")
    @classmethod
    def _names_are_one_line(cls, value: list[str]) -> list[str]:
        for name in value:
            if any(ord(char) < 32 or ord(char) == 127 for char in name):
                raise ValueError(f"the name {name!r} holds control characters (a line break, a "
                                 "tab); names are one line of text")
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

    @model_validator(mode="after")
    def _custom_data_is_usable(self, info: ValidationInfo) -> PlaygroundConfig:
        if self.dataset != "custom":
            extra = [name for name in ("custom_points", "custom_classes", "custom_columns")
                     if getattr(self, name)]
            if extra:
                raise ValueError(f"{', '.join(extra)} only go with dataset 'custom' (your own "
                                 f"data); the dataset is {self.dataset!r}")
            return self
        points = self.custom_points
        if len(points) < MIN_CUSTOM_POINTS:
            raise ValueError(
                f"your own data has {len(points)} point{'s' * (len(points) != 1)}; add at least "
                f"{MIN_CUSTOM_POINTS} (they are shared between training and testing)")
        if self.custom_task == "regression":
            for index, (_, _, target) in enumerate(points):
                if abs(target) > MAX_TARGET:
                    raise ValueError(f"point {index} has the target {target:g}; targets must be "
                                     f"within ±{MAX_TARGET:g} (standardise the column)")
            return self
        _check_classes(points, self.custom_classes, _limits(info).max_classes)
        return self

    @model_validator(mode="after")
    def _loss_fits_the_problem(self) -> PlaygroundConfig:
        problem = self.problem
        if self.is_perceptron and problem != "binary":
            raise ValueError(
                "a perceptron (step units without hidden layers) separates two classes; this "
                f"data is a {problem} problem: add a hidden layer and pick another activation")
        if self.loss not in PROBLEM_LOSSES[problem]:
            why = ("a regression problem is fit by squared error" if problem == "regression"
                   else "more than two classes are read through a softmax and trained by "
                        "cross-entropy")
            raise ValueError(f"{why}: set the loss to {PROBLEM_LOSSES[problem][0]!r}")
        return self

    @property
    def is_gate(self) -> bool:
        return self.dataset in GATES

    @property
    def is_perceptron(self) -> bool:
        """Step units without hidden layers: one perceptron, trained by its own rule."""
        return self.activation == "step" and not self.hidden

    @property
    def n_classes(self) -> int:
        """Classes of a classification problem (0 for regression)."""
        if self.dataset != "custom":
            return DATASETS[self.dataset].classes
        if self.custom_task == "regression":
            return 0
        return max(len(self.custom_classes), 1 + int(max(p[2] for p in self.custom_points)))

    @property
    def problem(self) -> str:
        """"binary", "multiclass" or "regression" (see :mod:`.catalogue`)."""
        classes = self.n_classes
        return "regression" if classes == 0 else "binary" if classes == 2 else "multiclass"

    @property
    def n_outputs(self) -> int:
        """Output units: one per class for several classes, else one."""
        return self.n_classes if self.problem == "multiclass" else 1


def _check_classes(points: list, names: list[str], max_classes: int) -> None:
    """Custom class labels are class numbers; two classes at least, each with two points."""
    counts: dict[int, int] = {}
    for index, (_, _, label) in enumerate(points):
        if label != int(label) or not 0 <= label < max_classes:
            raise ValueError(f"point {index} has the class {label:g}; classes are the numbers "
                             f"0 to {max_classes - 1}")
        counts[int(label)] = counts.get(int(label), 0) + 1
    if len(counts) < 2:
        raise ValueError(f"your own data has points of class {next(iter(counts))} only; add "
                         "points of another class")
    single = sorted(label for label, count in counts.items() if count == 1)
    if single:
        raise ValueError(f"class {single[0]} has a single point; each class needs two or more "
                         "(one for training, one for testing)")
    if names and not max(counts) < len(names) <= max_classes:
        raise ValueError(f"{len(names)} class names for classes up to {max(counts)}; give one "
                         f"name per class, at most {max_classes}")


def validate_config(data, limits: Limits) -> PlaygroundConfig:
    """Validate ``data`` (a dict) against ``limits``; raise ValueError listing every problem."""
    if not isinstance(data, dict):
        raise ValueError(f"The configuration must be a JSON object; got {type(data).__name__}.")
    try:
        return PlaygroundConfig.model_validate(data, context={"limits": limits})
    except ValidationError as err:
        raise ValueError("Invalid configuration: " + describe_errors(err)) from None


def describe_errors(err: ValidationError) -> str:
    """One readable line per problem: "hidden: hidden layer 1 has 12 neurons; ... (got ...)".

    The received value is shown when it is a single value (a whole list or the whole
    configuration would only bury the message).
    """
    parts = []
    for problem in err.errors(include_url=False):
        where = ".".join(str(part) for part in problem["loc"]) or "settings"
        message = problem["msg"].removeprefix("Value error, ")
        received = problem.get("input")
        shown = isinstance(received, str | int | float | bool) and len(repr(received)) <= 60
        parts.append(f"{where}: {message}" + (f" (got {received!r})" if shown else ""))
    return "; ".join(parts)


def options(limits: Limits) -> dict:
    """Everything the page needs to draw its controls: choices, labels, limits and defaults."""
    return {
        "datasets": {name: dataset.to_dict() for name, dataset in DATASETS.items()},
        "gates": list(GATES),
        "custom_tasks": list(CUSTOM_TASKS),
        "features": {name: label for name, (label, _) in FEATURES.items()},
        "activations": ACTIVATIONS,
        "losses": LOSSES,
        "problem_losses": PROBLEM_LOSSES,
        "optimizers": OPTIMIZERS,
        "variants": VARIANTS,
        "regularizations": REGULARIZATIONS,
        "limits": limits.to_dict(),
        "defaults": PlaygroundConfig().model_dump(),
    }
