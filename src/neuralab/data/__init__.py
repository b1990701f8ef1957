"""Data for neuralab: datasets, batching and preprocessing.

- :class:`DataLoader` yields batches for batch (``batch_size="full"``), stochastic (``1``) and
  mini-batch (``n``) gradient descent.
- :func:`train_test_split`, :class:`Standardizer` / :func:`standardize`,
  :func:`encode_labels` / :func:`one_hot` prepare arrays.
- Datasets: the course's logic gates (:func:`gates`, :func:`half_adder`), 2-D teaching sets
  (:func:`circles`, :func:`xor`, :func:`gaussians`, :func:`spiral`, :func:`moons`), real
  benchmarks (:func:`load_digits`, :func:`mnist1d`), tables (:func:`load_csv`,
  :func:`from_dataframe`, :class:`TableEncoder` to encode new rows the same way), and
  :func:`load_dataset` to get any of them by name.

Pure NumPy at import; scikit-learn, pandas and mnist1d are imported only by the functions that
need them.
"""

from .benchmarks import load_digits, mnist1d
from .encoding import DroppedColumnWarning, TableEncoder
from .gates import GATE_NAMES, gates, half_adder
from .loader import DataLoader
from .preprocessing import Standardizer, encode_labels, one_hot, standardize
from .registry import DATASET_NAMES, DATASETS, load_dataset
from .split import train_test_split
from .synthetic import circles, gaussians, moons, spiral, xor
from .tabular import from_dataframe, load_csv

__all__ = [
    "DATASETS",
    "DATASET_NAMES",
    "GATE_NAMES",
    "DataLoader",
    "DroppedColumnWarning",
    "Standardizer",
    "TableEncoder",
    "circles",
    "encode_labels",
    "from_dataframe",
    "gates",
    "gaussians",
    "half_adder",
    "load_csv",
    "load_dataset",
    "load_digits",
    "mnist1d",
    "moons",
    "one_hot",
    "spiral",
    "standardize",
    "train_test_split",
    "xor",
]
