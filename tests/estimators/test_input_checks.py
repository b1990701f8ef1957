"""The estimators compute in their weights' dtype (that of the X first fitted): inputs that
would overflow it are reported as what they are, with fit's message, at fit and at predict."""

from __future__ import annotations

import numpy as np
import pytest

from neuralab.estimators import NeuralabClassifier, NeuralabRegressor

OVERFLOW = r"X holds values up to 1e\+300 in magnitude \(the first at row 4, column 2\) that " \
           r"overflow float32"


def _data():
    X = np.random.default_rng(0).normal(size=(30, 3))
    return X, (X[:, 0] > 0).astype(int)


@pytest.mark.parametrize("estimator", [NeuralabClassifier, NeuralabRegressor])
def test_a_warm_start_reports_features_that_overflow_the_float32_weights(estimator):
    X, y = _data()
    with pytest.warns(UserWarning):  # ConvergenceWarning: two epochs only
        model = estimator(hidden_layer_sizes=(4,), max_iter=2, warm_start=True).fit(
            X.astype(np.float32), y)
    X[4, 2] = 1e300
    with pytest.raises(ValueError, match=OVERFLOW):
        model.fit(X, y)


def test_predict_reports_features_that_overflow_the_float32_weights():
    X, y = _data()
    with pytest.warns(UserWarning):
        clf = NeuralabClassifier(hidden_layer_sizes=(4,), max_iter=2).fit(X.astype(np.float32),
                                                                          y)
    X[4, 2] = -1e300
    with pytest.raises(ValueError, match=OVERFLOW):
        clf.predict(X)


def test_the_regressor_reports_targets_that_overflow_float32():
    X, _ = _data()
    y = X[:, 0].copy()
    y[5] = 1e300
    with pytest.raises(ValueError, match=r"y holds values up to 1e\+300.*row 5.*overflow float32"):
        NeuralabRegressor(hidden_layer_sizes=(4,), max_iter=2).fit(X.astype(np.float32), y)


def test_float64_features_train_float64_weights_and_are_accepted():
    X, y = _data()
    X[4, 2] = 1e100  # overflows float32, not float64
    with pytest.warns(UserWarning):
        clf = NeuralabClassifier(hidden_layer_sizes=(4,), max_iter=2, alpha=0.0).fit(X / 1e90,
                                                                                      y)
    assert clf.coefs_[0].dtype == np.float64 and clf.predict(X / 1e90).shape == (30,)
