"""NeuralabRegressor: one and several targets, partial_fit, early stopping on R²."""

from __future__ import annotations

import numpy as np
import pytest

from neuralab.estimators import NeuralabRegressor

FAST = {"hidden_layer_sizes": (32,), "learning_rate_init": 0.01, "max_iter": 150,
        "random_state": 0}


def waves(n=200, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2, 2, size=(n, 3))
    Y = np.column_stack([np.sin(X[:, 0]) + X[:, 1], X[:, 1] * X[:, 2], -X[:, 2]])
    return X, Y


def test_one_target_gives_1d_predictions():
    X, Y = waves()
    reg = NeuralabRegressor(**FAST).fit(X, Y[:, 0])
    assert reg.n_outputs_ == 1 and reg.model_[-1].out_features == 1
    assert reg.predict(X).shape == (len(X),)
    assert reg.score(X, Y[:, 0]) > 0.9
    assert not hasattr(reg, "decision_function") and not hasattr(reg, "predict_proba")


def test_several_targets_are_learned_together_with_the_squared_error():
    X, Y = waves()
    reg = NeuralabRegressor(**FAST).fit(X, Y)
    assert reg.n_outputs_ == 3 and reg.predict(X).shape == (len(X), 3)
    assert reg.predict(X).dtype == np.float64
    assert reg.score(X, Y) > 0.9
    mse = np.mean((reg.predict(X) - Y) ** 2)
    # MLPRegressor's loss: half the mean squared error (plus the small L2 penalty)
    assert reg.loss_curve_[-1] == pytest.approx(mse / 2, rel=0.3)


def test_warm_start_refuses_targets_of_another_width():
    X, Y = waves()
    reg = NeuralabRegressor(**{**FAST, "max_iter": 2, "warm_start": True}).fit(X, Y)
    with pytest.raises(ValueError, match=r"y needs 1 output unit\(s\) but the fitted "
                                         r"NeuralabRegressor has 3"):
        reg.fit(X, Y[:, 0])


def test_partial_fit_trains_incrementally():
    X, Y = waves()
    reg = NeuralabRegressor(**FAST)
    for start in range(0, 200, 50):
        reg.partial_fit(X[start:start + 50], Y[start:start + 50])
    first = reg.score(X, Y)
    for _ in range(40):
        reg.partial_fit(X, Y)
    assert len(reg.loss_curve_) == 44 and reg.score(X, Y) > max(first, 0.5)


def test_early_stopping_scores_r2_on_held_out_data():
    X, Y = waves(300)
    reg = NeuralabRegressor(**{**FAST, "max_iter": 400, "early_stopping": True}).fit(X, Y)
    assert reg.n_iter_ < 400
    assert len(reg.validation_scores_) == reg.n_iter_
    assert max(reg.validation_scores_) == reg.best_validation_score_ > 0.8
    assert reg.best_loss_ is None


def test_sample_weight_pulls_the_fit_towards_heavy_samples():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(120, 1))
    y = np.where(np.arange(120) % 2 == 0, 1.0, -1.0)  # two contradicting targets per region
    settings = {**FAST, "hidden_layer_sizes": (4,)}
    heavy = NeuralabRegressor(**settings).fit(X, y, sample_weight=np.where(y > 0, 3.0, 1.0))
    # the weighted mean of the two targets is (3 - 1) / 4 = 0.5
    assert np.mean(heavy.predict(X)) == pytest.approx(0.5, abs=0.1)
