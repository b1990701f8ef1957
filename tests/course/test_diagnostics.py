"""diagnostics.report flags vanishing, exploding, dead and saturated layers; healthy ones pass."""

import json

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn, optim
from neuralab.diagnostics import DiagnosticsCallback, report


@pytest.fixture(scope="module")
def moons():
    X, y = nl.data.moons(128, noise=0.1, seed=0)
    return nl.data.standardize(X), y


def test_deep_sigmoid_stack_is_flagged_vanishing(moons):
    net = nn.MLP([2] + [32] * 10 + [1], activation="sigmoid", seed=0)
    rep = report(net, *moons)
    assert "vanishing" in rep.layers[0].flags
    assert rep.layers[0].grad_norm < 1e-3 * rep.layers[-1].grad_norm
    assert not rep.healthy
    assert any("gradients vanish" in line for line in rep.advice)


def test_dead_relu_layer_is_flagged_with_advice(moons):
    net = nn.MLP([2, 16, 10, 1], activation="relu", seed=0)
    net[2].bias.data[:4] = -50.0  # 4 of the 10 units of layer 2 never fire
    rep = report(net, *moons)
    layer = rep.layers[1]
    assert layer.dead_fraction == pytest.approx(0.4)
    assert "dead" in layer.flags
    assert "layer 2: 40% of units dead" in layer.advice[0]
    assert "lower the learning rate or use LeakyReLU" in layer.advice[0]


def test_saturated_sigmoid_layer_is_flagged(moons):
    net = nn.MLP([2, 8, 1], activation="sigmoid", seed=0)
    net[0].weight.data *= 200
    rep = report(net, *moons)
    assert rep.layers[0].saturated_fraction > 0.25
    assert "saturated" in rep.layers[0].flags


def test_large_initial_weights_are_flagged_exploding(moons):
    net = nn.MLP([2] + [32] * 6 + [1], activation="relu", seed=0)
    for name, param in net.named_parameters():
        if name.endswith("weight"):
            param.data *= 3
    rep = report(net, *moons)
    assert all("exploding" in layer.flags for layer in rep.layers)
    assert "clip" in rep.layers[0].advice[0]


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "leaky_relu"])
def test_healthy_networks_are_not_flagged(moons, activation):
    net = nn.MLP([2, 16, 16, 1], activation=activation, seed=0)
    rep = report(net, *moons)
    assert rep.healthy, str(rep)
    nl.fit(net, *moons, loss="bce_with_logits", epochs=30, verbose=0, seed=0,
           optimizer=optim.Adam(net.parameters(), lr=0.01))
    trained = report(net, *moons)
    assert trained.healthy, str(trained)
    assert "healthy: no layer flagged" in str(trained)


def test_fractions_only_for_matching_activations(moons):
    rep = report(nn.MLP([2, 4, 4, 1], activation="leaky_relu", seed=0), *moons)
    assert rep.layers[0].dead_fraction == 0.0
    assert rep.layers[0].saturated_fraction is None
    assert rep.layers[-1].activation == "linear"
    assert rep.layers[-1].dead_fraction is None


def test_report_leaves_the_model_as_it_was(moons):
    net = nn.MLP([2, 4, 1], batch_norm=True, dropout=0.5, seed=0)
    net[0].weight.grad = np.ones((2, 4), dtype=np.float32)
    before = {k: v.copy() for k, v in net.state_dict().items()}
    for training in (False, True):
        report(net, *moons, training=training)
    assert net.training
    assert (net[0].weight.grad == 1).all()
    for key, value in net.state_dict().items():
        np.testing.assert_array_equal(value, before[key])


def test_to_dict_and_str(moons):
    rep = report(nn.MLP([2, 4, 1], activation="sigmoid", output="sigmoid", seed=0), *moons)
    data = json.loads(json.dumps(rep.to_dict()))
    assert data["loss"]["name"] == "bce"
    assert set(data["layers"][0]) >= {"index", "name", "grad_norm", "flags", "dead_fraction",
                                      "saturated_fraction", "advice"}
    text = str(rep)
    assert "grad norm" in text and "Sigmoid" in text


def test_callback_records_a_report_per_epoch(moons):
    X, y = moons
    net = nn.MLP([2, 8, 1], seed=0)
    diag = DiagnosticsCallback(X[:64], y[:64], every=2)
    history = nl.fit(net, X, y, loss="bce_with_logits", epochs=5, optimizer="adam", verbose=0,
                     callbacks=[diag], seed=0)
    records = history.history["diagnostics"]
    assert [r["epoch"] for r in records] == [1, 3, 4]
    assert len(diag.reports) == 3
    assert records[-1]["layers"][0]["grad_norm"] > 0
    json.dumps(records)
    with pytest.raises(ValueError, match="'every' parameter of DiagnosticsCallback"):
        DiagnosticsCallback(X, y, every=0)


def test_bad_inputs_are_refused(moons):
    with pytest.raises(TypeError, match=r"nn\.Sequential"):
        report(nn.Linear(2, 1), *moons)
    with pytest.raises(TypeError, match="start with a Linear"):
        report(nn.Sequential(nn.ReLU(), nn.Linear(2, 1)), *moons)
    with pytest.raises(ValueError, match="cannot be guessed"):
        report(nn.MLP([2, 3], output="tanh", seed=0), *moons)
