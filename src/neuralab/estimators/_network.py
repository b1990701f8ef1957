"""The estimators' network: MLPClassifier's initial weights, and the ``nl.nn.MLP`` that computes
with ``coefs_`` and ``intercepts_``.

``coefs_`` and ``intercepts_`` are plain lists of the very arrays the network's Linear layers
hold. Before the network is used, :func:`bind` makes each layer take the array the lists name
(so an assigned or edited list changes the model, as with MLPClassifier); after training,
:func:`collect` lists the layers' arrays again.
"""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np

from .. import functional as F
from .._config import config
from ..nn import MLP, Linear


def initial_parameters(layer_units, activation: str, dtype, random_state):
    """``(coefs, intercepts)`` drawn exactly as MLPClassifier draws them.

    For each layer in turn, W of shape (fan_in, fan_out) and then b of shape (fan_out,) are
    drawn from U(-a, a) with Glorot and Bengio's bound a = sqrt(f / (fan_in + fan_out)):
    f = 6 for every activation but the logistic, whose gentler slope (σ'(0) = 1/4) gets
    f = 2. The draws are float64 from ``random_state`` (a numpy RandomState), cast to
    ``dtype``: float32 and float64 fits from the same seed start from the same weights.
    """
    coefs, intercepts = [], []
    factor = 2.0 if activation == "sigmoid" else 6.0
    for fan_in, fan_out in pairwise(layer_units):
        bound = math.sqrt(factor / (fan_in + fan_out))
        coefs.append(random_state.uniform(-bound, bound, (fan_in, fan_out)).astype(dtype))
        intercepts.append(random_state.uniform(-bound, bound, fan_out).astype(dtype))
    return coefs, intercepts


def linear_layers(model) -> list[Linear]:
    return [layer for layer in model if isinstance(layer, Linear)]


def model_dtype(estimator) -> np.dtype:
    """The dtype the estimator computes in: that of its first weight matrix."""
    weights = np.asarray(estimator.coefs_[0])
    return weights.dtype if weights.dtype.kind == "f" else np.dtype(np.float64)


def bind(estimator, seed: int) -> None:
    """Make ``estimator.model_`` compute with ``coefs_`` and ``intercepts_``, building it (with
    ``seed`` for its dropout masks) when there is none yet.

    Arrays that are not yet the layers' own are cast to the model's dtype and put in place
    (in the lists too, which then name the layers' arrays).

    Raises
    ------
    ValueError
        When the lists do not fit the network: another number of layers or other shapes.
    """
    coefs = estimator.coefs_ = list(estimator.coefs_)
    intercepts = estimator.intercepts_ = list(estimator.intercepts_)
    if not hasattr(estimator, "model_"):
        sizes = [np.shape(coefs[0])[0], *(np.shape(w)[1] for w in coefs)]
        with config(dtype=model_dtype(estimator)):
            estimator.model_ = MLP(sizes, activation=F.ACTIVATIONS.key(estimator.activation),
                                   batch_norm=estimator.batch_norm, dropout=estimator.dropout,
                                   seed=seed, init="zeros")
    layers = linear_layers(estimator.model_)
    dtype = layers[0].weight.data.dtype
    owner = type(estimator).__name__
    if len(coefs) != len(layers) or len(intercepts) != len(layers):
        raise ValueError(
            f"{owner} has {len(layers)} layers, but coefs_ holds {len(coefs)} weight matrices "
            f"and intercepts_ {len(intercepts)} bias vectors: give one of each per layer."
        )
    for index, layer in enumerate(layers):
        for values, param, name in ((coefs, layer.weight, "coefs_"),
                                    (intercepts, layer.bias, "intercepts_")):
            if values[index] is param.data:
                continue
            array = np.asarray(values[index], dtype=dtype)
            if array.shape != param.shape:
                raise ValueError(
                    f"{name}[{index}] has shape {array.shape}, but layer {index} of the {owner} "
                    f"needs {param.shape}. Assign arrays of the fitted shapes (or fit afresh)."
                )
            param.data = values[index] = array


def collect(estimator) -> None:
    """List the network's arrays as ``coefs_`` and ``intercepts_`` (new lists)."""
    layers = linear_layers(estimator.model_)
    estimator.coefs_ = [layer.weight.data for layer in layers]
    estimator.intercepts_ = [layer.bias.data for layer in layers]


def packing_order(model) -> list:
    """The parameters in MLPClassifier's packing order for L-BFGS: every weight matrix, then
    every bias vector."""
    layers = linear_layers(model)
    return [layer.weight for layer in layers] + [layer.bias for layer in layers]
