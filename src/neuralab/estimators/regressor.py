"""NeuralabRegressor: an MLP regressor with scikit-learn's interface."""

from __future__ import annotations

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.metrics import r2_score

from ._base import NeuralabEstimator
from ._params import ATTRIBUTES_DOC, PARAMETERS_DOC


class NeuralabRegressor(RegressorMixin, NeuralabEstimator):
    __doc__ = f"""A multilayer-perceptron regressor trained by ``nl.fit``, usable wherever
    scikit-learn takes a regressor (``Pipeline``, ``GridSearchCV``, ``cross_val_score``).

    One linear output per target, trained on the mean squared error
    L = (1/k) Σ_j (ŷ_j - y_j)² over the k targets (so the loss values are twice
    MLPRegressor's, which halves the squared error). y of shape (n,) or (n, k).

    Parameters
    ----------
{PARAMETERS_DOC}
    Attributes
    ----------
    n_outputs_ : int
        The number of targets k.
{ATTRIBUTES_DOC}
    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> reg = make_pipeline(StandardScaler(), NeuralabRegressor(random_state=0))
    >>> reg.fit(X_train, y_train).score(X_test, y_test)  # R²
    """

    _multi_output = True
    _loss = "mse"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def partial_fit(self, X, y, sample_weight=None):
        """One epoch over ``(X, y)``, continuing from the current weights and optimizer."""
        return self._fit(X, y, sample_weight, incremental=True)

    def _encode_targets(self, y, *, reset: bool, classes=None):
        """``(targets of shape (n, k), no strata, k output units)``."""
        targets = np.asarray(y, dtype=np.float64)
        targets = targets.reshape(len(targets), -1)
        if reset:
            self.n_outputs_ = targets.shape[1]
        return targets, None, targets.shape[1]

    def _validation_score(self, X, y, sample_weight) -> float:
        return float(r2_score(y, self._forward(X), sample_weight=sample_weight))

    def predict(self, X) -> np.ndarray:
        """Predicted targets, shape (n,) for one target (as MLPRegressor), else (n, k)."""
        outputs = self._outputs(X)
        return outputs[:, 0] if outputs.shape[1] == 1 else outputs
