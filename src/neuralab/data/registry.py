"""One name -> dataset registry for the command line, the playground and sweeps."""

from __future__ import annotations

import functools
import inspect
import os

from .._vocabulary import Entry, Vocabulary
from .benchmarks import load_digits, mnist1d
from .gates import GATE_NAMES, gates, half_adder
from .synthetic import circles, gaussians, moons, spiral, xor
from .tabular import load_csv

MNIST1D_SPLITS = ("train", "test")


def _mnist1d_split(split: str = "train", cache_dir=None, regenerate: bool = False):
    """One part of MNIST-1D as ``(X, y)``: "train" (4000 rows) or "test" (1000 rows)."""
    if split not in MNIST1D_SPLITS:
        raise ValueError(f"split must be 'train' or 'test' for mnist1d. Got {split!r} instead.")
    train, test = mnist1d(cache_dir=cache_dir, regenerate=regenerate)
    return train if split == "train" else test


def _gate(name: str) -> Entry:
    return Entry(name, functools.partial(gates, name), f"{name.upper()} gate",
                 group="truth table")


#: the built-in datasets by name: their loaders, in groups "table" (real data), "2-D" (the
#: teaching sets) and "truth table"; a path ending in ".csv" works wherever a name does
DATASETS: Vocabulary = Vocabulary("dataset", [
    Entry("digits", load_digits, "8x8 digits", group="table"),
    Entry("mnist1d", _mnist1d_split, "MNIST-1D", group="table"),
    Entry("xor", xor, "XOR quadrants", group="2-D"),
    Entry("moons", moons, "Moons", group="2-D"),
    Entry("circles", circles, "Circles", group="2-D"),
    Entry("spiral", spiral, "Spiral", group="2-D"),
    Entry("gaussians", gaussians, "Two Gaussians", group="2-D"),
    *(_gate(gate) for gate in GATE_NAMES if gate != "xor"),
    # "xor" is the 2-D quadrant set above; the 4-row truth table gets its own name
    Entry("xor_gate", functools.partial(gates, "xor"), "XOR gate", group="truth table"),
    Entry("half_adder", half_adder, "Half adder", group="truth table"),
], hint=", or a path to a .csv file")

#: every name :func:`load_dataset` knows (a path ending in ".csv" works too)
DATASET_NAMES = DATASETS.names
#: the 2-D teaching sets of :mod:`.synthetic`, whose size ``n`` and ``noise`` can be chosen
SYNTHETIC_NAMES = DATASETS.group("2-D")


def _is_csv(name) -> bool:
    return isinstance(name, os.PathLike) or str(name).lower().endswith(".csv")


def load_dataset(name, **kwargs):
    """Load a dataset by name as ``(X, y)``.

    ==============================  ===============================================  =========
    name                            what                                             options
    ==============================  ===============================================  =========
    "digits"                        scikit-learn's 8x8 digits (1797, 64), 10 classes
    "mnist1d"                       MNIST-1D, **the training part** (4000, 40);      split,
                                    ``split="test"`` gives the 1000 test rows        cache_dir
    "xor", "moons", "circles",      2-D teaching sets (:mod:`.synthetic`)            n, noise,
    "spiral", "gaussians"                                                            seed ...
    "and", "or", "nand", "nor",     logic-gate truth tables (:func:`gates`)
    "xnor", "not", "xor_gate"
    "half_adder"                    the half adder, y = [sum, carry]
    "path/to/file.csv"              a CSV table (:func:`load_csv`)                   target=
    ==============================  ===============================================  =========

    The name "xor" is the noisy 2-D quadrant set; the 4-row XOR truth table is "xor_gate"
    (the same as ``gates("xor")``).

    Parameters
    ----------
    name : str or path
        One of :data:`DATASET_NAMES` (any case), or a path ending in ".csv".
    **kwargs
        Passed to the loader. ``seed`` and ``rng`` are accepted by every name, so callers can
        pass them uniformly; the fixed datasets (digits, mnist1d, gates, half_adder, CSV files)
        ignore them.

    Returns
    -------
    X, y : ndarray
        As the loader returns them (X float32; y int64 labels, or what the CSV's target holds).

    Raises
    ------
    ValueError
        For an unknown name (the message lists the known ones).
    TypeError
        For an option the dataset does not take (the message lists those it does), or a CSV
        without ``target=``.
    """
    if _is_csv(name):
        options = {key: value for key, value in kwargs.items() if key not in ("seed", "rng")}
        if "target" not in options:
            raise TypeError(
                f"Loading the CSV file {str(name)!r} needs the target column: "
                f"load_dataset({str(name)!r}, target='column_name')."
            )
        return load_csv(name, **options)
    key = DATASETS.key(name)
    loader = DATASETS[key]
    accepted = inspect.signature(loader).parameters
    options = {
        option: value
        for option, value in kwargs.items()
        if option in accepted or option not in ("seed", "rng")
    }
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        allowed = ", ".join(accepted) or "no options"
        raise TypeError(
            f"Dataset {key!r} does not take the option(s) {', '.join(unknown)}. "
            f"It accepts: {allowed}."
        )
    return loader(**options)
