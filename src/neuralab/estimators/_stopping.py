"""MLPClassifier's rule for ending training before ``max_iter``, as a callback of ``nl.fit``."""

from __future__ import annotations

from ..train import Callback


class StoppingRule(Callback):
    """Stop when ``n_iter_no_change`` epochs in a row bring no improvement by ``tol``.

    After each epoch, with its mean training loss L or, when validating, the validation score
    S (accuracy or R²), scikit-learn's MLP rule is::

        no improvement  ⇔  L > best_loss - tol      (validating: S < best_score + tol)
        best_loss = min(best_loss, L)                (validating: best_score = max(best_score, S))

    and training stops once the count of consecutive epochs without improvement exceeds
    ``n_iter_no_change``. Note that the best value follows every new minimum (or maximum), even
    one smaller than ``tol``. When validating, the weights of the best-scoring epoch are kept
    and put back when training ends.

    The best value and the count live on the estimator (``best_loss_``,
    ``best_validation_score_``, ``_no_improvement_count``), so that a warm-started ``fit`` or
    a ``partial_fit`` carries them on, as MLPClassifier does.

    Parameters
    ----------
    estimator : NeuralabClassifier or NeuralabRegressor
    validation : (X_val, y_val, sample_weight_val or None), optional
        Held-out data, already checked and encoded, to score after each epoch.

    Attributes
    ----------
    converged : bool
        True when the rule stopped training.
    """

    def __init__(self, estimator, validation=None) -> None:
        self.estimator = estimator
        self.validation = validation
        self.converged = False
        self._best_state = None

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        estimator = self.estimator
        if self.validation is None:
            loss = logs["loss"]
            stalled = loss > estimator.best_loss_ - estimator.tol
            estimator.best_loss_ = min(estimator.best_loss_, loss)
        else:
            score = estimator._validation_score(*self.validation)
            estimator.validation_scores_.append(score)
            stalled = score < estimator.best_validation_score_ + estimator.tol
            if score > estimator.best_validation_score_:
                estimator.best_validation_score_ = score
                self._best_state = self.run.model.state_dict()
        estimator._no_improvement_count = estimator._no_improvement_count + 1 if stalled else 0
        if estimator._no_improvement_count > estimator.n_iter_no_change:
            self.converged = True
            self.run.stop_training = True

    def on_train_end(self, logs=None) -> None:
        if self._best_state is not None:
            self.run.model.load_state_dict(self._best_state)
