"""Checkpoints hold every generator a run draws from: an interrupted run with an unseeded Dropout
and no fit seed resumes bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn, optim


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(48, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(int)


def _run(path, epochs, resume_from=None, seed=None):
    """Dropout without a seed (the default generator's masks) and fit without a seed (a drawn
    validation split and shuffling)."""
    with nl.config(dtype="float64"):
        X, y = _data()
        model = nn.Sequential(nn.Linear(2, 8, seed=0), nn.ReLU(), nn.Dropout(0.3),
                              nn.Linear(8, 2, seed=1))
        opt = optim.Adam(model.parameters(), lr=0.01)
        history = nl.fit(model, X, y, loss="cross_entropy", optimizer=opt, epochs=epochs,
                         batch_size=8, validation_split=0.25, verbose=0, seed=seed,
                         callbacks=[nl.ModelCheckpoint(path)], resume_from=resume_from)
    return model, history


def test_resume_with_an_unseeded_dropout_and_no_seed_is_bit_for_bit(tmp_path):
    nl.manual_seed(1)
    straight, straight_history = _run(tmp_path / "a.safetensors", epochs=6)
    nl.manual_seed(1)
    _run(tmp_path / "b.safetensors", epochs=3)
    nl.manual_seed(2)  # a new process: the default generator is elsewhere
    nl.rand(100)
    resumed, resumed_history = _run(tmp_path / "c.safetensors", epochs=6,
                                    resume_from=tmp_path / "b.safetensors")
    for name, value in straight.state_dict().items():
        np.testing.assert_array_equal(resumed.state_dict()[name], value, err_msg=name)
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
        assert resumed_history.history[key] == straight_history.history[key], key


def test_resume_refuses_another_seed_than_the_checkpoints(tmp_path):
    _run(tmp_path / "run.safetensors", epochs=2, seed=3)
    with pytest.raises(ValueError, match=r"written by a run with seed=3, but fit got seed=4.*"
                                         r"Pass seed=3, or seed=None"):
        _run(tmp_path / "other.safetensors", epochs=4, seed=4,
             resume_from=tmp_path / "run.safetensors")


def test_a_checkpoint_records_the_seed_fit_drew(tmp_path):
    nl.manual_seed(5)
    _run(tmp_path / "run.safetensors", epochs=1)
    state, _ = nl.train.checkpoint.load_checkpoint(tmp_path / "run.safetensors")
    nl.manual_seed(5)
    assert state["seed"] == int(nl._config.default_generator().integers(2**63))
