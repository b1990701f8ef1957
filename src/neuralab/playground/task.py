"""The data of a playground run: its points and targets, split, and the square the page shows.

Points come from :mod:`neuralab.data` (classification sets), from a regression target of
:data:`~.catalogue.REGRESSION_TARGETS`, or from the configuration itself (the learner's own
data). "Export as Python" writes the same steps into its script (see :mod:`.export`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .. import data
from .catalogue import DATASETS, REGRESSION_TARGETS
from .config import PlaygroundConfig
from .features import evaluate_expression, feature_matrix

#: the regression targets, compiled once (module constants, never text from a page)
_TARGETS = {name: compile(expression, f"<target {name}>", "eval")
            for name, expression in REGRESSION_TARGETS.items()}


@dataclass
class Task:
    """Points (2-D coordinates), targets, and their network inputs.

    ``y`` holds class numbers (int64) for classification and values (float32) for regression.
    ``extent`` is the square [lo, hi]² shown in the page: it holds every point with a margin.
    ``scale`` is the largest |target| of a regression task (the colour scale of the page), 1
    otherwise. For a logic gate the four truth-table rows are both the training and the test
    set.
    """

    problem: str
    points_train: np.ndarray
    points_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    X_train: np.ndarray
    X_test: np.ndarray
    extent: tuple[float, float]
    classes: list[str] = field(default_factory=list)
    scale: float = 1.0

    def to_dict(self) -> dict:
        """Points as [x1, x2, target] rows, rounded for the page, and how to colour them."""
        def rows(points, targets):
            return [[round(float(a), 4), round(float(b), 4),
                     round(float(t), 4) if self.problem == "regression" else int(t)]
                    for (a, b), t in zip(points, targets, strict=True)]

        return {"train": rows(self.points_train, self.y_train),
                "test": rows(self.points_test, self.y_test),
                "extent": list(self.extent), "problem": self.problem,
                "classes": self.classes, "scale": self.scale}


def _extent(points: np.ndarray) -> tuple[float, float]:
    """A square around the points: [lo, hi] on both axes, rounded out to halves."""
    lo = math.floor(2 * (float(points.min()) - 0.25)) / 2
    hi = math.ceil(2 * (float(points.max()) + 0.25)) / 2
    return (lo, hi)


def _custom_extent(points: np.ndarray) -> tuple[float, float]:
    """The learner's own data: a square centred on 0, at least [-1.5, 1.5]², so that drawing
    a point inside the view never moves the view."""
    reach = max(1.5, math.ceil(2 * (float(np.abs(points).max()) + 0.1)) / 2)
    return (-reach, reach)


def regression_points(target: str, n: int, noise: float, seed: int):
    """``n`` points uniform in [-1, 1]² and their targets t(x1, x2) + Gaussian noise."""
    rng = np.random.default_rng(seed)
    points = rng.uniform(-1.0, 1.0, size=(n, 2)).astype(np.float32)
    x1, x2 = points[:, 0], points[:, 1]
    y = (evaluate_expression(_TARGETS[target], x1, x2)
         + rng.normal(0.0, noise, size=n)).astype(np.float32)
    return points, y


def custom_points(config: PlaygroundConfig):
    """The learner's own points: coordinates float32, targets int64 classes or float32."""
    table = np.array(config.custom_points, dtype=np.float32)
    points, y = table[:, :2], table[:, 2]
    return points, (y if config.problem == "regression" else y.astype(np.int64))


def load_points(config: PlaygroundConfig):
    """All points of the configured dataset, before the split: ``(points, y)``."""
    if config.dataset == "custom":
        return custom_points(config)
    if config.dataset in REGRESSION_TARGETS:
        return regression_points(config.dataset, config.points, config.noise, config.seed)
    dataset = DATASETS[config.dataset]
    if dataset.fixed:
        return data.load_dataset(dataset.source)
    return data.load_dataset(dataset.source, n=config.points, noise=config.noise,
                             seed=config.seed, **dataset.options)


def held_out_share(config: PlaygroundConfig) -> float:
    """The fraction of the points held out for testing (an exact decimal, e.g. 0.3)."""
    return (100 - config.train_ratio) / 100


def class_names(config: PlaygroundConfig) -> list[str]:
    """Names of the classes: the CSV's label values, else "class 0", "class 1", …"""
    names = list(config.custom_classes)
    return names + [f"class {k}" for k in range(len(names), config.n_classes)]


def make_task(config: PlaygroundConfig) -> Task:
    """Load the configured dataset, split it and compute the input features."""
    points, y = load_points(config)
    regression = config.problem == "regression"
    if config.is_gate:
        points_train = points_test = points
        y_train = y_test = y
    else:
        points_train, points_test, y_train, y_test = data.train_test_split(
            points, y, test_size=held_out_share(config), seed=config.seed, stratify=not regression)
    everything = np.concatenate([points_train, points_test])
    scale = float(np.max(np.abs(y))) if regression else 1.0
    return Task(
        problem=config.problem,
        points_train=points_train, points_test=points_test,
        y_train=y_train.astype(np.float32 if regression else np.int64),
        y_test=y_test.astype(np.float32 if regression else np.int64),
        X_train=feature_matrix(points_train, config.features),
        X_test=feature_matrix(points_test, config.features),
        extent=_custom_extent(everything) if config.dataset == "custom" else _extent(everything),
        classes=[] if regression else class_names(config),
        scale=max(scale, 1e-6),
    )
