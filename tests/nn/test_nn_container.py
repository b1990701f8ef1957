"""Sequential and MLP: structure, initialisation settled at construction, seeding, configs,
gradients."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn
from neuralab.nn import registry

# ---------------------------------------------------------------------- Sequential


def test_sequential_chains_its_layers():
    first, act, second = nn.Linear(3, 4, seed=0), nn.Tanh(), nn.Linear(4, 2, seed=1)
    seq = nn.Sequential(first, act, second)
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    np.testing.assert_allclose(seq(x).data, second(act(first(x))).data)


def test_sequential_indexing_slicing_len_iteration_and_append():
    layers = [nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)]
    seq = nn.Sequential(*layers)
    assert len(seq) == 3 and list(seq) == layers
    assert seq[0] is layers[0] and seq[-1] is layers[2]
    head = seq[:2]
    assert isinstance(head, nn.Sequential) and list(head) == layers[:2]
    assert seq.append(nn.Sigmoid()) is seq and len(seq) == 4
    assert [name for name, _ in seq.named_children()] == ["0", "1", "2", "3"]


def test_sequential_refuses_non_modules():
    with pytest.raises(TypeError, match=r"Got str at position 1.*activation_module"):
        nn.Sequential(nn.Linear(2, 2), "relu")


@pytest.mark.parametrize("following", [nn.ReLU, nn.LeakyReLU, nn.Tanh, nn.BatchNorm1d])
def test_sequential_never_changes_the_weights_it_is_given(following):
    """A hand-set layer stays exactly as set, whatever follows it (the course's dead unit)."""
    layer = nn.Linear(2, 1, seed=0)
    layer.weight.data[:] = -0.5
    seq = nn.Sequential(layer, following() if following is not nn.BatchNorm1d else following(1))
    seq.append(nn.ReLU())
    np.testing.assert_array_equal(seq[0].weight.data, [[-0.5], [-0.5]])


@pytest.mark.parametrize("init", ["glorot_uniform", "he_uniform"])
def test_a_linear_keeps_its_initial_draw_inside_a_sequential(init):
    alone = nn.Linear(30, 20, init=init, seed=0).weight.data
    chained = nn.Sequential(nn.Linear(30, 20, init=init, seed=0), nn.ReLU(), nn.Dropout(0.1))
    np.testing.assert_array_equal(chained[0].weight.data, alone)


# ---------------------------------------------------------------------- MLP


def test_mlp_layers_and_parameter_count():
    net = nn.MLP([64, 64, 10])
    assert isinstance(net, nn.Sequential)
    assert [type(layer).__name__ for layer in net] == ["Linear", "ReLU", "Linear"]
    assert net.num_parameters() == 64 * 64 + 64 + 64 * 10 + 10


def test_mlp_with_batch_norm_dropout_and_output():
    net = nn.MLP([4, 8, 6, 2], activation="tanh", output="softmax", batch_norm=True,
                 dropout=0.2, seed=0)
    assert [type(layer).__name__ for layer in net] == [
        "Linear", "BatchNorm1d", "Tanh", "Dropout",
        "Linear", "BatchNorm1d", "Tanh", "Dropout",
        "Linear", "Softmax"]
    out = net.eval()(np.ones((3, 4)))
    np.testing.assert_allclose(out.data.sum(1), 1, rtol=1e-6)


def test_mlp_same_seed_same_network():
    a, b = nn.MLP([3, 5, 2], seed=11), nn.MLP([3, 5, 2], seed=11)
    for (name, pa), (_, pb) in zip(a.named_parameters(), b.named_parameters(), strict=True):
        np.testing.assert_array_equal(pa.data, pb.data, err_msg=name)
    assert not np.array_equal(a[0].weight.data, nn.MLP([3, 5, 2], seed=12)[0].weight.data)


@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
def test_mlp_hidden_layers_before_relu_get_the_he_limit(activation):
    net = nn.MLP([400, 300, 10], activation=activation, seed=0)
    limits = [np.abs(layer.weight.data).max() for layer in net if isinstance(layer, nn.Linear)]
    assert 0.99 * math.sqrt(6 / 400) < limits[0] <= math.sqrt(6 / 400)
    assert 0.99 * math.sqrt(6 / 310) < limits[1] <= math.sqrt(6 / 310)  # output: Glorot


@pytest.mark.parametrize(("activation", "output", "inits"), [
    ("relu", None, ["he_uniform", "he_uniform", "glorot_uniform"]),
    ("leaky_relu", "relu", ["he_uniform", "he_uniform", "he_uniform"]),
    ("tanh", "sigmoid", ["glorot_uniform", "glorot_uniform", "glorot_uniform"]),
    ("sigmoid", "leaky_relu", ["glorot_uniform", "glorot_uniform", "he_uniform"]),
])
def test_mlp_auto_init_follows_the_activation_after_each_layer(activation, output, inits):
    net = nn.MLP([6, 5, 4, 3], activation=activation, output=output, batch_norm=True,
                 dropout=0.1, seed=0)
    assert [layer.init for layer in net if isinstance(layer, nn.Linear)] == inits


def test_mlp_auto_init_draws_what_the_chosen_init_draws_from_the_same_generator():
    rng = np.random.default_rng(3)
    expected = [nn.Linear(4, 8, init="he_uniform", rng=rng).weight.data,
                nn.Linear(8, 2, init="glorot_uniform", rng=rng).weight.data]
    net = nn.MLP([4, 8, 2], seed=3)
    for layer, weight in zip(net[::2], expected, strict=True):
        np.testing.assert_array_equal(layer.weight.data, weight)


def test_mlp_explicit_init_applies_to_every_layer():
    net = nn.MLP([4, 8, 2], init="glorot_normal", seed=0)
    assert {layer.init for layer in net if isinstance(layer, nn.Linear)} == {"glorot_normal"}


def test_mlp_refuses_append():
    with pytest.raises(TypeError, match=r"nn.Sequential\(\*mlp, layer\)"):
        nn.MLP([2, 1]).append(nn.ReLU())


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"sizes": [3]}, ValueError, "at least two layer sizes"),
    ({"sizes": "3,2"}, ValueError, "at least two layer sizes"),
    ({"sizes": [3, 0, 1]}, ValueError, r"'sizes' parameter of MLP must be an int >= 1. Got 0"),
    ({"sizes": [3, 1], "activation": "swish"}, ValueError, "Unknown activation 'swish'"),
    ({"sizes": [3, 1], "output": "probit"}, ValueError, "Unknown output activation 'probit'"),
    ({"sizes": [3, 1], "dropout": 1.0}, ValueError, "'dropout' parameter of MLP"),
    ({"sizes": [3, 1], "init": "bad"}, ValueError,
     r"'init' parameter of MLP must be one of 'auto', 'glorot_uniform'"),
])
def test_mlp_argument_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        nn.MLP(**kwargs)


def test_linear_gradients_through_an_mlp_gradcheck(check_module_gradients):
    with nl.config(dtype="float64"):
        net = nn.MLP([3, 4, 2], activation="tanh", seed=0)
    net[0].bias.data[:] = [0.1, -0.2, 0.3, 0.0]
    x = np.random.default_rng(1).standard_normal((5, 3))
    labels = [0, 1, 1, 0, 1]
    assert check_module_gradients(net, x, head=lambda out: nn.CrossEntropyLoss()(out, labels))


def test_batch_norm_mlp_gradcheck(check_module_gradients):
    with nl.config(dtype="float64"):
        net = nn.MLP([3, 4, 1], activation="sigmoid", batch_norm=True, seed=0)
    assert check_module_gradients(net, np.random.default_rng(2).standard_normal((6, 3)))


# ---------------------------------------------------------------------- configs

EVERY_MODULE = [
    nn.Linear(3, 2, bias=False, init="he_normal", seed=4, dtype="float64"),
    nn.Linear(3, 2),
    nn.Sigmoid(), nn.Tanh(), nn.ReLU(), nn.LeakyReLU(0.2), nn.Softmax(axis=0), nn.Step(),
    nn.Identity(),
    nn.BatchNorm1d(5, eps=1e-3, momentum=0.2, affine=False),
    nn.Dropout(0.3),
    nn.Sequential(nn.Linear(2, 3, seed=1), nn.ReLU(), nn.Sequential(nn.Linear(3, 1, seed=2))),
    nn.MLP([4, 8, 2], activation="leaky_relu", output="sigmoid", batch_norm=True, dropout=0.1,
           seed=5, init="glorot_normal"),
    nn.BCELoss(), nn.BCEWithLogitsLoss("sum"), nn.CrossEntropyLoss("none"), nn.MSELoss(),
]


@pytest.mark.parametrize("module", EVERY_MODULE, ids=lambda m: type(m).__name__)
def test_config_round_trip_through_json(module):
    spec = module.to_config()
    assert spec["type"] == type(module).__name__
    rebuilt = nn.module_from_config(json.loads(json.dumps(spec)))
    assert type(rebuilt) is type(module)
    assert rebuilt.to_config() == spec
    assert repr(rebuilt) == repr(module)
    assert {k: v.shape for k, v in rebuilt.state_dict().items()} == {
        k: v.shape for k, v in module.state_dict().items()}


def test_every_built_in_module_is_registered():
    tested = {type(module).__name__ for module in EVERY_MODULE}
    assert set(nn.registered_names()) >= tested
    assert tested >= {"Linear", "Sequential", "MLP", "BatchNorm1d", "Dropout", "ReLU"}


def test_seeded_configs_rebuild_the_same_weights():
    net = nn.MLP([3, 4, 1], seed=8)
    rebuilt = nn.module_from_config(net.to_config())
    for (name, pa), (_, pb) in zip(net.named_parameters(), rebuilt.named_parameters(),
                                   strict=True):
        np.testing.assert_array_equal(pa.data, pb.data, err_msg=name)


def test_custom_module_takes_part_once_registered(monkeypatch):
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))  # undone after the test

    class Scale(nn.Module):
        def __init__(self, factor=2.0):
            super().__init__()
            self.factor = factor

        def forward(self, x):
            return x * self.factor

        def get_config(self):
            return {"factor": self.factor}

    with pytest.raises(TypeError, match=r"not registered.*@nn.register_module"):
        Scale().to_config()
    nn.register_module(Scale)
    seq = nn.Sequential(nn.Linear(2, 2), Scale(3.0))
    rebuilt = nn.module_from_config(json.loads(json.dumps(seq.to_config())))
    assert isinstance(rebuilt[1], Scale) and rebuilt[1].factor == 3.0


def test_register_module_refuses_a_second_class_with_a_taken_name():
    class Linear(nn.Module):
        pass

    with pytest.raises(ValueError, match="'Linear' is registered already"):
        nn.register_module(Linear)


def test_module_without_get_config_says_how_to_add_it():
    class Plain(nn.Module):
        pass

    with pytest.raises(NotImplementedError, match="does not define get_config"):
        Plain().get_config()


@pytest.mark.parametrize(("spec", "error", "match"), [
    ({"type": "Conv2d", "config": {}}, ValueError,
     r"Unknown module type 'Conv2d'. Known types: .*MLP"),
    ({"kind": "Linear"}, TypeError, 'exactly the keys "type" and "config"'),
    ([1], TypeError, 'exactly the keys "type" and "config"'),
    ({"type": "Linear", "config": {"in_features": 2}}, TypeError, "Cannot build a Linear"),
    ({"type": "Linear", "config": [2, 3]}, TypeError, "must be a dict"),
])
def test_module_from_config_errors(spec, error, match):
    with pytest.raises(error, match=match):
        nn.module_from_config(spec)
