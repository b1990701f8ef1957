"""Input checks shared by the data package: turn what a user passes into numpy arrays."""

from __future__ import annotations

import numbers

import numpy as np

from ..autograd import Tensor


def as_array(value, name: str) -> np.ndarray:
    """``value`` (ndarray, list or Tensor) as a non-empty numpy array with a sample axis.

    The dtype is kept as given; a Tensor contributes its ``.data`` (no copy). A scipy.sparse
    matrix is kept as it is (it has rows, but no ``len()``: count them with ``shape[0]``).

    Raises
    ------
    ValueError
        If ``value`` is a scalar or holds no samples.
    """
    if type(value).__module__.startswith("scipy.sparse"):
        array = value
    else:
        array = value.data if isinstance(value, Tensor) else np.asarray(value)
    if array.ndim == 0:
        raise ValueError(
            f"{name} must be an array of samples (one row per sample). Got the scalar {value!r}."
        )
    if array.shape[0] == 0:
        raise ValueError(f"{name} is empty: it has no samples. Pass at least one row.")
    return array


def check_same_length(X: np.ndarray, y: np.ndarray) -> None:
    """Raise a ValueError unless ``X`` and ``y`` hold the same number of samples."""
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X and y must have the same number of samples. Got {X.shape[0]} rows in X and "
            f"{y.shape[0]} in y."
        )


def check_int(value, name: str, minimum: int) -> int:
    """``value`` as an int if it is an integer (not a bool) >= ``minimum``; else a clear error."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}. Got {value!r} instead.")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}. Got {value!r} instead.")
    return int(value)
