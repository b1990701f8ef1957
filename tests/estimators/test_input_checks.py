"""The estimators report inputs that overflow the model's float32 as what they are (not as NaN
or infinity), with fit's message, at fit and at predict."""

from __future__ import annotations

import numpy as np
import pytest

import neuralab as nl
from neuralab.estimators import NeuralabClassifier, NeuralabRegressor

OVERFLOW = r"X holds values up to 1e\+300 in magnitude \(the first at row 4, column 2\) that " \
           r"overflow float32.*nl\.config\(dtype='float64'\)"


def _data():
    X = np.random.default_rng(0).normal(size=(30, 3))
    return X, (X[:, 0] > 0).astype(int)


@pytest.mark.parametrize("estimator", [NeuralabClassifier, NeuralabRegressor])
def test_fit_reports_features_that_overflow_float32(estimator):
    X, y = _data()
    X[4, 2] = 1e300
    with pytest.raises(ValueError, match=OVERFLOW):
        estimator(hidden_layer_sizes=(4,), max_iter=2).fit(X, y)


def test_predict_reports_features_that_overflow_float32():
    X, y = _data()
    with pytest.warns(UserWarning):  # ConvergenceWarning: two epochs only
        clf = NeuralabClassifier(hidden_layer_sizes=(4,), max_iter=2).fit(X, y)
    X[4, 2] = -1e300
    with pytest.raises(ValueError, match=OVERFLOW):
        clf.predict(X)


def test_the_regressor_reports_targets_that_overflow_float32():
    X, _ = _data()
    y = X[:, 0].copy()
    y[5] = 1e300
    with pytest.raises(ValueError, match=r"y holds values up to 1e\+300.*row 5.*overflow float32"):
        NeuralabRegressor(hidden_layer_sizes=(4,), max_iter=2).fit(X, y)


def test_in_float64_the_same_features_are_accepted():
    X, y = _data()
    X[4, 2] = 1e100  # overflows float32, not float64
    with nl.config(dtype="float64"), pytest.warns(UserWarning):
        clf = NeuralabClassifier(hidden_layer_sizes=(4,), max_iter=2).fit(X, y)
        assert clf.predict(X).shape == (30,)
