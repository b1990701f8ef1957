"""One training experiment from a handful of settings: the engine behind ``neuralab train``.

``ExperimentConfig`` names the dataset, the network and the optimiser; :func:`prepare_task`
loads and splits the data (standardising with the training statistics) and :func:`build_model`
builds the MLP. :func:`run_experiment` does both, trains with ``nl.fit`` and scores the result.
Sweeps and the command line use these same functions.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field

import numpy as np

from . import functional as F
from ._validation import (
    InvalidType,
    check_batch_size,
    check_bool,
    check_float,
    check_hidden,
    check_int,
    check_option,
    check_optional,
    check_spelling,
)
from .data.registry import DATASETS
from .optim.build import OPTIMIZERS

#: whole-number targets with more distinct values than this are taken for quantities
MAX_WHOLE_CLASSES = 20
TASKS = ("auto", "classification", "regression")


def _check_dataset(value, name: str, owner: str) -> str:
    """A name of ``data.DATASETS`` (normalised) or the path of a .csv file."""
    if isinstance(value, str) and value.endswith(".csv"):
        return value
    if not isinstance(value, str):
        raise InvalidType(name, owner, "a dataset name or the path of a .csv file", value)
    return check_spelling(value, name, owner, DATASETS)


def _fraction(low_open: bool):
    return lambda value, name, owner: check_float(value, name, owner, 0.0, 1.0,
                                                  low_open=low_open, high_open=True)


#: ExperimentConfig's settings -> the check of each: ``check(value, name, owner)`` returns the
#: value in canonical form or raises; sweep configs check their options with these too
CHECKS = {
    "dataset": _check_dataset,
    "task": lambda value, name, owner: check_option(value, name, owner, TASKS),
    "hidden": check_hidden,
    "activation": lambda value, name, owner: check_spelling(value, name, owner, F.ACTIVATIONS),
    "optimizer": lambda value, name, owner: check_spelling(value, name, owner, OPTIMIZERS),
    "lr": lambda value, name, owner: check_optional(check_float, value, name, owner, 0.0,
                                                    low_open=True),
    "batch_size": check_batch_size,
    "epochs": check_int,
    "clip": lambda value, name, owner: check_optional(check_float, value, name, owner, 0.0,
                                                      low_open=True),
    "batch_norm": check_bool,
    "dropout": _fraction(low_open=False),
    "seed": lambda value, name, owner: check_int(value, name, owner, 0),
    "test_size": _fraction(low_open=True),
    "validation_split": _fraction(low_open=False),
    "n_samples": lambda value, name, owner: check_optional(check_int, value, name, owner),
    "noise": lambda value, name, owner: check_optional(check_float, value, name, owner, 0.0),
}


@dataclass
class ExperimentConfig:
    """Settings of one training run (every field has a sensible default).

    ``batch_size`` is "full" (batch gradient descent), 1 (stochastic) or a mini-batch size.
    ``lr=None`` takes the optimizer's default (see ``neuralab.optim.build_optimizer``).
    ``activation``, ``optimizer`` and ``dataset`` are names of ``nl.functional.ACTIVATIONS``,
    ``nl.optim.OPTIMIZERS`` and ``nl.data.DATASETS`` (or a .csv path). Every setting is checked
    when the config is made (:data:`CHECKS`), so a bad one fails before any data is loaded.
    """

    dataset: str = "digits"
    target: str | None = None
    #: "auto", "classification" or "regression" (CSV datasets; see resolve_task)
    task: str = "auto"
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

    def __post_init__(self) -> None:
        for name, check in CHECKS.items():
            setattr(self, name, check(getattr(self, name), name, "ExperimentConfig"))

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
    #: how table rows become X before standardisation (see neuralab.data.TableEncoder)
    encoder: object = None
    #: the standardisation of X: mean and scale of the training features
    mean: np.ndarray | None = None
    scale: np.ndarray | None = None
    target: str = "label"
    #: regression: y_train and y_test are (y - target_mean) / target_scale
    target_mean: float = 0.0
    target_scale: float = 1.0
    #: what was decided about the data (the task, dropped columns), for the user to read
    notes: list[str] = field(default_factory=list)

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


def _plain(value):
    """A NumPy scalar as the Python value (for messages)."""
    return value.item() if isinstance(value, np.generic) else value


def resolve_task(y: np.ndarray, requested: str, name: str) -> tuple[str, str]:
    """``(kind, why)``: "classification" or "regression" for the target ``y``, and a sentence
    saying how it was decided.

    With ``requested="auto"``: text and True/False labels are classes; numbers that are not all
    whole are a quantity (regression); whole numbers are classes when there are at most
    ``MAX_WHOLE_CLASSES`` distinct values (0/1, ratings), else a quantity (a price, a count).

    Raises
    ------
    ValueError
        An unknown ``requested``, regression of text labels, or a target with one value.
    """
    if requested not in TASKS:
        raise ValueError(f"task must be one of {', '.join(TASKS)}. Got {requested!r} instead.")
    distinct = np.unique(y)
    if len(distinct) < 2:
        raise ValueError(
            f"The target {name!r} has the same value ({_plain(distinct[0])!r}) in all {len(y)} "
            "rows: there is nothing to learn. Check that it names the right column."
        )
    numeric = y.dtype.kind in "iuf"
    if requested == "regression" and not numeric:
        raise ValueError(
            f"The target {name!r} holds labels such as {_plain(distinct[0])!r}, not numbers: it "
            "cannot be predicted by regression. Use --task classification (or auto)."
        )
    if requested != "auto":
        return requested, f"task: {requested} of {name!r} (as asked)"
    whole = numeric and bool(np.all(y == np.round(y)))
    if not numeric:
        return "classification", f"task: classification of {name!r} (labels)"
    if not whole:
        return "regression", f"task: regression of {name!r} (numbers that are not whole)"
    if len(distinct) <= MAX_WHOLE_CLASSES:
        return "classification", (
            f"task: classification of {name!r} ({len(distinct)} distinct whole numbers, at most "
            f"{MAX_WHOLE_CLASSES}: taken for classes; --task regression predicts them as "
            "numbers)")
    return "regression", (
        f"task: regression of {name!r} ({len(distinct)} distinct whole numbers, more than "
        f"{MAX_WHOLE_CLASSES}: taken for a quantity; --task classification predicts them as "
        "classes)")


def load_data(config: ExperimentConfig):
    """``(X, y, encoder)`` of the configured dataset (a built-in name or a CSV path); the
    fitted ``TableEncoder`` says how the rows became X."""
    from . import data
    from .data.encoding import TableEncoder
    from .data.tabular import csv_table

    if config.dataset.endswith(".csv"):
        if not config.target:
            raise ValueError(
                f"The dataset {config.dataset!r} is a CSV file: name its label column with "
                "--target COLUMN."
            )
        return csv_table(config.dataset, config.target)
    options = {"seed": config.seed}
    if config.n_samples is not None:
        options["n"] = config.n_samples
    if config.noise is not None:
        options["noise"] = config.noise
    X, y = data.load_dataset(config.dataset, **options)
    return X, y, TableEncoder.numbers([f"x{i + 1}" for i in range(X.shape[1])])


def prepare_task(config: ExperimentConfig) -> Task:
    """Load, split (stratified for classes) and standardise the data of ``config``.

    For regression the target is standardised too (with the training part's mean and scale),
    so that a price in the thousands trains as well as a number near 1.
    """
    from . import data

    X, y, encoder = load_data(config)
    csv = config.dataset.endswith(".csv")
    target = config.target if csv else "label"
    # the built-in datasets are classification problems unless asked otherwise
    requested = config.task if csv or config.task != "auto" else "classification"
    kind, why = resolve_task(np.asarray(y), requested, target)
    classes: list = []
    notes = [why, *encoder.dropped_messages()]
    stratify = kind == "classification"
    if stratify:
        y, class_array = data.encode_labels(y)
        classes = class_array.tolist()
        if np.bincount(y).min() < 2:
            stratify = False
            notes.append("some classes have a single row, so the test split is not stratified")
    else:
        y = np.asarray(y, dtype=X.dtype)
    X_train, X_test, y_train, y_test = data.train_test_split(
        X, y, test_size=config.test_size, seed=config.seed, stratify=stratify
    )
    scaler = data.Standardizer().fit(X_train)
    task = Task(scaler.transform(X_train), scaler.transform(X_test), y_train, y_test, kind,
                classes, encoder.feature_names_, encoder=encoder, mean=scaler.mean_,
                scale=scaler.scale_, target=target)
    if kind == "regression":
        target_scaler = data.Standardizer().fit(y_train)
        task.y_train, task.y_test = (target_scaler.transform(part) for part in (y_train, y_test))
        task.target_mean, task.target_scale = float(target_scaler.mean_), float(
            target_scaler.scale_)
    if csv:
        task.notes = notes
    return task


def check_combination(config: ExperimentConfig) -> None:
    """Refuse settings that cannot train together, before any data is loaded.

    Raises
    ------
    ValueError
        For batch normalisation with ``batch_size=1``: the variance of one sample is undefined,
        so every batch of stochastic gradient descent would fail.
    """
    if config.batch_norm and config.batch_size == 1:
        raise ValueError(
            "batch_norm needs at least 2 samples per batch (the variance of one sample is "
            "undefined), so it cannot be combined with batch_size 1 (stochastic GD). Use a "
            "mini-batch size >= 2, or turn batch norm off."
        )


def fit_rows(config: ExperimentConfig, task: Task, validation_data=None) -> int:
    """How many rows ``fit`` trains on: the training part less ``validation_split``'s share
    (``fit`` holds out ⌈split · N⌉ rows)."""
    n_train = len(task.X_train)
    if validation_data is not None or config.validation_split <= 0:
        return n_train
    return n_train - math.ceil(config.validation_split * n_train)


def drops_last_batch(config: ExperimentConfig, n_rows: int) -> bool:
    """Whether batch norm would meet a last mini-batch of one sample among ``n_rows``: such
    a batch cannot be normalised, so training skips it (a different row each epoch)."""
    return (config.batch_norm and isinstance(config.batch_size, int)
            and 1 < config.batch_size < n_rows and n_rows % config.batch_size == 1)


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

    def predictor(self):
        """The trained model with the task's preprocessing, as ``nl.save`` writes it for
        ``neuralab predict`` (see :class:`neuralab.Predictor`)."""
        from .predictor import Predictor

        task = self.task
        return Predictor(self.model, task.encoder, task.mean, task.scale, task.kind,
                         task.classes or None, target=task.target,
                         target_mean=task.target_mean, target_scale=task.target_scale)


def train_model(config: ExperimentConfig, task: Task, *, validation_data=None, callbacks=(),
                verbose: int = 0):
    """Build the model and optimizer of ``config`` and train on ``task``'s training part.

    ``validation_data=(X_val, y_val)`` is scored after every epoch; without it the config's
    ``validation_split`` of the training part is held out. With batch norm, a last mini-batch
    of one sample is skipped each epoch (see :func:`drops_last_batch`). Returns ``(model,
    optimizer, history)``; raises ValueError for settings :func:`check_combination` refuses
    and ``TrainingDivergedError`` as ``nl.fit`` does.
    """
    from .optim import build_optimizer
    from .train import fit

    check_combination(config)
    model = build_model(config, task)
    optimizer = build_optimizer(config.optimizer, model.parameters(), lr=config.lr)
    drop_last = drops_last_batch(config, fit_rows(config, task, validation_data))
    history = fit(
        model, task.X_train, task.y_train, loss=task.loss, optimizer=optimizer,
        epochs=config.epochs, batch_size=config.batch_size, metrics=(task.metric,),
        validation_data=validation_data,
        validation_split=0.0 if validation_data is not None else config.validation_split,
        clip_grad_norm=config.clip, callbacks=callbacks, verbose=verbose, seed=config.seed,
        drop_last=drop_last,
    )
    return model, optimizer, history


def run_experiment(config: ExperimentConfig, *, task: Task | None = None, callbacks=(),
                   verbose: int = 1) -> ExperimentResult:
    """Load the data (unless ``task`` is the prepared data already), build the model, train it
    with ``nl.fit`` and score it on both splits.

    Regression errors ("mae") are in the target's units; the losses are those of training
    (on the standardised target for regression).
    """
    from .train import evaluate

    task = prepare_task(config) if task is None else task
    started = time.perf_counter()
    model, optimizer, history = train_model(config, task, callbacks=callbacks, verbose=verbose)
    seconds = time.perf_counter() - started
    metric = task.metric
    train = evaluate(model, task.X_train, task.y_train, loss=task.loss, metrics=(metric,))
    test = evaluate(model, task.X_test, task.y_test, loss=task.loss, metrics=(metric,))
    unit = task.target_scale if task.kind == "regression" else 1.0
    scores = {
        f"train_{metric}": train[metric] * unit, f"test_{metric}": test[metric] * unit,
        "train_loss": train["loss"], "test_loss": test["loss"],
        "epochs": len(history.epoch), "seconds": seconds, "lr": optimizer.lr,
    }
    return ExperimentResult(model, history, task, scores)
