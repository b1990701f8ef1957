"""nl.fit and nl.evaluate with sample weights: the weighted mean of the per-sample losses."""

from __future__ import annotations

import numpy as np
import pytest

import neuralab as nl
from neuralab import functional as F
from neuralab import nn, optim


def data(n=12, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = (X[:, 0] + 0.3 * rng.normal(size=n) > 0).astype(np.int64)
    weights = rng.integers(0, 4, size=n)
    weights[0] = 2
    return X, y, weights


def trained(X, y, loss, outputs, **options):
    with nl.config(dtype="float64"):
        model = nn.MLP([X.shape[1], 4, outputs], activation="tanh", seed=0)
        nl.fit(model, X, y, loss=loss, optimizer=optim.SGD(model.parameters(), lr=0.3),
               epochs=5, batch_size="full", verbose=0, **options)
    return model.state_dict()


@pytest.mark.parametrize(("loss", "outputs"), [("cross_entropy", 2), ("bce_with_logits", 1),
                                               ("mse", 2)])
def test_integer_weights_train_like_repeated_rows_in_full_batch_descent(loss, outputs):
    X, y, weights = data()
    if loss == "mse":
        y = np.column_stack([y, -2.0 * y + X[:, 1]])
    weighted = trained(X, y, loss, outputs, sample_weight=weights)
    repeated = trained(X.repeat(weights, axis=0), y.repeat(weights, axis=0), loss, outputs)
    for name, value in repeated.items():
        np.testing.assert_allclose(weighted[name], value, rtol=1e-10, atol=1e-12, err_msg=name)


def test_zero_weight_samples_give_no_gradient():
    X, y, _ = data()
    model = nn.MLP([3, 4, 2], seed=0)
    before = model.state_dict()
    nl.fit(model, X, y, loss="cross_entropy", optimizer=optim.SGD(model.parameters(), lr=1.0),
           epochs=1, batch_size=1, sample_weight=np.r_[1.0, np.zeros(len(X) - 1)], verbose=0,
           seed=0, metrics=())
    changed = [not np.array_equal(before[k], v) for k, v in model.state_dict().items()]
    assert any(changed)
    # weights are scaled to mean 1, so the one weighted sample carries weight N: its update
    # is the one N times its gradient would make
    alone = nn.MLP([3, 4, 2], seed=0)
    nl.fit(alone, X[:1], y[:1], loss="cross_entropy", epochs=1, batch_size=1, verbose=0,
           optimizer=optim.SGD(alone.parameters(), lr=1.0 * len(X)), metrics=())
    for name, value in alone.state_dict().items():
        np.testing.assert_allclose(model.state_dict()[name], value, rtol=1e-5, atol=1e-7)


def test_evaluate_gives_weighted_means():
    X, y, weights = data()
    model = nn.MLP([3, 4, 2], seed=1).eval()
    scores = nl.evaluate(model, X, y, loss="cross_entropy", sample_weight=weights)
    with nl.no_grad():
        logits = model(X)
    losses = F.cross_entropy(logits, y, reduction="none").data
    correct = logits.data.argmax(axis=1) == y
    assert scores["loss"] == pytest.approx(np.average(losses, weights=weights), rel=1e-5)
    assert scores["accuracy"] == pytest.approx(np.average(correct, weights=weights))


def test_validation_weights_come_from_the_triple_or_the_split():
    X, y, weights = data(40)
    model = nn.MLP([3, 4, 2], seed=0)
    history = nl.fit(model, X[:30], y[:30], loss="cross_entropy", optimizer="sgd", epochs=1,
                     validation_data=(X[30:], y[30:], weights[30:]), verbose=0, seed=0)
    expected = nl.evaluate(model, X[30:], y[30:], loss="cross_entropy",
                           sample_weight=weights[30:])
    assert history.history["val_loss"][0] == pytest.approx(expected["loss"])
    assert history.history["val_accuracy"][0] == pytest.approx(expected["accuracy"])
    split = nl.fit(nn.MLP([3, 4, 2], seed=0), X, y, loss="cross_entropy", optimizer="sgd",
                   epochs=1, validation_split=0.25, sample_weight=weights, verbose=0, seed=0)
    unweighted = nl.fit(nn.MLP([3, 4, 2], seed=0), X, y, loss="cross_entropy",
                        optimizer="sgd", epochs=1, validation_split=0.25, verbose=0, seed=0)
    assert split.history["val_loss"] != unweighted.history["val_loss"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"sample_weight": [1.0, -1.0, 1.0, 1.0]}, r"finite weights >= 0.*from -1 to 1"),
        ({"sample_weight": [1.0, 1.0]}, r"one weight per sample, shape \(4,\).*\(2,\)"),
        ({"sample_weight": [0, 0, 0, 0]}, "all zeros"),
        ({"sample_weight": [1.0, np.nan, 1.0, 1.0]}, "finite weights"),
        ({"sample_weight": [1, 1, 1, 1], "loss": lambda out, y: (out * 0).sum()},
         "custom loss callable cannot be"),
        ({"validation_data": (np.zeros((2, 2)),)}, r"pair \(X_val, y_val\).*tuple of 1"),
    ],
    ids=["negative", "length", "zeros", "nan", "custom-loss", "validation-data"],
)
def test_bad_weights_fail_before_training(options, message):
    X, y = np.zeros((4, 2)), np.array([0, 1, 0, 1])
    model = nn.MLP([2, 3, 2], seed=0)
    before = model.state_dict()
    with pytest.raises(ValueError, match=message):
        nl.fit(model, X, y, **{"loss": "cross_entropy", "optimizer": "sgd", "epochs": 1,
                               "verbose": 0, **options})
    assert all(np.array_equal(before[k], v) for k, v in model.state_dict().items())
