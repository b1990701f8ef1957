"""MLPClassifier's bookkeeping around each epoch, as one callback of ``nl.fit``."""

from __future__ import annotations

import math

import numpy as np

from .._config import no_grad
from ..train import Callback
from ..train.targets import loss_function, weighted_loss


class EpochRule(Callback):
    """The loss curve, the stopping rule, the learning-rate schedule and the L2 penalty.

    **Penalty.** MLPClassifier adds (α / 2b) ‖W‖² to the loss of a batch of b samples, so
    each update adds (α / b) W to the gradient: the optimizer's weight decay of the weight
    matrices, set for the full batches and, when the epoch ends with a smaller one of r
    samples, to α / r for that one (rates divided by the loss scale c of ``_objective.py``).
    The logged loss of an epoch is MLPClassifier's: Σ_batches (r·L_b + (α / 2b)‖W_b‖²)·b / N
    with W_b the weights the batch saw.

    **Stopping.** After each epoch, with its loss L or, when validating, the validation
    score S (accuracy or R²)::

        no improvement  ⇔  L > best_loss - tol      (validating: S < best_score + tol)
        best_loss = min(best_loss, L)                (validating: best_score = max(best_score, S))

    and once the count of consecutive epochs without improvement exceeds
    ``n_iter_no_change`` the solver's ``trigger_stopping`` decides: stop, or ("adaptive")
    divide the learning rate by 5 and start counting again. NaN counts as an improvement,
    as the comparisons make it in scikit-learn. When validating, the weights of the
    best-scoring epoch are put back when training ends.

    The counters live on the estimator (``best_loss_``, ``best_validation_score_``,
    ``_no_improvement_count``, ``n_iter_``, ``t_``), so that warm starts and ``partial_fit``
    carry them on, as in MLPClassifier.

    Parameters
    ----------
    estimator : NeuralabClassifier or NeuralabRegressor
    objective : Objective
    solver : StochasticSolver
    n_samples, batch_size : int
        The training samples N and the batch size b.
    weight_scale : float
        The training samples' mean weight (1 without weights): the penalty divides by it.
    validation : (X_val, targets_val, weights_val or None), optional
        Held-out data, already checked and encoded, to score after each epoch.
    """

    def __init__(self, estimator, objective, solver, n_samples: int, batch_size: int,
                 weight_scale: float, validation=None) -> None:
        self.estimator, self.objective, self.solver = estimator, objective, solver
        self.validation = validation
        self.n_samples = n_samples
        self.n_batches = math.ceil(n_samples / batch_size)
        alpha = float(estimator.alpha)
        last = n_samples - (self.n_batches - 1) * batch_size
        scale = weight_scale * objective.gradient_scale
        self._rates = (alpha / (batch_size * scale), alpha / (last * scale))
        self._penalty_rate = 0.5 * alpha / (weight_scale * n_samples)
        self._squared_norm = 0.0  # Σ over the epoch's batches of ‖W‖² before their update
        self.converged = False
        self._best_state = None

    def on_train_begin(self, logs=None) -> None:
        self._weights = [p for p in self.run.model.parameters() if p.ndim == 2]
        self._set_decay(self._rates[0])

    def _set_decay(self, rate: float) -> None:
        optimizer = self.solver.optimizer
        optimizer.weight_decay = tuple(rate if p.ndim == 2 else 0.0 for p in optimizer.params)

    def _weight_norm(self) -> float:
        if not self._penalty_rate:
            return 0.0
        return sum(float(np.vdot(w.data, w.data)) for w in self._weights)

    def on_epoch_begin(self, epoch: int, logs=None) -> None:
        self._squared_norm = self._weight_norm()

    def on_batch_end(self, batch: int, logs=None) -> None:
        if batch + 1 < self.n_batches:
            self._squared_norm += self._weight_norm()
        if self._rates[0] != self._rates[1] and batch + 2 >= self.n_batches:
            # after the last full batch the rate of the short one, then back for the next epoch
            self._set_decay(self._rates[self.n_batches - 1 - batch])

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        estimator = self.estimator
        loss = self.objective.report(logs["loss"]) + self._penalty_rate * self._squared_norm
        self._record_epoch(loss)
        if self.validation is not None:
            self._validate()
        self.solver.iteration_ends(estimator.t_)
        if estimator._no_improvement_count > estimator.n_iter_no_change:
            what = "Validation score" if self.validation is not None else "Training loss"
            message = (f"{what} did not improve more than tol={estimator.tol:f} for "
                       f"{estimator.n_iter_no_change} consecutive epochs.")
            if self.solver.trigger_stopping(message, estimator.verbose):
                self.converged = True
                self.run.stop_training = True
            else:
                estimator._no_improvement_count = 0

    def _record_epoch(self, loss: float) -> None:
        estimator = self.estimator
        estimator.n_iter_ += 1
        estimator.t_ += self.n_samples
        estimator.loss_ = loss
        estimator.loss_curve_.append(loss)
        if estimator.verbose:
            print(f"Iteration {estimator.n_iter_}, loss = {loss:.8f}")
        if self.validation is None:
            stalled = loss > estimator.best_loss_ - estimator.tol
            if loss < estimator.best_loss_:
                estimator.best_loss_ = loss
            self._count(stalled)

    def _validate(self) -> None:
        estimator = self.estimator
        X_val, targets, weights = self.validation
        outputs = estimator._forward(X_val)
        score = estimator._score_outputs(outputs, targets, weights)
        with no_grad():
            loss = (loss_function(self.objective.kind)(outputs, targets) if weights is None
                    else weighted_loss(self.objective.kind)(outputs, targets, weights))
        estimator.validation_scores_.append(score)
        estimator.validation_loss_curve_.append(self.objective.report(float(loss.data)))
        if estimator.verbose:
            print(f"Validation score: {score:f}")
        self._count(score < estimator.best_validation_score_ + estimator.tol)
        if score > estimator.best_validation_score_:
            estimator.best_validation_score_ = score
            self._best_state = self.run.model.state_dict()

    def _count(self, stalled: bool) -> None:
        estimator = self.estimator
        estimator._no_improvement_count = estimator._no_improvement_count + 1 if stalled else 0

    def diverged(self) -> None:
        """Record the epoch in which training diverged: its loss and score are NaN."""
        self._record_epoch(math.nan)
        if self.validation is not None:
            self.estimator.validation_scores_.append(math.nan)
            self.estimator.validation_loss_curve_.append(math.nan)

    def on_train_end(self, logs=None) -> None:
        self._set_decay(self._rates[0])
        if self._best_state is not None:
            self.run.model.load_state_dict(self._best_state)
