"""Preparing arrays for a network: standardising features, encoding class labels."""

from __future__ import annotations

import numpy as np

from .._config import default_dtype
from ._arrays import as_array, check_int


def _as_float(X: np.ndarray) -> np.ndarray:
    """Floats keep their dtype; integers and bools become the default float dtype."""
    return X if X.dtype.kind == "f" else X.astype(default_dtype())


class Standardizer:
    """Rescale each feature to mean 0 and standard deviation 1.

    z = (x − μ) / s, with μ the column mean and s the column's population standard deviation
    over the training rows (ddof = 0). A column that is constant has s = 0; it is divided by
    1 instead, so it becomes all zeros rather than NaN. The inverse is x = z · s + μ.

    Fit on the training data only and apply the same μ and s to validation and test data,
    so that no information about them leaks into training.

    Attributes
    ----------
    mean_ : ndarray of float64, shape X.shape[1:]
        μ, per feature.
    scale_ : ndarray of float64, shape X.shape[1:]
        s, per feature (1 for constant features).

    Examples
    --------
    >>> scaler = Standardizer().fit(X_train)
    >>> X_train_s, X_test_s = scaler.transform(X_train), scaler.transform(X_test)
    """

    def fit(self, X) -> Standardizer:
        """Learn μ and s from ``X`` (rows are samples); returns self."""
        X = as_array(X, "X")
        if X.dtype.kind not in "fiub":
            raise TypeError(
                f"Standardizer needs numeric features. Got an array of dtype {X.dtype}; "
                f"encode text columns first (e.g. with load_csv or encode_labels)."
            )
        if not np.all(np.isfinite(X)):
            raise ValueError(
                "X contains NaN or infinity; drop or fill those values before standardising."
            )
        values = X.astype(np.float64)
        self.mean_ = values.mean(axis=0)
        std = values.std(axis=0)
        # a constant column can get a rounding-error std (~1e-16 · |μ|) instead of exactly 0
        constant = std <= 10 * np.finfo(np.float64).eps * np.abs(self.mean_)
        self.scale_ = np.where(constant, 1.0, std)
        return self

    def _check_fitted(self, X) -> np.ndarray:
        if not hasattr(self, "mean_"):
            raise ValueError("This Standardizer is not fitted yet. Call fit(X_train) first.")
        X = _as_float(as_array(X, "X"))
        if X.shape[1:] != self.mean_.shape:
            raise ValueError(
                f"X has feature shape {X.shape[1:]} but the Standardizer was fitted on "
                f"{self.mean_.shape}. Pass data with the same columns as the training data."
            )
        return X

    def transform(self, X) -> np.ndarray:
        """z = (x − μ) / s, in X's float dtype (float32 for integer input)."""
        X = self._check_fitted(X)
        return ((X - self.mean_) / self.scale_).astype(X.dtype)

    def fit_transform(self, X) -> np.ndarray:
        """``fit(X)`` then ``transform(X)``."""
        return self.fit(X).transform(X)

    def inverse_transform(self, Z) -> np.ndarray:
        """x = z · s + μ: back to the original units."""
        Z = self._check_fitted(Z)
        return (Z * self.scale_ + self.mean_).astype(Z.dtype)

    def __repr__(self) -> str:
        fitted = "fitted" if hasattr(self, "mean_") else "not fitted"
        return f"Standardizer({fitted})"


def standardize(X_train, *others):
    """Standardise ``X_train`` and any other arrays with X_train's mean and scale.

    Returns
    -------
    ndarray or tuple of ndarray
        The standardised ``X_train`` alone when no others are given, else the tuple
        ``(X_train, *others)`` standardised. See :class:`Standardizer`.

    Examples
    --------
    >>> X_train, X_test = standardize(X_train, X_test)
    """
    scaler = Standardizer().fit(X_train)
    if not others:
        return scaler.transform(X_train)
    return tuple(scaler.transform(X) for X in (X_train, *others))


def encode_labels(y) -> tuple[np.ndarray, np.ndarray]:
    """Map class labels of any kind (ints, strings, bools) to codes 0 … K−1.

    Returns
    -------
    codes : ndarray of int64, shape (N,)
        ``classes[codes]`` gives back ``y``.
    classes : ndarray, shape (K,)
        The distinct labels, sorted as ``numpy.unique`` sorts them.

    Examples
    --------
    >>> encode_labels(["cat", "dog", "cat"])
    (array([0, 1, 0]), array(['cat', 'dog'], dtype='<U3'))
    """
    y = as_array(y, "y")
    if y.ndim != 1:
        raise ValueError(
            f"encode_labels expects one label per sample (a 1-D array). Got shape {y.shape}; "
            f"use y.ravel() for a single column."
        )
    classes, codes = np.unique(y, return_inverse=True)
    return codes.astype(np.int64).reshape(-1), classes


def one_hot(codes, n_classes: int | None = None) -> np.ndarray:
    """One row per code with a 1 in column ``code`` and 0 elsewhere.

    Parameters
    ----------
    codes : array_like of int, shape (N,)
        Class codes in [0, n_classes), e.g. from :func:`encode_labels`.
    n_classes : int, optional
        K, the number of columns. Defaults to ``max(codes) + 1``.

    Returns
    -------
    ndarray of the default float dtype (float32), shape (N, K)
    """
    codes = as_array(codes, "codes")
    if codes.ndim != 1 or codes.dtype.kind not in "iu":
        raise TypeError(
            f"one_hot expects a 1-D array of integer class codes. Got dtype {codes.dtype} and "
            f"shape {codes.shape}; turn labels into codes with encode_labels first."
        )
    if n_classes is None:
        n_classes = int(codes.max()) + 1
    n_classes = check_int(n_classes, "n_classes", 1)
    if codes.min() < 0 or codes.max() >= n_classes:
        raise ValueError(
            f"Class codes must lie in [0, {n_classes}). Got values from {codes.min()} to "
            f"{codes.max()}; raise n_classes or re-encode the labels."
        )
    return np.eye(n_classes, dtype=default_dtype())[codes]
