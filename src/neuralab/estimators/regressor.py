"""NeuralabRegressor: a drop-in MLPRegressor trained by neuralab."""

from __future__ import annotations

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.metrics import r2_score
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import column_or_1d, validate_data

from ._base import FLOATS, SPARSE_FORMATS, NeuralabEstimator, has_partial_fit
from ._docs import ATTRIBUTES_DOC, NOTES_DOC, PARAMETERS_DOC


class NeuralabRegressor(RegressorMixin, NeuralabEstimator):
    __doc__ = f"""A multilayer-perceptron regressor with MLPRegressor's parameters, rules and
    attributes, trained by neuralab (scikit-learn's own MLP test suite passes on it).

    One output per target, y of shape (n,) or (n, k). ``loss="squared_error"``: linear
    outputs ŷ trained on MLPRegressor's half squared error, ½ Σ_j (ŷ_j - y_j)² per sample.
    ``loss="poisson"``: outputs z with ŷ = e^z (a log link) for counts y >= 0, trained on
    half the Poisson deviance, y ln(y / ŷ) - y + ŷ = e^z - y z + (y ln y - y), as
    MLPRegressor (neuralab's ``poisson_nll`` loss plus that constant).

    Parameters
    ----------
    loss : {{"squared_error", "poisson"}}, default="squared_error"
{PARAMETERS_DOC}
    Attributes
    ----------
{ATTRIBUTES_DOC}
    Notes
    -----
{NOTES_DOC}
    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> reg = make_pipeline(StandardScaler(), NeuralabRegressor(random_state=0))
    >>> reg.fit(X_train, y_train).score(X_test, y_test)  # R²
    """

    def __init__(self, loss="squared_error", hidden_layer_sizes=(100,), activation="relu", *,
                 solver="adam", alpha=0.0001, batch_size="auto", learning_rate="constant",
                 learning_rate_init=0.001, power_t=0.5, max_iter=200, shuffle=True,
                 random_state=None, tol=1e-4, verbose=False, warm_start=False, momentum=0.9,
                 nesterovs_momentum=True, early_stopping=False, validation_fraction=0.1,
                 beta_1=0.9, beta_2=0.999, epsilon=1e-8, n_iter_no_change=10, max_fun=15000,
                 clip_grad_norm=None, batch_norm=False, dropout=0.0) -> None:
        self.loss = loss
        super().__init__(
            hidden_layer_sizes, activation, solver=solver, alpha=alpha, batch_size=batch_size,
            learning_rate=learning_rate, learning_rate_init=learning_rate_init,
            power_t=power_t, max_iter=max_iter, shuffle=shuffle, random_state=random_state,
            tol=tol, verbose=verbose, warm_start=warm_start, momentum=momentum,
            nesterovs_momentum=nesterovs_momentum, early_stopping=early_stopping,
            validation_fraction=validation_fraction, beta_1=beta_1, beta_2=beta_2,
            epsilon=epsilon, n_iter_no_change=n_iter_no_change, max_fun=max_fun,
            clip_grad_norm=clip_grad_norm, batch_norm=batch_norm, dropout=dropout)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    @available_if(has_partial_fit)
    def partial_fit(self, X, y, sample_weight=None):
        """One epoch over ``(X, y)``, continuing from the current weights and optimizer."""
        return self._fit(X, y, sample_weight, incremental=True)

    # ------------------------------------------------------------------ targets
    def _validate_input(self, X, y, *, incremental: bool, reset: bool):
        """``(X, Y)``: the checked features and the targets as columns (n, k)."""
        X, y = validate_data(self, X, y, accept_sparse=SPARSE_FORMATS, multi_output=True,
                             y_numeric=True, dtype=FLOATS, reset=reset)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        return X, y.reshape(len(y), -1)

    def _output_activation(self, Y) -> str:
        return "exp" if self.loss == "poisson" else "identity"

    def _training_targets(self, Y) -> np.ndarray:
        return Y

    def _strata(self, Y):
        return None

    def _predictions(self, outputs: np.ndarray) -> np.ndarray:
        """ŷ from the network's outputs: e^z for Poisson (inf beyond the float range)."""
        if self.out_activation_ != "exp":
            return outputs
        with np.errstate(over="ignore"):
            return np.exp(outputs)

    def _score_outputs(self, outputs, targets, weights) -> float:
        predictions = self._predictions(outputs)
        if not np.all(np.isfinite(predictions)):
            return float("nan")  # as MLPRegressor scores a diverged model
        return float(r2_score(targets, predictions, sample_weight=weights))

    # ------------------------------------------------------------------ prediction
    def predict(self, X) -> np.ndarray:
        """Predicted targets, shape (n,) for one target (as MLPRegressor), else (n, k), in the
        dtype of X and the weights together."""
        predictions = self._predictions(self._outputs(X))
        return predictions[:, 0] if predictions.shape[1] == 1 else predictions
