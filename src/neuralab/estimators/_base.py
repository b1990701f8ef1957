"""What NeuralabClassifier and NeuralabRegressor share: the network, the checks and training.

Training is ``nl.fit`` on an ``nl.nn.MLP`` with an optimizer from ``nl.optim.build_optimizer``;
this module only turns scikit-learn's conventions (validated arrays, ``random_state``,
``warm_start``, ``partial_fit``, early stopping on a validation score) into ``nl.fit``'s
arguments and a :class:`~neuralab.estimators._stopping.StoppingRule` callback.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import check_is_fitted, validate_data

from .._config import get_rng, no_grad
from ..data import train_test_split
from ..nn import MLP, Linear
from ..optim import build_optimizer
from ..train import fit as train
from ..train.checks import cast_checked, check_sample_weight
from ._params import check_params
from ._stopping import StoppingRule

#: input dtypes kept as they are (others become float64 first, then the model's dtype)
FLOATS = (np.float64, np.float32)
#: MLPClassifier's "auto" batch size: min(AUTO_BATCH, n_samples)
AUTO_BATCH = 200


def _seeds(random_state) -> list[int]:
    """Seeds for (initial weights, validation split, shuffling) drawn from ``random_state``."""
    if isinstance(random_state, np.random.RandomState):
        return [int(seed) for seed in random_state.randint(0, 2**31 - 1, size=3)]
    return [int(seed) for seed in get_rng(random_state).integers(2**63 - 1, size=3)]


class NeuralabEstimator(BaseEstimator):
    """Base class; use :class:`NeuralabClassifier` or :class:`NeuralabRegressor`.

    Subclasses define ``_loss`` (the ``nl.fit`` loss name), ``_encode_targets`` and
    ``_validation_score``.
    """

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *, solver="adam",
                 alpha=0.0001, batch_size="auto", learning_rate_init=0.001, max_iter=500,
                 random_state=None, tol=0.0001, verbose=False, warm_start=False, momentum=0.9,
                 clip_grad_norm=None, batch_norm=False, dropout=0.0, early_stopping=False,
                 validation_fraction=0.1, n_iter_no_change=10) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.clip_grad_norm = clip_grad_norm
        self.batch_norm = batch_norm
        self.dropout = dropout
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change

    # ------------------------------------------------------------------ fitted views
    @property
    def coefs_(self) -> list[np.ndarray]:
        """The weight matrix W of each linear layer, shape (in, out) (live arrays)."""
        check_is_fitted(self)
        return [layer.weight.data for layer in self.model_ if isinstance(layer, Linear)]

    @property
    def intercepts_(self) -> list[np.ndarray]:
        """The bias vector of each linear layer (live arrays)."""
        check_is_fitted(self)
        return [layer.bias.data for layer in self.model_ if isinstance(layer, Linear)]

    # ------------------------------------------------------------------ training
    def fit(self, X, y, sample_weight=None, callbacks=None):
        """Train for up to ``max_iter`` epochs (afresh unless ``warm_start``); return self.

        ``sample_weight`` (one weight >= 0 per sample) weights each sample's loss.
        ``callbacks`` are ``nl.fit`` callbacks run during training, e.g.
        ``[nl.LivePlot()]`` to watch the loss curve in a notebook.
        """
        return self._fit(X, y, sample_weight, incremental=False, callbacks=callbacks)

    def _fit(self, X, y, sample_weight=None, *, incremental: bool, classes=None, callbacks=None):
        """One ``fit`` (``max_iter`` epochs) or ``partial_fit`` (one epoch) through ``nl.fit``."""
        settings = check_params(self)
        owner = type(self).__name__
        if incremental and self.early_stopping:
            raise ValueError(
                f"partial_fit does not support early_stopping=True: set early_stopping=False on "
                f"the {owner}, or hold out data and score it yourself."
            )
        reset = not (hasattr(self, "model_") and (incremental or self.warm_start))
        X, y = validate_data(self, X, y, reset=reset, dtype=FLOATS,
                             multi_output=self._multi_output, y_numeric=self._multi_output)
        targets, strata, width = self._encode_targets(y, reset=reset, classes=classes)
        weights = weight_scale = None
        if sample_weight is not None:
            weights = check_sample_weight(sample_weight, len(X))
            weight_scale = float(np.mean(np.asarray(sample_weight, dtype=np.float64)))
        model_seed, split_seed, shuffle_seed = _seeds(self.random_state)
        if reset:
            # Glorot-uniform weights for every activation, as MLPClassifier draws them: on
            # small data sets they train faster than He's larger ReLU weights (bench/)
            self.model_ = MLP([X.shape[1], *settings.hidden, width],
                              activation=settings.activation, batch_norm=self.batch_norm,
                              dropout=self.dropout, seed=model_seed, init="glorot_uniform")
            self.loss_curve_ = []
            self.validation_loss_curve_ = self.validation_scores_ = None
            self.best_loss_ = self.best_validation_score_ = None
            self._no_improvement_count = 0
            vars(self).pop("_optimizer", None)
        elif width != self.model_[-1].out_features:
            raise ValueError(
                f"y needs {width} output unit(s) but the fitted {owner} has "
                f"{self.model_[-1].out_features}; fit it afresh (warm_start=False) for new "
                "targets."
            )
        self._start_curves()
        X = cast_checked(X, self.model_[0].weight.dtype, "X")
        train_part, validation = self._split(X, targets, weights, strata, split_seed)
        if not incremental or not hasattr(self, "_optimizer"):
            options = {"momentum": self.momentum} if self.solver == "momentum" else {}
            self._optimizer = build_optimizer(self.solver, self.model_.parameters(),
                                              lr=self.learning_rate_init, **options)
        batch = self._batch_size(len(train_part[0]))
        # MLPClassifier's L2 term (alpha / 2b) ||W||² per batch of b samples, as weight decay
        # of the weight matrices only (not the biases, nor BatchNorm's scale and shift)
        rate = self.alpha / (batch * (weight_scale or 1.0))
        self._optimizer.weight_decay = tuple(rate if param.ndim == 2 else 0.0
                                             for param in self._optimizer.params)
        rule = StoppingRule(self, validation)
        history = train(self.model_, train_part[0], train_part[1], loss=self._loss,
                        optimizer=self._optimizer, epochs=1 if incremental else self.max_iter,
                        batch_size=batch, validation_data=validation, metrics=(),
                        callbacks=[rule, *(callbacks or ())],
                        clip_grad_norm=self.clip_grad_norm,
                        verbose=2 if settings.verbose else 0, seed=shuffle_seed,
                        sample_weight=train_part[2])
        self.model_.eval()
        self.n_iter_ = len(history.epoch)
        self.loss_curve_ += history.history["loss"]
        if validation is not None:
            self.validation_loss_curve_ += history.history["val_loss"]
        if not (incremental or rule.converged or history.interrupted) and (
                self.n_iter_ == self.max_iter):
            warnings.warn(
                f"{owner}: max_iter={self.max_iter} epochs ended before the "
                f"{'validation score' if validation else 'training loss'} stopped improving "
                f"by tol={self.tol:g} for n_iter_no_change={self.n_iter_no_change} epochs. "
                "Raise max_iter (or tol) to train to convergence.",
                ConvergenceWarning, stacklevel=3,
            )
        return self

    def _start_curves(self) -> None:
        """Make the stopping state fit the current ``early_stopping`` setting."""
        if self.early_stopping and self.validation_scores_ is None:
            self.validation_loss_curve_, self.validation_scores_ = [], []
            self.best_validation_score_ = -math.inf
        if not self.early_stopping and self.best_loss_ is None:
            self.best_loss_ = math.inf

    def _batch_size(self, n_samples: int) -> int:
        if self.batch_size == "auto":
            size = min(AUTO_BATCH, n_samples)
        elif self.batch_size == "full":
            size = n_samples
        else:
            size = min(self.batch_size, n_samples)
        if self.batch_norm and (size == 1 or n_samples % size == 1):
            raise ValueError(
                f"batch_norm=True needs batches of at least 2 samples, but {n_samples} training "
                f"samples in batches of {size} leave a batch of 1. Choose another batch_size "
                "or set batch_norm=False."
            )
        return size

    def _split(self, X, targets, weights, strata, seed):
        """``((X, y, w) to train on, (X_val, y_val, w_val) or None)``; stratified by ``strata``."""
        if not self.early_stopping:
            return (X, targets, weights), None
        rows, val_rows, _, _ = train_test_split(
            np.arange(len(X)), targets if strata is None else strata,
            test_size=self.validation_fraction, seed=seed, stratify=strata is not None)
        if len(val_rows) < 2:
            raise ValueError(
                f"The validation set is too small ({len(val_rows)} sample) for early stopping. "
                "Increase validation_fraction or the size of the data set."
            )
        parts = [(X[r], targets[r], None if weights is None else weights[r])
                 for r in (rows, val_rows)]
        return parts[0], parts[1]

    # ------------------------------------------------------------------ prediction
    def _forward(self, X: np.ndarray) -> np.ndarray:
        """The network's raw outputs for checked ``X``, in evaluation mode, as float64."""
        model = self.model_
        was_training = model.training
        model.eval()
        try:
            with no_grad():
                output = model(cast_checked(X, model[0].weight.dtype, "X"))
        finally:
            model.train(was_training)
        return output.data.astype(np.float64)

    def _outputs(self, X) -> np.ndarray:
        """Check ``X`` against the fitted estimator and return the raw outputs."""
        check_is_fitted(self)
        return self._forward(validate_data(self, X, reset=False, dtype=FLOATS))
