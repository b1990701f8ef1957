"""What NeuralabClassifier and NeuralabRegressor share: the parameters, ``fit`` and the network.

``fit`` follows MLPClassifier's ``_fit`` step by step: check the parameters and the data, draw
the initial weights on a first pass (:mod:`._network`), then train with the solver --
``nl.fit`` by epochs (:mod:`._stochastic`) or L-BFGS on the full batch (:mod:`._lbfgs`) -- in
the dtype of the weights, and refuse non-finite results. The subclasses say how targets are
encoded (``_validate_input``, ``_training_targets``), which output link they use and how a
validation set is scored.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import issparse
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted, validate_data

from .. import functional as F
from .._config import config, get_rng, no_grad
from ..train.checks import cast_checked, check_sample_weight
from ._lbfgs import fit_lbfgs, loss_and_gradient
from ._network import bind, collect, initial_parameters, model_dtype
from ._params import STOCHASTIC_SOLVERS, check_params
from ._stochastic import NONFINITE_WEIGHTS, fit_stochastic

#: input dtypes kept as they are (others become float64 first)
FLOATS = (np.float64, np.float32)
#: sparse formats accepted (CSC is turned into CSR rows for batching)
SPARSE_FORMATS = ("csr", "csc")


def _random_state(value) -> np.random.RandomState:
    """The fit's RandomState: ``random_state`` itself, one seeded with it, or (None) one seeded
    from neuralab's default generator."""
    if isinstance(value, np.random.RandomState):
        return value
    if value is None:
        value = int(get_rng().integers(2**32))
    return np.random.RandomState(value)


def has_partial_fit(estimator) -> bool:
    """``available_if`` check: only the stochastic solvers train incrementally."""
    if estimator.solver not in STOCHASTIC_SOLVERS:
        raise AttributeError(
            f"partial_fit is only available for the stochastic solvers "
            f"({', '.join(STOCHASTIC_SOLVERS)}); solver={estimator.solver!r} trains on all the "
            "data at once: use fit."
        )
    return True


class NeuralabEstimator(BaseEstimator):
    """Base class; use :class:`NeuralabClassifier` or :class:`NeuralabRegressor`."""

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *, solver="adam",
                 alpha=0.0001, batch_size="auto", learning_rate="constant",
                 learning_rate_init=0.001, power_t=0.5, max_iter=200, shuffle=True,
                 random_state=None, tol=1e-4, verbose=False, warm_start=False, momentum=0.9,
                 nesterovs_momentum=True, early_stopping=False, validation_fraction=0.1,
                 beta_1=0.9, beta_2=0.999, epsilon=1e-8, n_iter_no_change=10, max_fun=15000,
                 clip_grad_norm=None, batch_norm=False, dropout=0.0) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.clip_grad_norm = clip_grad_norm
        self.batch_norm = batch_norm
        self.dropout = dropout

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def _to_model_file(self):
        """What ``nl.save`` writes: the "estimator" JSON (parameters and fitted attributes)
        and the network (see :mod:`neuralab.io.payloads`)."""
        from ._persist import estimator_state

        return "estimator", estimator_state(self), self.model_

    # ------------------------------------------------------------------ training
    def fit(self, X, y, sample_weight=None, callbacks=None):
        """Train for up to ``max_iter`` epochs (afresh unless ``warm_start``); return self.

        X may be a scipy.sparse matrix. ``sample_weight`` (one weight >= 0 per sample)
        weights each sample's loss. ``callbacks`` (neuralab's) are ``nl.fit`` callbacks run
        during training by the stochastic solvers, e.g. ``[nl.LivePlot()]`` to watch the loss
        curve in a notebook.
        """
        return self._fit(X, y, sample_weight, incremental=False, callbacks=callbacks)

    def _fit(self, X, y, sample_weight, *, incremental: bool, callbacks=None):
        settings = check_params(self)
        if callbacks and self.solver not in STOCHASTIC_SOLVERS:
            raise ValueError(
                f"callbacks are nl.fit callbacks, run by epoch: solver={self.solver!r} of the "
                f"{type(self).__name__} does not train by epochs. Use solver='adam' or 'sgd', "
                "or read loss_curve_ after fitting."
            )
        if incremental and self.early_stopping:
            raise ValueError(
                f"partial_fit does not support early_stopping=True: set early_stopping=False on "
                f"the {type(self).__name__}, or hold out data and score it yourself."
            )
        first_pass = not hasattr(self, "coefs_") or not (self.warm_start or incremental)
        X, Y = self._validate_input(X, y, incremental=incremental, reset=first_pass)
        weights = None
        if sample_weight is not None:  # checked, then kept at their own scale
            normalised = check_sample_weight(sample_weight, X.shape[0])
            weights = normalised * float(np.mean(np.asarray(sample_weight, dtype=np.float64)))
        self.n_outputs_ = Y.shape[1]
        random_state = _random_state(self.random_state)
        if first_pass:
            units = [X.shape[1], *settings.hidden, self.n_outputs_]
            self._initialize(Y, units, X.dtype, random_state)
        elif np.shape(self.coefs_[-1])[-1] != self.n_outputs_:
            raise ValueError(
                f"y needs {self.n_outputs_} output unit(s) but the fitted "
                f"{type(self).__name__} has {np.shape(self.coefs_[-1])[-1]}; fit it afresh "
                "(warm_start=False) for new targets."
            )
        else:  # weights assigned by hand may come without the rest
            vars(self).setdefault("out_activation_", self._output_activation(Y))
            vars(self).setdefault("n_layers_", len(self.coefs_) + 1)
        self._start_curves()
        targets = self._training_targets(Y)
        with config(dtype=model_dtype(self)):
            if self.solver == "lbfgs":
                fit_lbfgs(self, X, targets, weights, random_state)
            else:
                fit_stochastic(self, X, targets, weights, self._strata(Y), random_state,
                               incremental=incremental, callbacks=callbacks or ())
        collect(self)
        if not all(np.isfinite(w).all() for w in (*self.coefs_, *self.intercepts_)):
            raise ValueError(NONFINITE_WEIGHTS)
        return self

    def _initialize(self, Y, layer_units, dtype, random_state) -> None:
        """A first pass: MLPClassifier's initial weights and fresh records."""
        self.n_iter_ = self.t_ = 0
        self.n_layers_ = len(layer_units)
        self.out_activation_ = self._output_activation(Y)
        self.coefs_, self.intercepts_ = initial_parameters(
            layer_units, F.ACTIVATIONS.key(self.activation), dtype, random_state)
        for name in ("model_", "_optimizer"):
            vars(self).pop(name, None)
        self.loss_curve_ = []
        self._no_improvement_count = 0
        self.best_loss_ = self.best_validation_score_ = None
        self.validation_scores_ = self.validation_loss_curve_ = None

    def _start_curves(self) -> None:
        """The records this fit continues, made to fit the current settings (a warm start may
        switch early stopping on or off; records that were never set start empty)."""
        self.n_iter_ = 0
        for name, empty in (("t_", 0), ("_no_improvement_count", 0), ("loss_curve_", [])):
            if getattr(self, name, None) is None:
                setattr(self, name, empty)
        stochastic = self.solver in STOCHASTIC_SOLVERS
        if stochastic and self.early_stopping:
            for name, empty in (("validation_scores_", []), ("validation_loss_curve_", []),
                                ("best_validation_score_", -np.inf)):
                if getattr(self, name, None) is None:
                    setattr(self, name, empty)
        elif stochastic and getattr(self, "best_loss_", None) is None:
            self.best_loss_ = np.inf

    def _loss_grad_lbfgs(self, packed_coef_inter, X, y, sample_weight=None, *workspace):
        """MLPClassifier's L-BFGS objective: (J, ∇J) at ``packed_coef_inter`` (every coefs_
        raveled, then every intercepts_) for the binarized targets ``y``, whose parameters
        then take those values. scikit-learn's own tests call it; the work arrays they pass
        after ``sample_weight`` (activations, deltas, gradients) are not needed here."""
        bind(self, seed=0)
        with config(dtype=model_dtype(self)):
            targets = self._training_targets(np.asarray(y).reshape(len(y), -1))
            return loss_and_gradient(self, packed_coef_inter, X, targets, sample_weight)

    # ------------------------------------------------------------------ prediction
    def _forward(self, X) -> np.ndarray:
        """The network's raw outputs for checked ``X``, in evaluation mode, in its dtype."""
        with self.model_.evaluating(), config(dtype=model_dtype(self)), no_grad():
            return self.model_(X).data

    def _outputs(self, X) -> np.ndarray:
        """Check ``X`` against the fitted estimator and return the raw outputs, in the dtype
        NumPy gives X and the weights together (as MLPClassifier computes)."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=SPARSE_FORMATS, reset=False, dtype=FLOATS)
        bind(self, seed=0)
        dtype = model_dtype(self)
        rows = X if issparse(X) else cast_checked(X, dtype, "X")  # (refuses overflow to inf)
        return self._forward(rows).astype(np.result_type(X.dtype, dtype), copy=False)
