"""Hold out a test set: a seeded, optionally stratified train/test split."""

from __future__ import annotations

import math
import numbers

import numpy as np

from .._config import get_rng
from ._arrays import as_array, check_same_length


def _stratified_test_counts(counts: np.ndarray, n_test: int) -> np.ndarray:
    """Test rows per class, proportional to the class counts and summing to ``n_test``.

    Each class k gets ⌊n_test · c_k / N⌋ rows; the rows left over go to the classes with the
    largest remainders (ties to the lower class index), so proportions are kept to within one.
    """
    exact = n_test * counts / counts.sum()
    test_counts = np.floor(exact).astype(np.int64)
    leftover = n_test - int(test_counts.sum())
    by_remainder = np.argsort(-(exact - test_counts), kind="stable")
    test_counts[by_remainder[:leftover]] += 1
    return test_counts


def _stratified_test_rows(y: np.ndarray, n_test: int, rng: np.random.Generator) -> np.ndarray:
    """Pick the test rows class by class (see :func:`_stratified_test_counts`)."""
    if y.ndim != 1:
        raise ValueError(
            f"stratify=True needs y to be one class label per sample (1-D). Got shape {y.shape}."
        )
    classes, codes, counts = np.unique(y, return_inverse=True, return_counts=True)
    if counts.min() < 2:
        rare = classes[np.argmin(counts)]
        raise ValueError(
            f"Class {rare!r} has only 1 sample, so it cannot appear in both splits. "
            f"Use stratify=False or collect more samples of that class."
        )
    n_classes = len(classes)
    n_train = len(y) - n_test
    if min(n_test, n_train) < n_classes:
        raise ValueError(
            f"A stratified split needs every one of the {n_classes} classes in both parts, but "
            f"it gives {n_train} train and {n_test} test rows. Choose a test_size that leaves "
            f"at least {n_classes} rows on each side, or use stratify=False."
        )
    per_class = _stratified_test_counts(counts, n_test)
    rows = [
        rng.permutation(np.flatnonzero(codes == k))[:count] for k, count in enumerate(per_class)
    ]
    return np.concatenate(rows)


def train_test_split(X, y, test_size: float = 0.25, seed=None, rng=None, stratify=False):
    """Split ``X`` and ``y`` at random into a training part and a held-out test part.

    The test part has ⌈test_size · N⌉ rows, the training part the rest; both are in random
    order.

    Parameters
    ----------
    X : array_like or Tensor, shape (N, ...)
        Inputs, one row per sample.
    y : array_like or Tensor, shape (N, ...)
        Targets.
    test_size : float, default 0.25
        The fraction of rows held out, strictly between 0 and 1.
    seed : int, optional
        Seed: the same seed gives the same split.
    rng : numpy.random.Generator, optional
        Draw from this generator instead.
    stratify : bool, default False
        Keep each class's share of ``y`` (1-D class labels) the same in both parts, to within
        one row per class.

    Returns
    -------
    X_train, X_test, y_train, y_test : ndarray
        In scikit-learn's order, dtypes kept.

    Raises
    ------
    ValueError
        If ``test_size`` is not in (0, 1), a part would be empty, or (with ``stratify``) a
        class could not appear in both parts.
    """
    X = as_array(X, "X")
    y = as_array(y, "y")
    check_same_length(X, y)
    if (
        isinstance(test_size, bool)
        or not isinstance(test_size, numbers.Real)
        or not 0 < test_size < 1
    ):
        raise ValueError(
            f"test_size must be a fraction strictly between 0 and 1 (e.g. 0.25). "
            f"Got {test_size!r} instead."
        )
    n_samples = len(X)
    n_test = math.ceil(test_size * n_samples)
    if n_test >= n_samples:
        raise ValueError(
            f"test_size={test_size} of {n_samples} samples leaves no training rows. "
            f"Use a smaller test_size or more data."
        )
    generator = get_rng(seed, rng)
    if stratify:
        test_rows = generator.permutation(_stratified_test_rows(y, n_test, generator))
        is_test = np.zeros(n_samples, dtype=bool)
        is_test[test_rows] = True
        train_rows = generator.permutation(np.flatnonzero(~is_test))
    else:
        order = generator.permutation(n_samples)
        test_rows, train_rows = order[:n_test], order[n_test:]
    return X[train_rows], X[test_rows], y[train_rows], y[test_rows]
