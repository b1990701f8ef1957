"""An estimator's parameters and fitted attributes as JSON, for ``nl.save`` / ``nl.load``.

The network's numbers go to the safetensors file like any model's; this is everything else a
fitted estimator needs to predict, in plain JSON, so loading never unpickles. The optimizer's
state is not kept: ``partial_fit`` or a warm-started ``fit`` after loading starts a fresh one.
The weights' dtype is kept: ``io.load`` builds the network in it (:func:`estimator_dtype`).

What a file says is checked before it reaches the estimator: only the estimator's own
parameter names (validated as ``fit`` validates them), only the fitted attributes listed below
with values of their type, and classes and feature counts that agree with the stored network.
"""

from __future__ import annotations

import json
from numbers import Integral, Real

import numpy as np
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.validation import check_is_fitted

from .._config import config
from ..io.files import ModelFileError, parse_json
from ..nn import MLP
from ._network import collect, model_dtype
from ._objective import LOSS_KINDS
from ._params import check_params
from .classifier import NeuralabClassifier
from .regressor import NeuralabRegressor

ESTIMATORS = {cls.__name__: cls for cls in (NeuralabClassifier, NeuralabRegressor)}


def _count(value) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool) and value >= 0


def _number(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _numbers(value) -> bool:
    return isinstance(value, list) and all(map(_number, value))


def _optional(check):
    return lambda value: value is None or check(value)


#: fitted attributes that are JSON values as they are, with the check of their value
VALUES = {
    "n_features_in_": _count,
    "n_outputs_": _count,
    "loss_curve_": _numbers,
    "validation_loss_curve_": _optional(_numbers),
    "validation_scores_": _optional(_numbers),
    "best_loss_": _optional(_number),
    "best_validation_score_": _optional(_number),
    "n_iter_": _count,
    "_no_improvement_count": _count,
    "n_layers_": _count,
    "t_": _count,
    "out_activation_": lambda value: value in LOSS_KINDS,
    "loss_": _optional(_number),
}
#: the dtypes an estimator's weights may have
DTYPES = ("float32", "float64")
#: what every fitted estimator has
REQUIRED = ("n_features_in_", "loss_curve_", "n_iter_")
#: fitted ndarray attributes, kept as their values and dtype
ARRAYS = ("classes_", "feature_names_in_")
#: dtype kinds an array attribute may have; objects only as a list of JSON scalars (labels
#: fitted from a pandas column of strings are an object array)
ARRAY_KINDS = "biufUO"
SCALARS = (str, int, float, bool)


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
            "nl.save takes an nn.Module or a fitted NeuralabClassifier / NeuralabRegressor (or "
            f"a neuralab Predictor). Got {type(estimator).__name__}; pickle other scikit-learn "
            "estimators with joblib."
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


class _Reader:
    """Checks of one file's estimator state, each failing with a ModelFileError naming it."""

    def __init__(self, path) -> None:
        self.path = path

    def fail(self, reason: str) -> ModelFileError:
        return ModelFileError(f"{str(self.path)!r} holds invalid estimator settings: {reason}.")

    def section(self, state: dict, key: str, kind: type):
        value = state.get(key)
        if not isinstance(value, kind):
            raise self.fail(f"{key!r} is {type(value).__name__}, expected a {kind.__name__}")
        return value

    def estimator(self, state: dict):
        cls = ESTIMATORS.get(state.get("class"))
        if cls is None:
            raise self.fail(f"the class {state.get('class')!r} is not one of "
                            f"{', '.join(ESTIMATORS)}")
        params = self.section(state, "params", dict)
        known = cls._get_param_names()
        unknown = sorted(set(params) - set(known))
        if unknown:
            raise self.fail(f"{cls.__name__} has no parameter(s) {unknown}; its parameters "
                            f"are {', '.join(known)}")
        if isinstance(params.get("hidden_layer_sizes"), list):
            params = {**params, "hidden_layer_sizes": tuple(params["hidden_layer_sizes"])}
        estimator = cls(**params)  # missing parameters keep their defaults
        try:
            self.settings = check_params(estimator)
        except (TypeError, ValueError) as err:
            raise self.fail(str(err).rstrip(".")) from None
        return estimator

    def values(self, state: dict) -> dict:
        values = self.section(state, "values", dict)
        absent = [name for name in REQUIRED if name not in values]
        if absent:
            raise self.fail(f"the fitted attribute(s) {absent} are missing")
        for name, value in values.items():
            check = VALUES.get(name)
            if check is None:
                raise self.fail(f"{name!r} is not a fitted attribute neuralab stores (those "
                                f"are {', '.join(VALUES)})")
            if not check(value):
                raise self.fail(f"the fitted attribute {name!r} has the value {value!r:.80}")
        return values

    def arrays(self, state: dict) -> dict[str, np.ndarray]:
        arrays = {}
        for name, entry in self.section(state, "arrays", dict).items():
            if name not in ARRAYS:
                raise self.fail(f"{name!r} is not a fitted array neuralab stores (those are "
                                f"{', '.join(ARRAYS)})")
            try:
                dtype, values = np.dtype(entry["dtype"]), entry["values"]
                if dtype.kind not in ARRAY_KINDS or not isinstance(values, list) or (
                        dtype.kind == "O" and not all(isinstance(v, SCALARS) for v in values)):
                    raise TypeError
                array = np.asarray(values, dtype=dtype)
            except (KeyError, TypeError, ValueError, OverflowError):
                raise self.fail(f"the fitted array {name!r} is not a list of values with a "
                                "numeric or text dtype") from None
            if array.ndim != 1:
                raise self.fail(f"the fitted array {name!r} is not one-dimensional")
            arrays[name] = array
        return arrays

    def fits_model(self, estimator, model) -> None:
        """The fitted attributes agree with the network's input and output sizes."""
        if not isinstance(model, MLP):
            raise self.fail(f"the network is a {type(model).__name__}, not the MLP an estimator "
                            "trains")
        layout = (list(self.settings.hidden), self.settings.activation, estimator.batch_norm,
                  estimator.dropout)
        if layout != (model.sizes[1:-1], model.activation, model.batch_norm, model.dropout):
            raise self.fail(
                f"the parameters (hidden layers {layout[0]}, {layout[1]}, batch_norm={layout[2]}, "
                f"dropout={layout[3]}) do not describe the stored network ({model.sizes[1:-1]}, "
                f"{model.activation}, batch_norm={model.batch_norm}, dropout={model.dropout})")
        n_in, n_out = model.sizes[0], model.sizes[-1]
        if getattr(estimator, "n_features_in_", None) != n_in:
            raise self.fail(f"n_features_in_ is {getattr(estimator, 'n_features_in_', None)!r} "
                            f"but the network takes {n_in} inputs")
        names = getattr(estimator, "feature_names_in_", None)
        if names is not None and len(names) != n_in:
            raise self.fail(f"feature_names_in_ has {len(names)} names for {n_in} inputs")
        if isinstance(estimator, NeuralabClassifier):
            classes = getattr(estimator, "classes_", np.empty(0))
            # softmax: one logit per class; logistic: one output (one or two classes) or one
            # per label (multilabel targets, whose classes_ are 0 .. n_labels - 1)
            softmax = getattr(estimator, "out_activation_", "softmax") == "softmax"
            allowed = ((len(classes) == n_out >= 3) if softmax else
                       (len(classes) in (1, 2) if n_out == 1 else len(classes) == n_out))
            if not allowed or len(np.unique(classes)) != len(classes):
                raise self.fail(f"classes_ has {len(classes)} distinct labels for a network "
                                f"with {n_out} output(s)")
        elif getattr(estimator, "n_outputs_", None) != n_out:
            raise self.fail(f"n_outputs_ is {getattr(estimator, 'n_outputs_', None)!r} but the "
                            f"network has {n_out} output(s)")


def estimator_from_state(text: str, model, path="the file"):
    """The fitted estimator that :func:`estimator_state` described, around ``model``.

    Raises
    ------
    neuralab.ModelFileError
        If the state is not valid JSON, names an unknown class, parameter or attribute, holds a
        parameter ``fit`` would refuse, an attribute of the wrong type, or classes or sizes
        that do not fit ``model``. Nothing is returned half-built.
    """
    reader = _Reader(path)
    state = parse_json(text, "estimator settings", path)
    if not isinstance(state, dict):
        raise reader.fail("they are not a JSON object")
    estimator = reader.estimator(state)
    for name, value in {**reader.values(state), **reader.arrays(state)}.items():
        setattr(estimator, name, value)
    reader.fits_model(estimator, model)
    estimator.model_ = model.eval()
    collect(estimator)
    if isinstance(estimator, NeuralabClassifier):
        estimator._label_binarizer = _label_binarizer(estimator)
    return estimator


def from_model_file(text: str, build, path="the file"):
    """The estimator a model file holds: the ``neuralab.model_files`` loader for "estimator"
    (see :mod:`neuralab.io.payloads`). ``build()`` reads the network, here in the dtype the
    fitted weights had."""
    with config(dtype=estimator_dtype(text, path)):
        model = build()
    return estimator_from_state(text, model, path)


def estimator_dtype(text: str, path="the file") -> str | None:
    """The dtype of the weights of the estimator that :func:`estimator_state` described (None
    for files written before it was stored)."""
    state = parse_json(text, "estimator settings", path)
    dtype = state.get("dtype") if isinstance(state, dict) else None
    if dtype is not None and dtype not in DTYPES:
        raise _Reader(path).fail(f"the dtype {dtype!r} is not one of {', '.join(DTYPES)}")
    return dtype


def _label_binarizer(classifier) -> LabelBinarizer:
    """The fitted LabelBinarizer of a loaded classifier, rebuilt from ``classes_``: several
    logistic outputs mean multilabel targets (an indicator matrix), otherwise the classes
    themselves."""
    if classifier.out_activation_ == "logistic" and classifier.n_outputs_ > 1:
        width = classifier.n_outputs_
        return LabelBinarizer().fit(np.array([[0] * width, [1] * width]))
    return LabelBinarizer().fit(classifier.classes_)
