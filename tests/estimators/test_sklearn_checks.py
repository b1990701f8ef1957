"""scikit-learn's own estimator checks, run on both estimators: all pass, none expected to fail."""

from __future__ import annotations

import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.estimator_checks import parametrize_with_checks

from neuralab.estimators import NeuralabClassifier, NeuralabRegressor

#: small networks and few epochs keep the ~100 fits of the checks fast
SETTINGS = {"hidden_layer_sizes": (16,), "max_iter": 60, "learning_rate_init": 0.01}
CHECKED = [NeuralabClassifier(**SETTINGS), NeuralabRegressor(**SETTINGS),
           NeuralabClassifier(solver="sgd", **SETTINGS),
           NeuralabClassifier(solver="lbfgs", hidden_layer_sizes=(16,), max_iter=60),
           NeuralabRegressor(solver="lbfgs", hidden_layer_sizes=(16,), max_iter=60)]


@pytest.mark.filterwarnings("ignore", category=ConvergenceWarning)
@parametrize_with_checks(CHECKED)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
