"""Small real benchmark datasets: scikit-learn's 8x8 digits and MNIST-1D (made locally)."""

from __future__ import annotations

import contextlib
import io
import random
import warnings
import zipfile

import numpy as np

from .._optional import require
from ._cache import cache_dir as resolve_cache_dir
from ._cache import save_npz_atomic

MNIST1D_FILE = "mnist1d.npz"
#: the arrays stored in the cache, with their shapes
_MNIST1D_SHAPES = {
    "X_train": (4000, 40),
    "y_train": (4000,),
    "X_test": (1000, 40),
    "y_test": (1000,),
}


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled handwritten digits: 1797 images of 8x8 pixels, 10 classes.

    Read from the copy that ships with scikit-learn (no download).

    Returns
    -------
    X : ndarray of float32, shape (1797, 64)
        Pixel intensities, raw values 0 … 16 (standardise or divide by 16 before training).
    y : ndarray of int64, shape (1797,)
        The digit shown, 0 … 9.
    """
    datasets = require("sklearn.datasets", install="scikit-learn", purpose="load_digits()")
    X, y = datasets.load_digits(return_X_y=True)
    return X.astype(np.float32), y.astype(np.int64)


def _generate_mnist1d() -> dict[str, np.ndarray]:
    """Run the mnist1d package's generator with its default arguments (seed 42), quietly.

    The generator seeds numpy's and Python's global random state; both are restored after, so
    calling this does not change any other random numbers in the program.
    """
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        generator = require("mnist1d.data", install="mnist1d", purpose="mnist1d()")
        saved = random.getstate(), np.random.get_state()
        try:
            dataset = generator.make_dataset(generator.get_dataset_args())
        finally:
            random.setstate(saved[0])
            np.random.set_state(saved[1])
    return {
        "X_train": dataset["x"].astype(np.float32),
        "y_train": dataset["y"].astype(np.int64),
        "X_test": dataset["x_test"].astype(np.float32),
        "y_test": dataset["y_test"].astype(np.int64),
    }


def _read_mnist1d_cache(path) -> dict[str, np.ndarray] | None:
    """The cached arrays, or None (with a warning if a file exists but is unusable)."""
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in _MNIST1D_SHAPES}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        problem = f"it could not be read ({error})"
    else:
        shapes = {name: array.shape for name, array in arrays.items()}
        if shapes == _MNIST1D_SHAPES:
            return arrays
        problem = f"its arrays have shapes {shapes}, expected {_MNIST1D_SHAPES}"
    warnings.warn(f"Ignoring the MNIST-1D cache {path}: {problem}. Regenerating it.", stacklevel=3)
    return None


def mnist1d(cache_dir=None, regenerate: bool = False):
    """The MNIST-1D benchmark: 1-D signals of 40 values, 10 classes, 4000 train / 1000 test.

    Each class is a hand-drawn 1-D template of a digit, randomly padded, translated, scaled,
    sheared and blurred with correlated and white noise (Greydanus, 2020). It is small enough
    to train on a CPU in seconds yet, unlike the 8x8 digits, separates MLPs from linear models.

    The arrays are generated locally by the ``mnist1d`` package (its default arguments,
    seed 42, about a second; nothing is downloaded) and cached as ``mnist1d.npz``; later calls
    read the cache.

    Parameters
    ----------
    cache_dir : str or Path, optional
        Folder of the cache. Default: ``$NEURALAB_CACHE_DIR``, else
        ``$XDG_CACHE_HOME/neuralab``, else ``~/.cache/neuralab``.
    regenerate : bool, default False
        Make the data again and overwrite the cache.

    Returns
    -------
    (X_train, y_train), (X_test, y_test)
        X float32 of shape (4000, 40) and (1000, 40), standardised over the whole set by the
        generator; y int64 in 0 … 9, about 10% per class.
    """
    path = resolve_cache_dir(cache_dir) / MNIST1D_FILE
    arrays = None if regenerate else _read_mnist1d_cache(path)
    if arrays is None:
        arrays = _generate_mnist1d()
        save_npz_atomic(path, arrays)
    return (arrays["X_train"], arrays["y_train"]), (arrays["X_test"], arrays["y_test"])
