"""Models from and to other libraries: scikit-learn's MLPs and PyTorch's ``nn.Sequential``.

- :func:`from_sklearn`: a fitted ``MLPClassifier`` / ``MLPRegressor`` as a neuralab ``nn.MLP``
  with the same weights, computing what the scikit-learn model computes.
- :func:`from_torch`: a PyTorch ``nn.Sequential`` of Linear, activation, BatchNorm1d and
  Dropout layers as a neuralab ``nn.Sequential``; :func:`to_torch` the other way.

PyTorch is optional: it is imported by these functions only (``pip install torch``).
"""

from .pytorch import from_torch, to_torch
from .scikit import from_sklearn

__all__ = ["from_sklearn", "from_torch", "to_torch"]
