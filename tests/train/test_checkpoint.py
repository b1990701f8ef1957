"""Checkpoint state read from a file is validated, and resuming is all or nothing: a checkpoint
that does not fit the run leaves the model, optimizer and callbacks untouched."""

from __future__ import annotations

import json

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn, optim


def data():
    X = np.random.default_rng(0).normal(size=(24, 2))
    return X, (X[:, 0] > 0).astype(np.int64)


def train(model, optimizer, path=None, epochs=2, resume_from=None):
    X, y = data()
    callbacks = [nl.ModelCheckpoint(path)] if path else []
    return nl.fit(model, X, y, loss="cross_entropy", optimizer=optimizer, epochs=epochs,
                  batch_size=8, seed=0, verbose=0, callbacks=callbacks, resume_from=resume_from)


@pytest.fixture
def checkpoint(tmp_path):
    model = nn.MLP([2, 4, 2], seed=0)
    train(model, optim.SGD(model.parameters(), lr=0.1, momentum=0.9), tmp_path / "run.ckpt")
    return tmp_path / "run.ckpt"


def snapshot(model, optimizer):
    return model.state_dict(), optimizer.state_dict()


def assert_unchanged(before, model, optimizer):
    for name, value in before[0].items():
        np.testing.assert_array_equal(model.state_dict()[name], value)
    after = optimizer.state_dict()
    assert after["hyperparameters"] == before[1]["hyperparameters"]
    for index, buffers in before[1]["state"].items():
        for name, value in buffers.items():
            np.testing.assert_array_equal(after["state"][index][name], value)


def test_a_checkpoint_of_another_optimizer_leaves_the_model_as_it_was(checkpoint):
    """The weights fit, the optimizer does not: before, the weights were loaded all the same."""
    model = nn.MLP([2, 4, 2], seed=5)
    optimizer = optim.Adam(model.parameters(), lr=0.01)
    train(model, optimizer, epochs=1)
    before = snapshot(model, optimizer)
    with pytest.raises(nl.ModelFileError, match=r"does not fit this run, so nothing was resumed"
                       r".*Cannot load the state of a SGD into a Adam"):
        train(model, optimizer, epochs=5, resume_from=checkpoint)
    assert_unchanged(before, model, optimizer)


def test_a_checkpoint_of_another_architecture_is_refused_without_change(checkpoint):
    model = nn.MLP([2, 5, 2], seed=5)
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    before = snapshot(model, optimizer)
    with pytest.raises(nl.ModelFileError, match="shape mismatch"):
        train(model, optimizer, epochs=5, resume_from=checkpoint)
    assert_unchanged(before, model, optimizer)


def test_a_matching_checkpoint_still_resumes(checkpoint):
    model = nn.MLP([2, 4, 2], seed=0)
    history = train(model, optim.SGD(model.parameters(), lr=0.1, momentum=0.9), epochs=3,
                    resume_from=checkpoint)
    assert history.epoch == [0, 1, 2]


def edited(checkpoint, tmp_path, change):
    """The checkpoint with its state JSON changed by ``change(state)`` (or replaced by text)."""
    from safetensors.numpy import save_file

    arrays, metadata = nl.io.read_safetensors(checkpoint)
    state = json.loads(metadata["state"])
    text = change(state)
    path = tmp_path / "edited.ckpt"
    save_file(arrays, str(path),
              metadata={**metadata, "state": text if isinstance(text, str) else json.dumps(state)})
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.pop("optimizer"), "its state's 'optimizer' is missing"),
        (lambda s: s.update(epoch="two"), "its state's 'epoch' is str"),
        (lambda s: s.update(epoch=True), "its state's 'epoch' is bool"),
        (lambda s: s.update(epoch=-1), "a negative epoch"),
        (lambda s: s.update(generators={}), "its state's 'generators' is dict"),
        (lambda s: s.update(seed="0"), "its state's 'seed' is str"),
        (lambda s: s.update(default_generator=[1]), "its state's 'default_generator' is list"),
        (lambda s: s["model"].update({"0.weight": {"__array__": "nothing/here"}}),
         "refers to the array 'nothing/here', which the file does not hold"),
        (lambda s: s["model"].update({"0.weight": 3}), "model weights that are not arrays"),
        (lambda s: "[" * 100_000, "nested too deeply"),
        (lambda s: "{broken", "training state is not valid JSON"),
        (lambda s: "[1, 2]", "training state is not a JSON object"),
        (lambda s: s.update(loader={"__items__": 5}), "malformed mapping"),
    ],
)
def test_a_damaged_state_is_named_before_the_run_changes(checkpoint, tmp_path, change, message):
    path = edited(checkpoint, tmp_path, change)
    model = nn.MLP([2, 4, 2], seed=5)
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    before = snapshot(model, optimizer)
    with pytest.raises(nl.ModelFileError, match=message):
        train(model, optimizer, epochs=5, resume_from=path)
    assert_unchanged(before, model, optimizer)


def test_a_generator_state_that_does_not_fit_rolls_everything_back(checkpoint, tmp_path):
    def break_loader(state):
        state["loader"]["bit_generator"]["state"] = "garbage"

    path = edited(checkpoint, tmp_path, break_loader)
    model = nn.MLP([2, 4, 2], seed=5)
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    train(model, optimizer, epochs=1)
    before = snapshot(model, optimizer)
    with pytest.raises(nl.ModelFileError, match="nothing was resumed"):
        train(model, optimizer, epochs=5, resume_from=path)
    assert_unchanged(before, model, optimizer)
