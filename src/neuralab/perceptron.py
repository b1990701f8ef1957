"""Rosenblatt's perceptron: a step unit trained with the perceptron learning rule.

The unit fires when the weighted sum of its inputs exceeds a threshold::

    ŷ = 1  if  w·x + b > threshold,  else 0

and learns one sample at a time, in the order given, with

    w <- w + lr (y - ŷ) x          b <- b + lr (y - ŷ)

A correct prediction changes nothing; a missed 1 adds the input to the weights, a false 1
subtracts it. If a line (a hyperplane) separates the two classes, this converges after a finite
number of mistakes (Novikoff's theorem); if none does (XOR), it never settles.
"""

from __future__ import annotations

import warnings

import numpy as np

from .autograd.tensor import Tensor


class ConvergenceWarning(UserWarning):
    """Training stopped at ``max_epochs`` before the perceptron made an error-free epoch."""


def _check_positive(value, name: str, kind: type) -> None:
    if isinstance(value, bool) or not isinstance(value, kind) or not value > 0:
        expected = "an int >= 1" if kind is int else "a float > 0"
        raise ValueError(
            f"The {name!r} parameter of Perceptron must be {expected}. Got {value!r} instead."
        )


def _check_labels(y: np.ndarray) -> np.ndarray:
    values = set(np.unique(y).tolist())
    if not values <= {0, 1}:
        shown = sorted(values)[:6]
        raise ValueError(
            f"Perceptron needs labels 0 and 1 (the step unit's two outputs); got {shown}. Map "
            "your two classes to 0/1 first, e.g. with nl.data.encode_labels."
        )
    return y.astype(np.float64)


class Perceptron:
    """A single step unit trained with the perceptron learning rule.

    ŷ = H(w·x + b - threshold) with the Heaviside step H(z) = 1 if z > 0 else 0. ``fit`` visits
    the samples in order, epoch after epoch, updating ``w += lr (y - ŷ) x`` and
    ``b += lr (y - ŷ)`` after every mistake, and stops after the first epoch without a mistake.

    Parameters
    ----------
    lr : float > 0
        Learning rate: the size of each correction.
    max_epochs : int >= 1
        Passes over the data before giving up.
    threshold : float
        The unit fires when w·x + b exceeds it (the course's "threshold"; the bias b then
        starts at 0 and is learned on top).

    Attributes
    ----------
    weights_ : ndarray of shape (n_features,)
    bias_ : float
    converged_ : bool
        True when the last epoch made no mistake.
    n_epochs_ : int
        Epochs run.
    errors_ : list of int
        Mistakes made in each epoch.

    Warns
    -----
    ConvergenceWarning
        When ``max_epochs`` ends training with mistakes left. If the weights came back to a
        state they had at the end of an earlier epoch, the updates cycle forever, which proves
        that no line separates the classes; the warning says so.

    Examples
    --------
    >>> X, y = nl.data.gates("and")
    >>> p = nl.Perceptron().fit(X, y)
    >>> p.predict(X), p.converged_
    (array([0, 0, 0, 1]), True)
    """

    def __init__(self, lr: float = 1.0, max_epochs: int = 100, threshold: float = 0.0) -> None:
        self.lr = lr
        self.max_epochs = max_epochs
        self.threshold = threshold

    def _fire(self, X: np.ndarray) -> np.ndarray:
        """H(X w + b - threshold) computed with the engine's step op."""
        z = Tensor(X) @ Tensor(self.weights_) + (self.bias_ - self.threshold)
        return z.step().data

    def fit(self, X, y) -> Perceptron:
        """Learn ``weights_`` and ``bias_`` from samples ``X`` (N, features) and labels 0/1."""
        _check_positive(self.lr, "lr", float | int)
        _check_positive(self.max_epochs, "max_epochs", int)
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y)
        if X.ndim != 2 or y.shape != (len(X),) or len(X) == 0:
            raise ValueError(
                f"Perceptron.fit needs X of shape (N, features) and y of shape (N,) with N >= 1; "
                f"got X {X.shape} and y {y.shape}."
            )
        y = _check_labels(y)
        self.weights_ = np.zeros(X.shape[1])
        self.bias_ = 0.0
        self.errors_ = []
        seen = set()
        cycled = False
        for _ in range(self.max_epochs):
            mistakes = 0
            for x_i, y_i in zip(X, y, strict=True):
                error = y_i - self._fire(x_i[None, :])[0]
                if error:
                    self.weights_ += self.lr * error * x_i
                    self.bias_ += self.lr * error
                    mistakes += 1
            self.errors_.append(mistakes)
            if mistakes == 0:
                break
            state = (*self.weights_.tolist(), self.bias_)
            cycled = cycled or state in seen
            seen.add(state)
        self.n_epochs_ = len(self.errors_)
        self.converged_ = self.errors_[-1] == 0
        if not self.converged_:
            self._warn(cycled)
        return self

    def _warn(self, cycled: bool) -> None:
        if cycled:
            reason = (
                "the data is not linearly separable: the weights came back to an earlier "
                "epoch's values, so the updates cycle forever and no line w·x + b = threshold "
                "splits the classes (XOR is the classic case). Use a network with a hidden "
                "layer, e.g. nn.MLP([2, 2, 1])."
            )
        else:
            reason = (
                "the data may not be linearly separable, or it needs more epochs (raise "
                "max_epochs)."
            )
        warnings.warn(
            f"Perceptron did not converge in {self.max_epochs} epochs "
            f"({self.errors_[-1]} mistakes in the last one): {reason}",
            ConvergenceWarning, stacklevel=3,
        )

    def predict(self, X) -> np.ndarray:
        """Class 0 or 1 for each row of ``X``."""
        if not hasattr(self, "weights_"):
            raise RuntimeError("This Perceptron is not fitted yet; call fit(X, y) first.")
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != len(self.weights_):
            raise ValueError(
                f"Perceptron.predict needs X of shape (N, {len(self.weights_)}); got {X.shape}."
            )
        return self._fire(X).astype(np.int64)

    def __repr__(self) -> str:
        return (f"Perceptron(lr={self.lr}, max_epochs={self.max_epochs}, "
                f"threshold={self.threshold})")
