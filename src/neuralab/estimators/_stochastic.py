"""Training by epochs of mini-batches ("adam", "sgd", "rmsprop"): ``nl.fit`` with
MLPClassifier's rules (``_epochs.py``, ``_solver.py``)."""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from ..train import fit as train
from ..train.loop import TrainingDivergedError
from ._epochs import EpochRule
from ._network import bind
from ._objective import objective
from ._solver import build_solver

#: MLPClassifier's "auto" batch size: min(AUTO_BATCH, n_samples)
AUTO_BATCH = 200
#: MLPClassifier's error for weights that are not finite after training
NONFINITE_WEIGHTS = ("Solver produced non-finite parameter weights. The input data may contain "
                     "large values and need to be preprocessed.")


def _split(estimator, X, targets, weights, strata, random_state):
    """``((X, targets, weights) to train on, the same to validate on or None)``.

    With early stopping, scikit-learn's ``train_test_split`` with the estimator's RandomState,
    stratified by ``strata`` (binary classification only, as in MLPClassifier): the same
    split MLPClassifier makes for the same ``random_state``.
    """
    if not estimator.early_stopping:
        return (X, targets, weights), None
    arrays = [X, targets] + ([] if weights is None else [weights])
    parts = train_test_split(*arrays, random_state=random_state,
                             test_size=estimator.validation_fraction, stratify=strata)
    train_part, validation = tuple(parts[0::2]), tuple(parts[1::2])
    if validation[0].shape[0] < 2:
        raise ValueError(
            f"The validation set is too small ({validation[0].shape[0]} sample) for early "
            "stopping. Increase validation_fraction or the size of the data set."
        )
    if weights is None:
        return (*train_part, None), (*validation, None)
    return train_part, validation


def _batch_size(estimator, n_samples: int) -> int:
    if estimator.batch_size == "auto":
        size = min(AUTO_BATCH, n_samples)
    elif estimator.batch_size == "full":
        size = n_samples
    else:
        if estimator.batch_size > n_samples:
            warnings.warn("Got `batch_size` less than 1 or larger than sample size. It is going "
                          "to be clipped", stacklevel=4)
        size = min(estimator.batch_size, n_samples)
    if estimator.batch_norm and (size == 1 or n_samples % size == 1):
        raise ValueError(
            f"batch_norm=True needs batches of at least 2 samples, but {n_samples} training "
            f"samples in batches of {size} leave a batch of 1. Choose another batch_size "
            "or set batch_norm=False."
        )
    return size


def _mean_one(weights):
    """``(weights / their mean or None when they are all equal, their mean)``."""
    if weights is None:
        return None, 1.0
    scale = float(np.mean(weights))
    scaled = weights / scale
    return (None if np.all(scaled == 1.0) else scaled), scale


def fit_stochastic(estimator, X, targets, weights, strata, random_state, *,
                   incremental: bool, callbacks=()) -> None:
    """``max_iter`` epochs (one for ``partial_fit``) of ``nl.fit`` on the network.

    ``targets`` are in the form the network's loss takes, ``weights`` the raw sample weights
    (or None), ``random_state`` the fit's RandomState (split, dropout, shuffling) and
    ``callbacks`` the user's own ``nl.fit`` callbacks.
    """
    train_part, validation = _split(estimator, X, targets, weights, strata, random_state)
    X_train, targets_train, weights_train = train_part
    n_samples = X_train.shape[0]
    batch = _batch_size(estimator, n_samples)
    bind(estimator, seed=int(random_state.randint(2**31 - 1)))
    shuffle_seed = int(random_state.randint(2**31 - 1))
    weights_train, weight_scale = _mean_one(weights_train)
    goal = objective(estimator.out_activation_, estimator.n_outputs_, targets_train,
                     weights_train)
    model = estimator.model_
    if not (incremental and hasattr(estimator, "_optimizer")):
        estimator._optimizer = build_solver(estimator, model.parameters(), goal.gradient_scale)
    if validation is not None and validation[2] is not None:
        validation = (*validation[:2], validation[2] / np.mean(validation[2]))
    rule = EpochRule(estimator, goal, estimator._optimizer, n_samples, batch, weight_scale,
                     validation)
    clip = estimator.clip_grad_norm
    try:
        history = train(model, X_train, targets_train, loss=goal.kind,
                        optimizer=estimator._optimizer.optimizer,
                        epochs=1 if incremental else estimator.max_iter, batch_size=batch,
                        metrics=(), callbacks=[rule, *callbacks], verbose=0, seed=shuffle_seed,
                        clip_grad_norm=None if clip is None else clip / goal.gradient_scale,
                        shuffle=estimator.shuffle, sample_weight=weights_train)
    except TrainingDivergedError:
        _diverged(estimator, rule)
        return
    finally:
        model.eval()
    if not (incremental or rule.converged or history.interrupted) and (
            estimator.n_iter_ == estimator.max_iter):
        what = "validation score" if validation is not None else "training loss"
        warnings.warn(
            f"{type(estimator).__name__}: max_iter={estimator.max_iter} epochs ended before the "
            f"{what} stopped improving by tol={estimator.tol:g} for "
            f"n_iter_no_change={estimator.n_iter_no_change} epochs. Raise max_iter (or tol) to "
            "train to convergence.", ConvergenceWarning, stacklevel=4)


def _diverged(estimator, rule) -> None:
    """scikit-learn's outcome of a diverging fit (see NOTES_DOC in ``_docs.py``): ``nl.fit``
    stopped at the first non-finite batch and put back the weights of the last finite epoch
    (or, validating, the rule put back the best epoch's)."""
    rule.diverged()
    epoch = estimator.n_iter_
    what = (f"Training diverged in epoch {epoch}: the loss or a gradient became NaN or "
            "infinite")
    advice = "Try a lower learning_rate_init, or scale the data (e.g. with StandardScaler)."
    if not estimator.early_stopping:
        kept = f"the end of epoch {epoch - 1}" if epoch > 1 else "the start of this fit"
        raise ValueError(f"{NONFINITE_WEIGHTS} {what}; the weights are those of {kept}. "
                         f"{advice}")
    warnings.warn(f"{type(estimator).__name__}: {what}; training stopped there, with the "
                  f"weights of the best validation epoch. {advice}", ConvergenceWarning,
                  stacklevel=4)
