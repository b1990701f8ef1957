"""A replayed step must equal the eager step it was traced from, value for value."""

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn
from neuralab.autograd.replay import Replay
from neuralab.optim.packing import ParameterPack
from neuralab.train import step as train_step

RNG = np.random.default_rng(0)
X = RNG.standard_normal((10, 3)).astype(np.float32)
LABELS = RNG.integers(0, 2, 10)

CASES = {  # loss name: (model, targets)
    "bce_with_logits": (lambda: nn.MLP([3, 5, 1], activation="tanh", seed=1),
                        LABELS.reshape(-1, 1).astype(np.float32)),
    "bce": (lambda: nn.Sequential(nn.Linear(3, 4, seed=1), nn.LeakyReLU(0.1),
                                  nn.Linear(4, 1, seed=2), nn.Sigmoid()),
            LABELS.reshape(-1, 1).astype(np.float32)),
    "cross_entropy": (lambda: nn.MLP([3, 6, 4, 3], activation="relu", seed=1),
                      RNG.integers(0, 3, 10)),
    "mse": (lambda: nn.MLP([3, 4, 2], activation="sigmoid", seed=1),
            RNG.standard_normal((10, 2)).astype(np.float32)),
}
#: loss modules with parameters of their op, which the replay must carry along
LOSS_MODULES = {
    "bce_with_logits": lambda: nn.BCEWithLogitsLoss(pos_weight=[2.5]),
    "cross_entropy": lambda: nn.CrossEntropyLoss(label_smoothing=0.2),
}


def _eager(model, loss_fn, x, y):
    for param in model.parameters():
        param.grad = None
    output = model(x)
    loss = loss_fn(output, y)
    loss.backward()
    return output, loss


def _follows_eager(replay, replay_model, eager_model, loss_fn, y, pack=None):
    """Replayed and eager steps on batches of several sizes give the same output, loss and
    gradients (in the pack's buffer, if there is one), and both models move on identically."""
    for rows in (slice(4, 8), slice(8, 10), slice(0, 10)):  # other sizes too
        expected_out, expected_loss = _eager(eager_model, loss_fn, X[rows], y[rows])
        out, value = replay.run(X[rows], y[rows])
        np.testing.assert_array_equal(out, expected_out.data)
        assert value == float(expected_loss.data)
        for mine, theirs in zip(replay_model.parameters(), eager_model.parameters(), strict=True):
            np.testing.assert_array_equal(mine.grad, theirs.grad)
            assert pack is None or mine.grad.base is pack.grad
            mine.data -= 0.1 * mine.grad
            theirs.data -= 0.1 * theirs.grad


@pytest.mark.parametrize("packed", [False, True])
@pytest.mark.parametrize("loss_name", [*CASES, *(f"{name} with options" for name in LOSS_MODULES)])
def test_replay_equals_the_eager_step_on_every_batch(loss_name, packed):
    """Packed: the parameters live in a ParameterPack and the replay writes their gradients
    into its flat buffer. "with options": pos_weight / label_smoothing travel with the op."""
    name = loss_name.removesuffix(" with options")
    make, y = CASES[name]
    eager_model, replay_model = make(), make()
    pack = ParameterPack.pack(replay_model.parameters()) if packed else None
    loss_fn = LOSS_MODULES[name]() if name != loss_name else nn.loss_module(name)
    xb, yb = X[:4], y[:4]  # the very arrays of the traced batch
    output, loss = _eager(replay_model, loss_fn, xb, yb)
    replay = Replay.trace(loss, output, replay_model.parameters(), xb, yb, pack)
    assert replay is not None and replay.pack is pack
    _follows_eager(replay, replay_model, eager_model, loss_fn, y, pack)


def test_activations_overwrite_only_a_linear_output_that_nothing_reads_again():
    """The replay lets an activation write into its input when that is a fused linear's
    output used once (the linear keeps only X and W): here the first tanh. The second tanh's
    input is the first tanh's output, which that tanh keeps for its backward: it must get
    an array of its own. The steps still equal the eager ones."""
    def make():
        return nn.Sequential(nn.Linear(3, 4, seed=1), nn.Tanh(), nn.Tanh(),
                             nn.Linear(4, 1, seed=2), nn.ReLU())
    y = LABELS.reshape(-1, 1).astype(np.float32)
    eager_model, replay_model = make(), make()
    loss_fn = nn.loss_module("mse")
    xb, yb = X[:4], y[:4]  # the very arrays of the traced batch
    output, loss = _eager(replay_model, loss_fn, xb, yb)
    replay = Replay.trace(loss, output, replay_model.parameters(), xb, yb)
    calls = [line for line in replay.source.splitlines()
             if line.startswith("    v") and "= F" in line]  # the forward calls, not the loss
    assert [("out=" in line) for line in calls] == [False, True, False, False, True]
    _follows_eager(replay, replay_model, eager_model, loss_fn, y)


@pytest.mark.parametrize("packed", [False, True])
def test_a_parameter_used_twice_gets_the_sum_of_its_gradients(packed):
    shared = nn.Linear(3, 3, seed=0)
    model = nn.Sequential(shared, nn.Tanh(), shared)
    pack = ParameterPack.pack(model.parameters()) if packed else None
    y = RNG.standard_normal((10, 3)).astype(np.float32)
    output, loss = _eager(model, nn.MSELoss(), X, y)
    expected = [p.grad.copy() for p in model.parameters()]
    replay = Replay.trace(loss, output, model.parameters(), X, y, pack)
    for _ in range(2):  # the second run must not add to the first one's gradients
        replay.run(X, y)
        for param, grad in zip(model.parameters(), expected, strict=True):
            np.testing.assert_array_equal(param.grad, grad)


def test_a_replay_does_not_fill_a_pack_when_a_parameter_gets_no_gradient():
    model = nn.MLP([3, 4, 1], seed=0)
    pack = ParameterPack.pack(model.parameters())
    model[2].bias.requires_grad = False
    y = LABELS.reshape(-1, 1).astype(np.float32)
    output, loss = _eager(model, nn.BCEWithLogitsLoss(), X, y)
    replay = Replay.trace(loss, output, model.parameters(), X, y, pack)
    assert replay.pack is None
    replay.run(X, y)
    assert model[2].bias.grad is None and model[0].weight.grad.base is None


def test_graphs_that_are_not_a_plain_step_are_not_traced():
    model = nn.MLP([3, 2, 1], seed=0)
    y = LABELS.reshape(-1, 1).astype(np.float32)
    loss_fn = nn.BCEWithLogitsLoss()
    # a constant in the graph
    output = model(X) * 2.0
    assert Replay.trace(loss_fn(output, y), output, model.parameters(), X, y) is None
    # a trainable tensor that is not a model parameter
    extra = nl.tensor(np.ones(1), requires_grad=True)
    output = model(X) + extra
    assert Replay.trace(loss_fn(output, y), output, model.parameters(), X, y) is None
    # targets the loss converted (so the batch's own array never reached the op)
    output = model(X)
    y64 = y.astype(np.float64)
    assert Replay.trace(loss_fn(output, y64), output, model.parameters(), X, y64) is None
    # an input the model converted (float64 features)
    x64 = X.astype(np.float64)
    output = model(x64)
    assert Replay.trace(loss_fn(output, y), output, model.parameters(), x64, y) is None


def _fit(model, monkeypatch, replay: bool, **settings):
    if not replay:
        monkeypatch.setattr(train_step, "replayable", lambda *args: False)
    history = nl.fit(model, X, LABELS, verbose=0, seed=0, **settings)
    monkeypatch.undo()
    return [p.data.copy() for p in model.parameters()], history.history


@pytest.mark.parametrize("settings", [
    {"loss": "cross_entropy", "optimizer": "adam", "epochs": 4, "batch_size": 3,
     "validation_split": 0.2, "metrics": ("accuracy", "mae")},
    {"loss": "bce_with_logits", "optimizer": "sgd", "epochs": 5, "batch_size": "full",
     "clip_grad_norm": 0.5},
])
def test_fit_with_replay_trains_exactly_as_without(monkeypatch, settings):
    width = 2 if settings["loss"] == "cross_entropy" else 1
    replayed = _fit(nn.MLP([3, 4, width], seed=3), monkeypatch, True, **settings)
    eager = _fit(nn.MLP([3, 4, width], seed=3), monkeypatch, False, **settings)
    for mine, theirs in zip(replayed[0], eager[0], strict=True):
        np.testing.assert_array_equal(mine, theirs)
    # the packed gradient norm is one float32 dot over all gradients instead of a float64 sum
    # of per-parameter dots: equal to float32 round-off
    np.testing.assert_allclose(replayed[1].pop("grad_norm"), eager[1].pop("grad_norm"),
                               rtol=1e-6)
    assert replayed[1] == {**eager[1], "epoch_seconds": replayed[1]["epoch_seconds"]}


@pytest.mark.parametrize("model, used", [
    (nn.MLP([3, 4, 2], seed=0), True),
    (nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Dropout(0.5), nn.Linear(4, 2)), False),
    (nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2)), False),
])
def test_fit_replays_only_models_of_static_modules(monkeypatch, model, used):
    calls = []
    original = Replay.run
    monkeypatch.setattr(Replay, "run", lambda self, x, y: calls.append(1) or original(self, x, y))
    nl.fit(model, X, LABELS, loss="cross_entropy", optimizer="sgd", epochs=3, batch_size=5,
           verbose=0, seed=0)
    assert len(calls) == (5 if used else 0)  # every batch after the first


@pytest.mark.parametrize("features", [X.astype(np.float64), (X > 0).astype(np.int64)])
def test_fit_converts_features_to_float32_once_so_the_step_can_be_replayed(monkeypatch,
                                                                           features):
    calls = []
    original = Replay.run
    monkeypatch.setattr(Replay, "run",
                        lambda self, x, y: calls.append(x.dtype) or original(self, x, y))
    model = nn.MLP([3, 4, 2], seed=0)
    nl.fit(model, features, LABELS, loss="cross_entropy", optimizer="sgd", epochs=2,
           batch_size=5, verbose=0)
    assert calls == [np.float32] * 3
    assert all(p.grad.dtype == np.float32 for p in model.parameters())


def test_unfreezing_a_layer_during_fit_retraces_the_step(monkeypatch):
    """A callback that unfreezes the output layer after epoch 1: the replayed run must train
    it from then on, exactly as the eager run does."""

    class Unfreeze(nl.train.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 0:
                for param in self.run.model[2].parameters():
                    param.requires_grad = True

    def train(replay):
        model = nn.MLP([3, 4, 2], seed=3)
        optimizer = nl.optim.SGD(model.parameters(), lr=0.1)  # frozen ones have no grad
        for param in model[2].parameters():
            param.requires_grad = False
        weights = _fit(model, monkeypatch, replay, loss="cross_entropy", optimizer=optimizer,
                       epochs=3, batch_size=4, callbacks=[Unfreeze()])[0]
        return model, weights

    calls = []
    original = Replay.run
    monkeypatch.setattr(Replay, "run", lambda self, x, y: calls.append(1) or original(self, x, y))
    _, replayed = train(True)
    assert len(calls) == 8  # 3 epochs x 3 batches, less the first one, which traced
    _, eager = train(False)
    for mine, theirs in zip(replayed, eager, strict=True):
        np.testing.assert_array_equal(mine, theirs)
    assert not np.array_equal(replayed[2], nn.MLP([3, 4, 2], seed=3)[2].weight.data)


def test_fit_trains_the_parameter_arrays_it_was_given():
    """fit packs the parameters while it trains and hands their own arrays back, updated: a
    reference taken before fit sees the trained values."""
    model = nn.MLP([3, 4, 2], seed=3)
    arrays = [p.data for p in model.parameters()]
    initial = [a.copy() for a in arrays]
    nl.fit(model, X, LABELS, loss="cross_entropy", optimizer="sgd", epochs=3, batch_size=4,
           verbose=0, seed=0)
    for param, array, start in zip(model.parameters(), arrays, initial, strict=True):
        assert param.data is array and not np.array_equal(array, start)
        assert param.grad.base is None


def test_fit_goes_on_when_a_callback_gives_a_parameter_a_new_array(monkeypatch):
    """Assigning ``param.data`` unlinks it from fit's pack: the run must then train the new
    array, exactly as a run without replay and pack does."""

    class Replace(nl.train.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 0:
                weight = self.run.model[0].weight
                weight.data = weight.data * 0.5

    def train(replay):
        model = nn.MLP([3, 4, 2], seed=3)
        weights = _fit(model, monkeypatch, replay, loss="cross_entropy", optimizer="sgd",
                       epochs=3, batch_size=4, callbacks=[Replace()])[0]
        return weights

    for mine, theirs in zip(train(True), train(False), strict=True):
        np.testing.assert_array_equal(mine, theirs)


def test_static_graph_is_declared_by_each_class_not_inherited():
    """A subclass may override forward, so it is replayed only if it says so itself."""

    class Doubled(nn.Linear):
        def forward(self, x):
            return super().forward(x) * 2.0

    class DeclaredStatic(nn.Linear):
        static_graph = True

    assert nn.Linear.static_graph and not Doubled.static_graph and DeclaredStatic.static_graph
    assert train_step.replayable(nn.MLP([3, 4, 2]), "cross_entropy", weighted=False)
    assert not train_step.replayable(nn.Sequential(Doubled(3, 2)), "cross_entropy", False)
    assert not train_step.replayable(nn.MLP([3, 4, 2]), "custom", weighted=False)
    assert not train_step.replayable(nn.MLP([3, 4, 2]), "cross_entropy", weighted=True)
