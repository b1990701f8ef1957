"""Batching: one loader for batch, stochastic and mini-batch gradient descent."""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Iterator

import numpy as np

from .._config import get_rng
from ._arrays import as_array, check_same_length

#: the string values ``batch_size`` accepts besides a positive int
BATCH_SIZE_NAMES = ("full",)


def _resolve_batch_size(batch_size, n_samples: int) -> int:
    """The number of samples per batch: ``"full"`` -> all of them; ints above N are capped at N."""
    if isinstance(batch_size, str):
        if batch_size not in BATCH_SIZE_NAMES:
            raise ValueError(
                f'Unknown batch_size {batch_size!r}. Allowed: "full" (batch gradient descent), '
                f"1 (stochastic) or an integer n > 1 (mini-batch)."
            )
        return n_samples
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral):
        raise ValueError(
            f'batch_size must be "full" or a positive integer (1 = stochastic, n = mini-batch). '
            f"Got {batch_size!r} ({type(batch_size).__name__}) instead."
        )
    if batch_size < 1:
        raise ValueError(
            f'batch_size must be "full" or a positive integer (1 = stochastic, n = mini-batch). '
            f"Got {batch_size} instead."
        )
    return min(int(batch_size), n_samples)


def _gather(array, rows: np.ndarray):
    """``array[rows]`` for an array of row numbers, as a new array.

    On an ndarray this is ``take`` along the first axis: the same copy, about a fifth faster
    than fancy indexing (128 of 20,000 rows of 784 float32: 28 µs instead of 35 per batch;
    32 rows of 64: 1.2 µs instead of 1.8). A scipy.sparse matrix is indexed.
    """
    return array.take(rows, axis=0) if type(array) is np.ndarray else array[rows]


def _to_json(value):
    """A bit-generator state with its numpy arrays turned into lists (JSON-serialisable)."""
    if isinstance(value, dict):
        return {key: _to_json(item) for key, item in value.items()}
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


class DataLoader:
    """Split a dataset into batches, one pass (epoch) per ``iter()``.

    Each batch gives one parameter update θ ← θ − η ∇L_B(θ), where L_B is the mean loss over
    the batch B. The batch size picks the course's three variants of gradient descent:

    ============  ===============  ==========================
    batch_size    variant          updates per epoch (N rows)
    ============  ===============  ==========================
    ``"full"``    ``"batch"``      1
    ``1``         ``"stochastic"`` N
    ``n``         ``"mini-batch"`` ⌈N / n⌉ (⌊N / n⌋ with ``drop_last``)
    ============  ===============  ==========================

    Parameters
    ----------
    X : array_like, Tensor or scipy.sparse matrix, shape (N, ...)
        Inputs, one row per sample. Kept in their dtype (a Tensor contributes ``.data``); a
        sparse matrix gives sparse batches (use CSR rows: other formats slice slowly).
    y : array_like or Tensor, shape (N, ...), optional
        Targets. When omitted, iterating yields ``X_batch`` alone.
    batch_size : "full" or int, default 32
        ``"full"`` for the whole dataset in one batch, ``1`` for one sample at a time, ``n``
        for mini-batches of n rows. An int larger than N gives one batch of all N rows.
    shuffle : bool, default True
        Visit the samples in a new random order each epoch.
    seed : int, optional
        Seed of the loader's own generator: the same seed gives the same sequence of epochs.
    rng : numpy.random.Generator, optional
        Use this generator instead (it is shared, not copied).
    drop_last : bool, default False
        Drop the last, smaller batch when N is not a multiple of the batch size.

    Attributes
    ----------
    n_samples : int
        N, the number of rows.
    batch_size : int
        The resolved batch size (N for ``"full"``, capped at N).
    variant : {"batch", "stochastic", "mini-batch"}
        Which gradient-descent variant this batch size gives.

    Notes
    -----
    With neither ``seed`` nor ``rng`` the loader draws its own generator once from neuralab's
    default one, so ``nl.manual_seed`` still makes it reproducible. Each epoch's order is drawn
    when ``iter()`` is called; :meth:`get_state` taken between epochs and :meth:`set_state`
    resume the sequence exactly. Batches of an unshuffled loader are views of ``X``; the single
    batch of the ``"batch"`` variant is ``X`` (and ``y``) itself, never reordered (the mean
    gradient over all rows does not depend on their order).

    Examples
    --------
    >>> loader = DataLoader(X, y, batch_size=16, seed=0)
    >>> for X_batch, y_batch in loader:   # one epoch, len(loader) updates
    ...     ...
    """

    def __init__(
        self,
        X,
        y=None,
        batch_size: int | str = 32,
        shuffle: bool = True,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
        drop_last: bool = False,
    ) -> None:
        self.X = as_array(X, "X")
        self.y = None if y is None else as_array(y, "y")
        if self.y is not None:
            check_same_length(self.X, self.y)
        self.n_samples = self.X.shape[0]
        self.batch_size = _resolve_batch_size(batch_size, self.n_samples)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        if seed is None and rng is None:
            seed = int(get_rng().integers(2**63))
        self._rng = get_rng(seed, rng)

    @property
    def variant(self) -> str:
        """``"batch"``, ``"stochastic"`` or ``"mini-batch"`` gradient descent."""
        if self.batch_size == self.n_samples:
            return "batch"
        return "stochastic" if self.batch_size == 1 else "mini-batch"

    def __len__(self) -> int:
        """Batches (= parameter updates) per epoch."""
        if self.drop_last:
            return self.n_samples // self.batch_size
        return math.ceil(self.n_samples / self.batch_size)

    def __iter__(self) -> Iterator:
        if self.batch_size == self.n_samples:
            # one batch of everything gives the same mean gradient in any order: the data
            # itself, without a permutation, a copy or even a slice (full-batch updates are
            # the cheapest, so the loader's own cost shows most there)
            return iter((self.X if self.y is None else (self.X, self.y),))
        order = self._rng.permutation(self.n_samples) if self.shuffle else None
        return self._batches(order)

    def _batches(self, order: np.ndarray | None) -> Iterator:
        pick = operator.getitem if order is None else _gather
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            stop = min(start + self.batch_size, self.n_samples)
            rows = slice(start, stop) if order is None else order[start:stop]
            if self.y is None:
                yield pick(self.X, rows)
            else:
                yield pick(self.X, rows), pick(self.y, rows)

    def get_state(self) -> dict:
        """The shuffling generator's state as a JSON-serialisable dict (for checkpoints)."""
        return {"bit_generator": _to_json(self._rng.bit_generator.state)}

    def set_state(self, state: dict) -> None:
        """Restore a state from :meth:`get_state`: the following epochs repeat exactly."""
        if not isinstance(state, dict) or "bit_generator" not in state:
            raise ValueError(
                "set_state expects the dict returned by DataLoader.get_state(), with the key "
                f"'bit_generator'. Got {state!r} instead."
            )
        saved = state["bit_generator"]
        current = type(self._rng.bit_generator).__name__
        if saved.get("bit_generator") != current:
            raise ValueError(
                f"The saved state is for the {saved.get('bit_generator')!r} bit generator but "
                f"this loader uses {current!r}; create the loader with a matching rng."
            )
        self._rng.bit_generator.state = saved

    def __repr__(self) -> str:
        return (
            f"DataLoader(n_samples={self.n_samples}, batch_size={self.batch_size}, "
            f"variant={self.variant!r}, batches={len(self)}, shuffle={self.shuffle})"
        )
