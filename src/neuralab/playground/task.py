"""The data of a playground run: points from :mod:`neuralab.data`, split, and the view square."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import data
from .config import PlaygroundConfig
from .features import feature_matrix


@dataclass
class Task:
    """Points (2-D coordinates), labels in {0, 1}, and their network inputs.

    ``extent`` is the square [lo, hi]² shown in the page: it holds every point with a margin.
    For a logic gate the four truth-table rows are both the training and the test set.
    """

    points_train: np.ndarray
    points_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    X_train: np.ndarray
    X_test: np.ndarray
    extent: tuple[float, float]

    def to_dict(self) -> dict:
        """Points as [x1, x2, label] rows, rounded for the page."""
        def rows(points, labels):
            return [[round(float(a), 4), round(float(b), 4), int(c)]
                    for (a, b), c in zip(points, labels, strict=True)]

        return {"train": rows(self.points_train, self.y_train),
                "test": rows(self.points_test, self.y_test),
                "extent": list(self.extent)}


def _extent(points: np.ndarray) -> tuple[float, float]:
    """A square around the points: [lo, hi] on both axes, rounded out to halves."""
    lo = math.floor(2 * (float(points.min()) - 0.25)) / 2
    hi = math.ceil(2 * (float(points.max()) + 0.25)) / 2
    return (lo, hi)


def make_task(config: PlaygroundConfig) -> Task:
    """Load the configured dataset, split it and compute the input features."""
    if config.is_gate:
        points, y = data.load_dataset(config.dataset)
        points_train = points_test = points
        y_train = y_test = y
    else:
        points, y = data.load_dataset(config.dataset, n=config.points, noise=config.noise,
                                      seed=config.seed)
        points_train, points_test, y_train, y_test = data.train_test_split(
            points, y, test_size=1 - config.train_ratio / 100, seed=config.seed, stratify=True
        )
    return Task(
        points_train=points_train, points_test=points_test,
        y_train=y_train.astype(np.float32), y_test=y_test.astype(np.float32),
        X_train=feature_matrix(points_train, config.features),
        X_test=feature_matrix(points_test, config.features),
        extent=_extent(np.concatenate([points_train, points_test])),
    )
