"""The estimators' parameter checks.

Checks run in ``fit``, not in ``__init__`` (scikit-learn's convention: ``__init__`` only stores
its arguments), and fail in the house format: "The 'alpha' parameter of NeuralabClassifier
must be a float >= 0. Got -1 instead." The documentation of the parameters is ``_docs.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np

from .. import functional as F
from .._validation import (
    InvalidType,
    InvalidValue,
    check_batch_size,
    check_bool,
    check_float,
    check_hidden,
    check_int,
    check_option,
)

#: the activation parameter's values: scikit-learn's spellings ("logistic", "identity") and
#: neuralab's, each a name of ``nl.functional.ACTIVATIONS`` (exact spellings, as in sklearn)
ACTIVATIONS = F.ACTIVATIONS.choose("relu", "leaky_relu", "tanh", "logistic", "sigmoid",
                                   "identity")
SOLVERS = ("adam", "sgd", "lbfgs", "rmsprop")
#: the solvers that train by epochs of mini-batches (``partial_fit``, early stopping)
STOCHASTIC_SOLVERS = ("adam", "sgd", "rmsprop")
SCHEDULES = ("constant", "invscaling", "adaptive")
REGRESSION_LOSSES = ("squared_error", "poisson")


@dataclass(frozen=True)
class Settings:
    """The parameters after checking, in the form training uses."""

    hidden: tuple[int, ...]
    activation: str
    verbose: int


def _check_random_state(value, owner: str) -> None:
    if value is None or isinstance(value, np.random.RandomState):
        return
    expected = "an int in [0, 2**32 - 1], a numpy RandomState or None"
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise InvalidType("random_state", owner, expected, value)
    if not 0 <= value < 2**32:
        raise InvalidValue("random_state", owner, expected, value)


def _check_patience(value, owner: str) -> None:
    """n_iter_no_change: an int >= 1, or infinity (never stop early)."""
    if isinstance(value, Real) and not isinstance(value, Integral) and math.isinf(value) and (
            value > 0):
        return
    expected = "an int >= 1 or numpy.inf"
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise InvalidType("n_iter_no_change", owner, expected, value)
    if value < 1:
        raise InvalidValue("n_iter_no_change", owner, expected, value)


def _check_extras(estimator, owner: str) -> None:
    """neuralab's own parameters, and the ones that need a stochastic solver."""
    if estimator.clip_grad_norm is not None:
        check_float(estimator.clip_grad_norm, "clip_grad_norm", owner, 0.0, low_open=True)
    check_bool(estimator.batch_norm, "batch_norm", owner)
    check_float(estimator.dropout, "dropout", owner, 0.0, 1.0, high_open=True)
    if estimator.solver == "lbfgs":
        extras = {"batch_norm": estimator.batch_norm, "dropout": estimator.dropout > 0,
                  "clip_grad_norm": estimator.clip_grad_norm is not None}
        used = [name for name, on in extras.items() if on]
        if used:
            raise ValueError(
                f"solver='lbfgs' of {owner} minimises one deterministic full-batch loss, which "
                f"{', '.join(used)} would change between evaluations (or do not apply to it). "
                "Use solver='adam' or 'sgd' with them, or turn them off."
            )


def check_params(estimator) -> Settings:
    """Check every parameter of ``estimator``; raise ValueError/TypeError on the first bad one."""
    owner = type(estimator).__name__
    hidden = check_hidden(estimator.hidden_layer_sizes, "hidden_layer_sizes", owner)
    activation = check_option(estimator.activation, "activation", owner, ACTIVATIONS)
    check_option(estimator.solver, "solver", owner, SOLVERS)
    check_float(estimator.alpha, "alpha", owner, 0.0)
    check_batch_size(estimator.batch_size, "batch_size", owner, ("auto", "full"))
    check_option(estimator.learning_rate, "learning_rate", owner, SCHEDULES)
    check_float(estimator.learning_rate_init, "learning_rate_init", owner, 0.0, low_open=True)
    check_float(estimator.power_t, "power_t", owner, 0.0)
    check_int(estimator.max_iter, "max_iter", owner, 1)
    check_bool(estimator.shuffle, "shuffle", owner)
    _check_random_state(estimator.random_state, owner)
    check_float(estimator.tol, "tol", owner, 0.0)
    verbose = estimator.verbose
    if isinstance(verbose, bool) or type(verbose).__name__ == "bool_":
        verbose = int(verbose)
    else:
        verbose = check_int(verbose, "verbose", owner, 0)
    check_bool(estimator.warm_start, "warm_start", owner)
    check_float(estimator.momentum, "momentum", owner, 0.0, 1.0, high_open=True)
    check_bool(estimator.nesterovs_momentum, "nesterovs_momentum", owner)
    check_bool(estimator.early_stopping, "early_stopping", owner)
    check_float(estimator.validation_fraction, "validation_fraction", owner, 0.0, 1.0,
                low_open=True, high_open=True)
    check_float(estimator.beta_1, "beta_1", owner, 0.0, 1.0, high_open=True)
    check_float(estimator.beta_2, "beta_2", owner, 0.0, 1.0, high_open=True)
    check_float(estimator.epsilon, "epsilon", owner, 0.0, low_open=True)
    _check_patience(estimator.n_iter_no_change, owner)
    check_int(estimator.max_fun, "max_fun", owner, 1)
    if hasattr(estimator, "loss"):
        check_option(estimator.loss, "loss", owner, REGRESSION_LOSSES)
    _check_extras(estimator, owner)
    return Settings(hidden, F.ACTIVATIONS.key(activation), verbose)
