"""Input checks run before training starts, so that bad data fails fast and the model stays as
it was. Each error says what was found, where, and how to fix it."""

from __future__ import annotations

import numpy as np

from .._config import STATE
from ..autograd.tensor import _as_array


def as_array(values, name: str) -> np.ndarray:
    """``values`` (array, list, Tensor or DataFrame) as an ndarray, without copying arrays."""
    data = getattr(values, "data", values) if type(values).__name__ == "Tensor" else values
    if hasattr(data, "to_numpy"):  # pandas objects
        data = data.to_numpy()
    array = np.asarray(data)
    if array.dtype == object:
        raise ValueError(f"{name} holds Python objects (mixed types?); pass numbers only.")
    return array


def check_features(X, name: str = "X") -> np.ndarray:
    """A 2-D array of samples × features, free of NaN and infinity.

    The features come back in the default float dtype (float32 unless ``nl.config`` says
    otherwise), converted once here instead of at every batch; integer and boolean features
    too, which would otherwise meet float32 weights as int64 and turn the model's arithmetic
    into float64. A scipy.sparse X stays sparse, as CSR rows of that dtype.
    """
    if type(X).__module__.startswith("scipy.sparse"):
        return _sparse_features(X, name)
    X = as_array(X, name)
    if X.size == 0 or len(X) == 0:
        raise ValueError(f"{name} is empty: training needs at least one sample.")
    if X.ndim == 1:
        raise ValueError(
            f"{name} is 1-D (shape {X.shape}); fit needs samples × features. Use "
            f"{name}.reshape(-1, 1) for a single feature or {name}.reshape(1, -1) for one sample."
        )
    if X.dtype.kind not in "fiub":
        raise ValueError(f"{name} has dtype {X.dtype}; features must be numbers.")
    if X.dtype.kind == "f":
        bad = ~np.isfinite(X)
        if bad.any():
            row, col = (int(i) for i in np.argwhere(bad)[0][:2])
            kind = "NaN" if np.isnan(X[np.nonzero(bad)][0]) else "infinity"
            raise ValueError(
                f"{name} contains {int(bad.sum())} NaN or infinite value(s), the first ({kind}) "
                f"at row {row}, column {col}. Remove or impute them (e.g. "
                "sklearn.impute.SimpleImputer) before training."
            )
    return _as_array(X) if X.dtype.kind == "f" else X.astype(STATE.default_dtype)


def _sparse_features(X, name: str):
    """A scipy.sparse X as CSR rows of the default float dtype (kept sparse: the first linear
    layer multiplies it as it is), its stored values checked to be finite."""
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(
            f"{name} is a sparse matrix of shape {X.shape}; fit needs at least one sample and "
            "one feature (samples × features)."
        )
    if X.dtype.kind not in "fiub":
        raise ValueError(f"{name} has dtype {X.dtype}; features must be numbers.")
    rows = _as_array(X)
    if not np.all(np.isfinite(rows.data)):
        raise ValueError(
            f"{name} contains NaN or infinite values among its stored entries. Remove or impute "
            "them before training."
        )
    return rows


def check_targets(y, n_samples: int, name: str = "y") -> np.ndarray:
    """Targets with one entry per sample, free of NaN and infinity."""
    y = as_array(y, name)
    if y.ndim == 0:
        raise ValueError(f"{name} is a single number; give one target per sample.")
    if len(y) != n_samples:
        raise ValueError(
            f"X has {n_samples} samples but {name} has {len(y)} targets: they must match one to "
            "one."
        )
    if y.dtype.kind == "f" and not np.all(np.isfinite(y)):
        raise ValueError(f"{name} contains NaN or infinity; remove those samples first.")
    return y


def check_sample_weight(sample_weight, n_samples: int, name: str = "sample_weight") -> np.ndarray:
    """One finite weight >= 0 per sample, not all zero, as float64 scaled to mean 1.

    Scaling leaves every weighted mean Σ w_i l_i / Σ w_i unchanged; with mean-1 weights that
    mean is simply (1/N) Σ w_i l_i, so weighted and unweighted losses share one scale.
    """
    w = as_array(sample_weight, name)
    if w.ndim != 1 or len(w) != n_samples:
        raise ValueError(
            f"{name} must have one weight per sample, shape ({n_samples},). Got shape {w.shape} "
            "instead."
        )
    if w.dtype.kind not in "fiub":
        raise ValueError(f"{name} has dtype {w.dtype}; weights must be numbers.")
    w = w.astype(np.float64)
    if not np.all(np.isfinite(w)) or w.min() < 0:
        raise ValueError(
            f"{name} must hold finite weights >= 0. Got values from {w.min():g} to {w.max():g}."
        )
    if not w.any():
        raise ValueError(f"{name} is all zeros: at least one sample needs a positive weight.")
    return w / w.mean()
