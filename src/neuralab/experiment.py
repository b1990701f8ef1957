"""One training experiment from a handful of settings: the engine behind ``neuralab train``.

``ExperimentConfig`` names the dataset, the network and the optimiser; :func:`prepare_task`
loads and splits the data (standardising with the training statistics) and :func:`build_model`
builds the MLP. :func:`run_experiment` does both, trains with ``nl.fit`` and scores the result.
Sweeps and the command line use these same functions.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

import numpy as np


@dataclass
class ExperimentConfig:
    """Settings of one training run (every field has a sensible default).

    ``batch_size`` is "full" (batch gradient descent), 1 (stochastic) or a mini-batch size.
    ``lr=None`` takes the optimizer's default (see ``neuralab.optim.build_optimizer``).
    """

    dataset: str = "digits"
    target: str | None = None
    hidden: tuple[int, ...] = (256,)
    activation: str = "relu"
    optimizer: str = "adam"
    lr: float | None = None
    batch_size: int | str = 32
    epochs: int = 40
    clip: float | None = None
    batch_norm: bool = False
    dropout: float = 0.0
    seed: int = 0
    test_size: float = 0.2
    validation_split: float = 0.0
    n_samples: int | None = None
    noise: float | None = None
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["hidden"] = list(self.hidden)
        return data


@dataclass
class Task:
    """Split, standardised data and what kind of problem it is."""

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    kind: str  # "classification" or "regression"
    classes: list = field(default_factory=list)
    feature_names: list[str] = field(default_factory=list)

    @property
    def n_outputs(self) -> int:
        if self.kind == "classification":
            return 1 if len(self.classes) == 2 else len(self.classes)
        return 1 if self.y_train.ndim == 1 else self.y_train.shape[1]

    @property
    def metric(self) -> str:
        """The metric ``fit`` records: "accuracy" for classification, "mae" for regression."""
        return "accuracy" if self.kind == "classification" else "mae"

    @property
    def loss(self) -> str:
        if self.kind == "regression":
            return "mse"
        return "bce_with_logits" if self.n_outputs == 1 else "cross_entropy"


def _is_regression(y: np.ndarray) -> bool:
    """Float targets that are not all whole numbers describe a regression problem."""
    return y.dtype.kind == "f" and not np.all(y == np.round(y))


def load_data(config: ExperimentConfig) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``(X, y, feature_names)`` of the configured dataset (a built-in name or a CSV path)."""
    from . import data

    if config.dataset.endswith(".csv"):
        if not config.target:
            raise ValueError(
                f"The dataset {config.dataset!r} is a CSV file: name its label column with "
                "--target COLUMN."
            )
        X, y, names = data.load_csv(config.dataset, target=config.target,
                                    return_feature_names=True)
        return X, y, list(names)
    options = {"seed": config.seed}
    if config.n_samples is not None:
        options["n"] = config.n_samples
    if config.noise is not None:
        options["noise"] = config.noise
    X, y = data.load_dataset(config.dataset, **options)
    return X, y, [f"x{i + 1}" for i in range(X.shape[1])]


def prepare_task(config: ExperimentConfig) -> Task:
    """Load, split (stratified for classes) and standardise the data of ``config``."""
    from . import data

    X, y, names = load_data(config)
    regression = _is_regression(np.asarray(y))
    classes: list = []
    if not regression:
        y, class_array = data.encode_labels(y)
        classes = class_array.tolist()
    X_train, X_test, y_train, y_test = data.train_test_split(
        X, y, test_size=config.test_size, seed=config.seed, stratify=not regression
    )
    X_train, X_test = data.standardize(X_train, X_test)
    kind = "regression" if regression else "classification"
    return Task(X_train, X_test, y_train, y_test, kind, classes, names)


def build_model(config: ExperimentConfig, task: Task):
    """The MLP of ``config`` for ``task``: inputs -> hidden layers -> one output per class."""
    from .nn import MLP

    sizes = [task.X_train.shape[1], *config.hidden, task.n_outputs]
    return MLP(sizes, activation=config.activation, batch_norm=config.batch_norm,
               dropout=config.dropout, seed=config.seed)


@dataclass
class ExperimentResult:
    """What :func:`run_experiment` produced.

    ``scores`` has "train_accuracy"/"test_accuracy" (classification) or "train_mae"/"test_mae"
    (regression), "train_loss"/"test_loss", "epochs" trained, "seconds" and the "lr" used.
    """

    model: object
    history: object
    task: Task
    scores: dict


def train_model(config: ExperimentConfig, task: Task, *, validation_data=None, callbacks=(),
                verbose: int = 0):
    """Build the model and optimizer of ``config`` and train on ``task``'s training part.

    ``validation_data=(X_val, y_val)`` is scored after every epoch; without it the config's
    ``validation_split`` of the training part is held out. Returns ``(model, optimizer,
    history)``; raises ``TrainingDivergedError`` as ``nl.fit`` does.
    """
    from .optim import build_optimizer
    from .train import fit

    model = build_model(config, task)
    optimizer = build_optimizer(config.optimizer, model.parameters(), lr=config.lr)
    history = fit(
        model, task.X_train, task.y_train, loss=task.loss, optimizer=optimizer,
        epochs=config.epochs, batch_size=config.batch_size, metrics=(task.metric,),
        validation_data=validation_data,
        validation_split=0.0 if validation_data is not None else config.validation_split,
        clip_grad_norm=config.clip, callbacks=callbacks, verbose=verbose, seed=config.seed,
    )
    return model, optimizer, history


def run_experiment(config: ExperimentConfig, *, callbacks=(), verbose: int = 1
                   ) -> ExperimentResult:
    """Load the data, build the model, train it with ``nl.fit`` and score it on both splits."""
    from .train import evaluate

    task = prepare_task(config)
    started = time.perf_counter()
    model, optimizer, history = train_model(config, task, callbacks=callbacks, verbose=verbose)
    seconds = time.perf_counter() - started
    metric = task.metric
    train = evaluate(model, task.X_train, task.y_train, loss=task.loss, metrics=(metric,))
    test = evaluate(model, task.X_test, task.y_test, loss=task.loss, metrics=(metric,))
    scores = {
        f"train_{metric}": train[metric], f"test_{metric}": test[metric],
        "train_loss": train["loss"], "test_loss": test["loss"],
        "epochs": len(history.epoch), "seconds": seconds, "lr": optimizer.lr,
    }
    return ExperimentResult(model, history, task, scores)
