"""The estimators' parameters: their documentation (written once) and their checks.

Checks run in ``fit``, not in ``__init__`` (scikit-learn's convention: ``__init__`` only stores
its arguments), and fail in the house format: "The 'alpha' parameter of NeuralabClassifier
must be a float >= 0. Got -1 instead."
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

import numpy as np

from .._validation import _message, check_bool, check_float, check_int, check_option

#: activation parameter -> the nl.nn activation it builds ("logistic" is scikit-learn's name)
ACTIVATIONS = {"relu": "relu", "leaky_relu": "leaky_relu", "tanh": "tanh", "sigmoid": "sigmoid",
               "logistic": "sigmoid", "identity": "identity"}
SOLVERS = ("sgd", "momentum", "adam", "rmsprop")

PARAMETERS_DOC = """\
    hidden_layer_sizes : int or sequence of int, default=(100,)
        Units of each hidden layer; ``()`` gives a model without hidden layer.
    activation : {"relu", "leaky_relu", "tanh", "sigmoid", "logistic", "identity"}, \
default="relu"
        Hidden activation ("logistic" is another name for "sigmoid").
    solver : {"sgd", "momentum", "adam", "rmsprop"}, default="adam"
        "sgd" is plain gradient descent, "momentum" SGD with ``momentum``; see
        ``neuralab.optim``.
    batch_size : "auto", "full" or int, default="auto"
        Samples per update: "auto" is min(200, n_samples) as in MLPClassifier, "full" one batch
        of all samples (batch gradient descent), 1 stochastic gradient descent.
    learning_rate_init : float > 0, default=0.001
        The optimizer's learning rate.
    max_iter : int >= 1, default=500
        Epochs (passes over the data) per ``fit``; training ends earlier when the ``tol``
        rule says it has converged. (MLPClassifier's default is 200, too few for data sets
        under 200 samples, which "auto" trains with one full batch, i.e. one step, per epoch.)
    alpha : float >= 0, default=0.0001
        L2 penalty on the weight matrices, as in MLPClassifier: each update adds (alpha / b) W
        to the gradient of each weight matrix W, for a batch of b samples (weighted: b times
        their mean weight). Biases (and BatchNorm's scale and shift) are not penalised.
    momentum : float in [0, 1), default=0.9
        Momentum of ``solver="momentum"`` (the other solvers ignore it).
    clip_grad_norm : float > 0 or None, default=None
        Rescale each update's gradient to this global L2 norm at most.
    batch_norm : bool, default=False
        A BatchNorm1d after each hidden linear layer (needs batches of at least 2 samples).
    dropout : float in [0, 1), default=0.0
        Dropout after each hidden activation.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data (stratified for classifiers), stop when
        its score has not improved by ``tol`` for ``n_iter_no_change`` epochs, and keep the
        weights of the best-scoring epoch.
    validation_fraction : float in (0, 1), default=0.1
        The held-out share with ``early_stopping``.
    n_iter_no_change : int >= 1, default=10
        Epochs without improvement by ``tol`` before training stops.
    tol : float >= 0, default=0.0001
        Smallest improvement of the training loss (or, with ``early_stopping``, of the
        validation score) that counts.
    random_state : int, numpy.random.RandomState or None, default=None
        Seeds the initial weights, dropout, the validation split and the shuffling. None draws
        from neuralab's default generator (see ``nl.manual_seed``).
    verbose : bool or int, default=False
        Print one line per epoch.
    warm_start : bool, default=False
        ``fit`` continues from the current weights instead of starting afresh.
"""

ATTRIBUTES_DOC = """\
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X had column names (a DataFrame).
    loss_curve_ : list of float
        Mean training loss of each epoch, over all calls of ``fit`` with ``warm_start`` and of
        ``partial_fit`` (the data loss, without the L2 term).
    validation_loss_curve_ : list of float or None
        Loss on the held-out data per epoch with ``early_stopping``, else None.
    validation_scores_ : list of float or None
        ``score`` on the held-out data per epoch with ``early_stopping``, else None.
    best_loss_ : float or None
        Lowest training loss so far (None with ``early_stopping``).
    best_validation_score_ : float or None
        Best validation score so far (None without ``early_stopping``).
    n_iter_ : int
        Epochs run by the last call of ``fit`` (1 after ``partial_fit``).
    coefs_ : list of ndarray
        The weight matrix of each linear layer, shape (in, out), as MLPClassifier has it.
    intercepts_ : list of ndarray
        The bias vector of each linear layer.
    model_ : neuralab.nn.MLP
        The network itself; it outputs raw scores (logits for classifiers).
"""


@dataclass(frozen=True)
class Settings:
    """The parameters after checking, in the form training uses."""

    hidden: tuple[int, ...]
    activation: str
    verbose: int


def _check_hidden(sizes, owner: str) -> tuple[int, ...]:
    expected = "an int >= 1 or a sequence of ints >= 1"
    if isinstance(sizes, Integral) and not isinstance(sizes, bool):
        sizes = (sizes,)
    if isinstance(sizes, str) or not hasattr(sizes, "__iter__"):
        raise TypeError(_message("hidden_layer_sizes", owner, expected, sizes))
    sizes = tuple(sizes)
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, Integral) or size < 1:
            raise ValueError(_message("hidden_layer_sizes", owner, expected, sizes))
    return tuple(int(size) for size in sizes)


def _check_batch_size(value, owner: str) -> None:
    if isinstance(value, str):
        check_option(value, "batch_size", owner, ("auto", "full"))
        return
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        error = ValueError if isinstance(value, Integral) else TypeError
        raise error(_message("batch_size", owner, '"auto", "full" or an int >= 1', value))


def _check_random_state(value, owner: str) -> None:
    if value is None or isinstance(value, np.random.RandomState):
        return
    expected = "an int in [0, 2**32 - 1], a numpy RandomState or None"
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(_message("random_state", owner, expected, value))
    if not 0 <= value < 2**32:
        raise ValueError(_message("random_state", owner, expected, value))


def check_params(estimator) -> Settings:
    """Check every parameter of ``estimator``; raise ValueError/TypeError on the first bad one."""
    owner = type(estimator).__name__
    hidden = _check_hidden(estimator.hidden_layer_sizes, owner)
    activation = check_option(estimator.activation, "activation", owner, tuple(ACTIVATIONS))
    check_option(estimator.solver, "solver", owner, SOLVERS)
    _check_batch_size(estimator.batch_size, owner)
    check_float(estimator.learning_rate_init, "learning_rate_init", owner, 0.0, low_open=True)
    check_int(estimator.max_iter, "max_iter", owner, 1)
    check_float(estimator.alpha, "alpha", owner, 0.0)
    check_float(estimator.momentum, "momentum", owner, 0.0, 1.0, high_open=True)
    if estimator.clip_grad_norm is not None:
        check_float(estimator.clip_grad_norm, "clip_grad_norm", owner, 0.0, low_open=True)
    check_bool(estimator.batch_norm, "batch_norm", owner)
    check_float(estimator.dropout, "dropout", owner, 0.0, 1.0, high_open=True)
    check_bool(estimator.early_stopping, "early_stopping", owner)
    check_float(estimator.validation_fraction, "validation_fraction", owner, 0.0, 1.0,
                low_open=True, high_open=True)
    check_int(estimator.n_iter_no_change, "n_iter_no_change", owner, 1)
    check_float(estimator.tol, "tol", owner, 0.0)
    _check_random_state(estimator.random_state, owner)
    verbose = estimator.verbose
    if isinstance(verbose, bool) or type(verbose).__name__ == "bool_":
        verbose = int(verbose)
    else:
        verbose = check_int(verbose, "verbose", owner, 0)
    check_bool(estimator.warm_start, "warm_start", owner)
    return Settings(hidden, ACTIVATIONS[activation], verbose)
