"""An estimator's parameters and fitted attributes as JSON, for ``nl.save`` / ``nl.load``.

The network's numbers go to the safetensors file like any model's; this is everything else a
fitted estimator needs to predict, in plain JSON, so loading never unpickles. The optimizer's
state is not kept: ``partial_fit`` or a warm-started ``fit`` after loading starts a fresh one.
The weights' dtype is kept (``io.load`` builds the network in it, see :func:`estimator_dtype`).
"""

from __future__ import annotations

import json

import numpy as np
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.validation import check_is_fitted

from ._network import collect, model_dtype
from .classifier import NeuralabClassifier
from .regressor import NeuralabRegressor

ESTIMATORS = {cls.__name__: cls for cls in (NeuralabClassifier, NeuralabRegressor)}
#: fitted attributes that are JSON values as they are
VALUES = ("n_features_in_", "n_outputs_", "n_layers_", "out_activation_", "loss_", "loss_curve_",
          "validation_loss_curve_", "validation_scores_", "best_loss_", "best_validation_score_",
          "n_iter_", "t_", "_no_improvement_count")
#: fitted ndarray attributes, kept as their values and dtype
ARRAYS = ("classes_", "feature_names_in_")


def _plain(value):
    """numpy scalars as Python numbers (for json.dumps)."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def estimator_state(estimator) -> str:
    """The JSON text of a fitted estimator's class, parameters and fitted attributes.

    Raises
    ------
    TypeError
        For an object that is neither an ``nn.Module`` nor a neuralab estimator, or a
        ``random_state`` that is a RandomState (only an int or None can be stored).
    sklearn.exceptions.NotFittedError
        For an estimator that has not been fitted.
    """
    if type(estimator).__name__ not in ESTIMATORS:
        raise TypeError(
            "nl.save takes an nn.Module or a fitted NeuralabClassifier / NeuralabRegressor. Got "
            f"{type(estimator).__name__}; pickle other scikit-learn estimators with joblib."
        )
    check_is_fitted(estimator)
    params = estimator.get_params(deep=False)
    if isinstance(params["random_state"], np.random.RandomState):
        raise TypeError(
            "random_state is a numpy RandomState, which nl.save cannot store as JSON; set it to "
            "an int or None (estimator.set_params(random_state=0)) before saving."
        )
    hidden = params["hidden_layer_sizes"]
    params["hidden_layer_sizes"] = list(hidden) if hasattr(hidden, "__iter__") else hidden
    state = {
        "class": type(estimator).__name__,
        "dtype": model_dtype(estimator).name,
        "params": params,
        "values": {name: getattr(estimator, name) for name in VALUES if hasattr(estimator, name)},
        "arrays": {name: {"values": getattr(estimator, name).tolist(),
                          "dtype": getattr(estimator, name).dtype.str}
                   for name in ARRAYS if hasattr(estimator, name)},
    }
    return json.dumps(state, default=_plain)


def estimator_from_state(text: str, model):
    """The fitted estimator that :func:`estimator_state` described, around ``model``."""
    state = json.loads(text)
    cls = ESTIMATORS.get(state.get("class"))
    if cls is None:
        raise ValueError(
            f"The file holds an estimator of unknown class {state.get('class')!r}; expected one "
            f"of {', '.join(ESTIMATORS)}."
        )
    params = dict(state["params"])
    if isinstance(params["hidden_layer_sizes"], list):
        params["hidden_layer_sizes"] = tuple(params["hidden_layer_sizes"])
    estimator = cls(**params)
    for name, value in state["values"].items():
        setattr(estimator, name, value)
    for name, array in state["arrays"].items():
        setattr(estimator, name, np.asarray(array["values"], dtype=np.dtype(array["dtype"])))
    estimator.model_ = model.eval()
    collect(estimator)
    if isinstance(estimator, NeuralabClassifier):
        estimator._label_binarizer = _label_binarizer(estimator)
    return estimator


def estimator_dtype(text: str) -> str | None:
    """The dtype of the weights of the estimator that :func:`estimator_state` described."""
    return json.loads(text).get("dtype")


def _label_binarizer(classifier) -> LabelBinarizer:
    """The fitted LabelBinarizer of a loaded classifier, rebuilt from ``classes_``: several
    logistic outputs mean multilabel targets (an indicator matrix), otherwise the classes
    themselves."""
    if classifier.out_activation_ == "logistic" and classifier.n_outputs_ > 1:
        width = classifier.n_outputs_
        return LabelBinarizer().fit(np.array([[0] * width, [1] * width]))
    return LabelBinarizer().fit(classifier.classes_)
