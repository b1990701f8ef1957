"""The small data set and training run the gradient-problem lessons share."""

from __future__ import annotations

import numpy as np

from .. import data, optim
from ..train import fit


def moons(n: int = 128, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half-moons, standardized (mean 0, standard deviation 1 per feature)."""
    X, y = data.moons(n, noise=0.1, seed=seed)
    return data.standardize(X), y


def train(net, X, y, *, lr: float, epochs: int, batch_size=32, clip=None, callbacks=()):
    """Plain SGD on the logits with binary cross-entropy; returns the History."""
    return fit(net, X, y, loss="bce_with_logits", optimizer=optim.SGD(net.parameters(), lr=lr),
               epochs=epochs, batch_size=batch_size, clip_grad_norm=clip, callbacks=callbacks,
               verbose=0, seed=0)
