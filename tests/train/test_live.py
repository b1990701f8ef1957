"""LivePlot: one output in a notebook, updated in place; nothing (and one warning) elsewhere."""

import warnings

import pytest

import neuralab as nl
from neuralab import nn
from neuralab.train import live


class FakeHandle:
    def __init__(self):
        self.updates = []

    def update(self, obj):
        self.updates.append(obj)


class FakeNotebook:
    """Stands in for IPython.display: records display() calls and their handles."""

    def __init__(self):
        self.shown = []

    def display(self, obj, display_id=False):
        assert display_id is True
        handle = FakeHandle()
        self.shown.append((obj, handle))
        return handle


def _fit(callback, epochs=6, **kwargs):
    X, y = nl.data.moons(64, seed=0)
    net = nn.MLP([2, 8, 1], seed=0)
    return nl.fit(net, X, y, loss="bce_with_logits", optimizer="adam", epochs=epochs,
                  verbose=0, seed=0, callbacks=[callback], **kwargs)


@pytest.fixture
def notebook(monkeypatch):
    fake = FakeNotebook()
    monkeypatch.setattr(live, "notebook_display", lambda: (fake.display, str))
    return fake


def test_live_plot_shows_one_output_and_updates_it_in_place(notebook, monkeypatch):
    ticks = iter(range(0, 10**6, 10))  # each reading 10 s later: drawing "takes" 10 s...
    monkeypatch.setattr(live, "_clock", lambda: next(ticks))  # ...and so does each epoch
    _fit(nl.LivePlot(every=0), epochs=6, validation_split=0.25)
    assert len(notebook.shown) == 1  # one output, never a new one per epoch
    updates = notebook.shown[0][1].updates
    assert len(updates) == 6
    assert "epoch 6 of 6" in updates[-1] and "val_loss" in updates[-1]
    assert "data:image/png;base64," in updates[-1]


def test_live_plot_spaces_its_redraws_but_always_draws_the_last_epoch(notebook):
    _fit(nl.LivePlot(every=3600), epochs=5)
    updates = notebook.shown[0][1].updates
    assert len(updates) == 2  # the first epoch, then the end of training
    assert "epoch 1 of 5" in updates[0] and "epoch 5 of 5" in updates[-1]


def test_live_plot_outside_a_notebook_warns_once_and_training_goes_on():
    callback = nl.LivePlot()
    with pytest.warns(UserWarning, match="not one"):
        history = _fit(callback, epochs=2)
    assert len(history.epoch) == 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _fit(callback, epochs=1)  # the second run stays quiet


def test_notebook_display_is_none_without_a_kernel():
    assert live.notebook_display() is None


def test_estimators_take_callbacks_in_fit(notebook):
    X, y = nl.data.moons(64, seed=0)
    clf = nl.NeuralabClassifier(hidden_layer_sizes=(8,), max_iter=4, random_state=0)
    with pytest.warns(Warning):  # max_iter ends training: a ConvergenceWarning
        clf.fit(X, y, callbacks=[nl.LivePlot(every=3600)])
    updates = notebook.shown[0][1].updates
    assert len(updates) == 2 and "epoch 4 of 4" in updates[-1]


@pytest.mark.parametrize("every", [-1, "often", True])
def test_live_plot_rejects_a_bad_interval(every):
    with pytest.raises(ValueError, match="'every' parameter of LivePlot"):
        nl.LivePlot(every=every)
