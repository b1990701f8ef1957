"""The divergence guard puts the optimizer's state back with the weights, so that the error's
advice -- the same optimizer at a lower learning rate -- works."""

from __future__ import annotations

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn, optim


def regression(n=64, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    return X, X @ [1.5, -2.0] + 0.3


def _same_state(state, expected):
    assert state["step_count"] == expected["step_count"]
    assert state.get("param_steps") == expected.get("param_steps")
    for index, buffers in expected["state"].items():
        for name, array in buffers.items():
            np.testing.assert_array_equal(state["state"][index][name], array,
                                          err_msg=f"{name} of parameter {index}")


class Record(nl.train.Callback):
    """The weights and the optimizer's state at the end of every epoch."""

    def __init__(self):
        self.ends = []

    def on_epoch_end(self, epoch, logs=None):
        self.ends.append((self.run.model.state_dict(), self.run.optimizer.state_dict()))


class Sabotage(nl.train.Callback):
    """Makes a weight infinite after batch 1 of epoch 2, so that batch 2 diverges."""

    def on_epoch_begin(self, epoch):
        self.epoch = epoch

    def on_batch_end(self, batch, logs=None):
        if self.epoch == 2 and batch == 1:
            self.run.model[0].weight.data[0, 0] = np.inf


@pytest.mark.parametrize("make", [
    lambda params: optim.SGD(params, lr=0.01, momentum=0.9),
    lambda params: optim.SGD(params, lr=0.01, momentum=0.9, nesterov=True),
    lambda params: optim.Adam(params, lr=0.01),
    lambda params: optim.RMSprop(params, lr=0.01),
], ids=["momentum", "nesterov", "adam", "rmsprop"])
def test_divergence_restores_the_optimizer_state_of_the_last_good_epoch(make):
    X, y = regression()
    model = nn.MLP([2, 8, 1], seed=0)
    opt = make(model.parameters())
    record = Record()
    with pytest.raises(nl.TrainingDivergedError,
                       match=r"epoch 3, batch 3.*The weights and the optimizer's state "
                             r"\(momentum, step counts\) were restored to the end of epoch 2"):
        nl.fit(model, X, y, loss="mse", optimizer=opt, epochs=5, batch_size=8, verbose=0, seed=0,
               metrics=(), callbacks=[record, Sabotage()])
    weights, state = record.ends[-1]
    assert len(record.ends) == 2
    assert all(np.array_equal(model.state_dict()[name], value) for name, value in weights.items())
    _same_state(opt.state_dict(), state)


def test_settings_changed_after_the_last_good_epoch_are_kept():
    X, y = regression()
    model = nn.MLP([2, 8, 1], seed=0)
    opt = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    class Halve(nl.train.Callback):
        def on_epoch_end(self, epoch, logs=None):
            self.run.optimizer.lr /= 2

    with pytest.raises(nl.TrainingDivergedError):
        nl.fit(model, X, y, loss="mse", optimizer=opt, epochs=5, batch_size=8, verbose=0, seed=0,
               metrics=(), callbacks=[Halve(), Sabotage()])
    assert opt.lr == 0.01 / 4


def test_after_divergence_the_same_optimizer_trains_at_a_lower_learning_rate():
    """The error's own advice: with momentum buffers of ~1e8 left behind, the retry diverged."""
    X, y = regression()
    model = nn.MLP([2, 8, 1], activation="relu", seed=0)
    opt = optim.SGD(model.parameters(), lr=0.2, momentum=0.9)
    with pytest.raises(nl.TrainingDivergedError, match="lower learning rate"):
        nl.fit(model, X, y, loss="mse", optimizer=opt, epochs=30, batch_size=8, verbose=0,
               seed=0, metrics=())
    assert max(np.abs(v).max() for v in opt.state["momentum_buffer"]) < 100
    opt.lr = 0.02
    history = nl.fit(model, X, y, loss="mse", optimizer=opt, epochs=30, batch_size=8, verbose=0,
                     seed=0, metrics=())
    assert history.history["loss"][-1] < history.history["loss"][0]
