"""Linear (shapes, inits, seeding, errors), activations, Dropout and the loss modules."""

from __future__ import annotations

import math

import numpy as np
import pytest

import neuralab as nl
from neuralab import functional as F
from neuralab import nn

# ---------------------------------------------------------------------- Linear


def test_linear_shapes_and_forward_is_x_w_plus_b():
    layer = nn.Linear(3, 2, seed=0)
    assert layer.weight.shape == (3, 2) and layer.bias.shape == (2,)
    assert np.all(layer.bias.data == 0)
    layer.bias.data[:] = [0.5, -1.0]
    x = np.arange(12, dtype=np.float32).reshape(4, 3)
    out = layer(x)
    assert out.op == "linear" and out.shape == (4, 2) and out.dtype == np.float32
    np.testing.assert_allclose(out.data, x @ layer.weight.data + layer.bias.data, rtol=1e-6)


def test_linear_without_bias():
    layer = nn.Linear(3, 2, bias=False, seed=0)
    np.testing.assert_allclose(layer(np.ones((1, 3))).data, layer.weight.data.sum(0)[None])


def test_linear_float64():
    layer = nn.Linear(3, 2, dtype="float64", seed=0)
    assert layer.weight.dtype == np.float64 and layer.bias.dtype == np.float64


def test_same_seed_same_weights_other_seed_other_weights():
    a, b, c = nn.Linear(5, 4, seed=3), nn.Linear(5, 4, seed=3), nn.Linear(5, 4, seed=4)
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    assert not np.array_equal(a.weight.data, c.weight.data)
    rng_a, rng_b = np.random.default_rng(9), np.random.default_rng(9)
    np.testing.assert_array_equal(nn.Linear(5, 4, rng=rng_a).weight.data,
                                  nn.Linear(5, 4, rng=rng_b).weight.data)


@pytest.mark.parametrize(("init", "bound"), [
    ("glorot_uniform", math.sqrt(6 / (200 + 100))),
    ("he_uniform", math.sqrt(6 / 200)),
])
def test_uniform_inits_fill_their_limits(init, bound):
    w = nn.Linear(200, 100, init=init, seed=0).weight.data
    assert np.abs(w).max() <= bound
    assert np.abs(w).max() > 0.99 * bound
    np.testing.assert_allclose(w.std(), bound / math.sqrt(3), rtol=0.02)  # std of U(-a, a)


@pytest.mark.parametrize(("init", "std"), [
    ("glorot_normal", math.sqrt(2 / (200 + 100))),
    ("he_normal", math.sqrt(2 / 200)),
])
def test_normal_inits_have_their_standard_deviation(init, std):
    w = nn.Linear(200, 100, init=init, seed=0).weight.data
    np.testing.assert_allclose(w.std(), std, rtol=0.02)
    assert abs(w.mean()) < 0.05 * std


def test_zeros_init():
    assert np.all(nn.Linear(3, 2, init="zeros").weight.data == 0)


def test_linear_default_init_is_glorot_uniform():
    layer = nn.Linear(200, 100, seed=0)
    assert layer.init == "glorot_uniform"
    np.testing.assert_array_equal(layer.weight.data,
                                  nn.Linear(200, 100, init="glorot_uniform", seed=0).weight.data)


def test_a_saved_config_with_the_former_auto_init_still_builds():
    config = {"in_features": 3, "out_features": 2, "bias": True, "init": "auto", "seed": None,
              "dtype": None}
    layer = nn.module_from_config({"type": "Linear", "config": config})
    assert (layer.in_features, layer.out_features, layer.init) == (3, 2, "glorot_uniform")


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"in_features": 0, "out_features": 2}, ValueError,
     r"The 'in_features' parameter of Linear must be an int >= 1. Got 0 instead."),
    ({"in_features": 2, "out_features": -1}, ValueError, "'out_features' parameter"),
    ({"in_features": 2.5, "out_features": 1}, TypeError, "must be an int"),
    ({"in_features": 2, "out_features": 1, "init": "xavier"}, ValueError,
     r"'init' parameter of Linear must be one of 'glorot_uniform', 'glorot_normal', "
     r"'he_uniform', 'he_normal', 'zeros'. Got 'xavier'"),
    ({"in_features": 2, "out_features": 1, "dtype": "int64"}, TypeError, "'float32' or 'float64'"),
    ({"in_features": 2, "out_features": 1, "bias": "yes"}, TypeError, "must be a bool"),
])
def test_linear_argument_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        nn.Linear(**kwargs)


def test_linear_wrong_input_width_is_a_shape_error():
    with pytest.raises(nl.ShapeError, match="has 4 features"):
        nn.Linear(3, 2)(np.ones((2, 4)))


# ---------------------------------------------------------------------- activations

@pytest.mark.parametrize(("module", "function"), [
    (nn.Sigmoid(), F.sigmoid),
    (nn.Tanh(), F.tanh),
    (nn.ReLU(), F.relu),
    (nn.LeakyReLU(0.2), lambda z: F.leaky_relu(z, 0.2)),
    (nn.Softmax(axis=0), lambda z: F.softmax(z, axis=0)),
    (nn.Identity(), F.identity),
    (nn.Step(), F.step),
])
def test_activation_modules_compute_their_function(module, function):
    z = nl.tensor([[-2.0, 0.0, 0.5], [3.0, -0.1, 1.0]])
    np.testing.assert_array_equal(module(z).data, function(z).data)


@pytest.mark.parametrize("name", ["relu", "leaky_relu", "tanh", "sigmoid", "identity",
                                  "softmax"])
def test_activation_modules_gradcheck(name, check_module_gradients):
    x = np.random.default_rng(0).standard_normal((3, 4)) + 0.05  # away from ReLU's kink
    assert check_module_gradients(nn.activation_module(name), x)


@pytest.mark.parametrize(("name", "cls"), [
    ("relu", nn.ReLU), ("leaky_relu", nn.LeakyReLU), ("tanh", nn.Tanh), ("sigmoid", nn.Sigmoid),
    ("logistic", nn.Sigmoid), ("identity", nn.Identity), ("linear", nn.Identity),
    ("softmax", nn.Softmax), ("step", nn.Step), ("Leaky-ReLU", nn.LeakyReLU),
])
def test_activation_module_by_name(name, cls):
    assert type(nn.activation_module(name)) is cls


def test_unknown_activation_lists_the_names():
    with pytest.raises(ValueError, match=r"Unknown activation 'swish'. Choose one of: identity, "
                                         "leaky_relu, linear, logistic, relu, sigmoid"):
        nn.activation_module("swish")


def test_leaky_relu_alpha_is_validated():
    with pytest.raises(ValueError, match=r"'alpha' parameter of LeakyReLU must be a float in "
                                         r"\[0, 1\). Got 1.5 instead."):
        nn.LeakyReLU(1.5)


# ---------------------------------------------------------------------- Dropout


def test_dropout_zeroes_about_p_and_scales_the_rest():
    layer = nn.Dropout(0.25, seed=0)
    out = layer(np.ones((200, 50), np.float32)).data
    dropped = np.mean(out == 0)
    assert abs(dropped - 0.25) < 0.02
    np.testing.assert_allclose(out[out != 0], 1 / 0.75)
    assert out.dtype == np.float32


def test_dropout_is_identity_in_eval_mode_and_for_p_zero():
    x = nl.tensor(np.arange(6.0).reshape(2, 3))
    assert nn.Dropout(0.5).eval()(x) is x
    assert nn.Dropout(0.0)(x) is x


def test_dropout_seeded_masks_repeat():
    x = np.ones((4, 5))
    np.testing.assert_array_equal(nn.Dropout(0.5, seed=1)(x).data, nn.Dropout(0.5, seed=1)(x).data)


def test_dropout_default_generator_follows_manual_seed():
    layer = nn.Dropout(0.5)
    nl.manual_seed(7)
    first = layer(np.ones((4, 5))).data
    nl.manual_seed(7)
    np.testing.assert_array_equal(layer(np.ones((4, 5))).data, first)


def test_dropout_gradient_is_the_mask():
    x = nl.tensor(np.ones((3, 4)), requires_grad=True)
    out = nn.Dropout(0.5, seed=2)(x)
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, out.data)  # mask / (1 - p), with x = 1


def test_dropout_gradcheck():
    x = nl.tensor(np.random.default_rng(0).standard_normal((3, 4)), requires_grad=True)
    assert nl.gradcheck(lambda t: nn.Dropout(0.3, seed=5)(t), x)


@pytest.mark.parametrize("p", [1.0, -0.1, 2])
def test_dropout_p_is_validated(p):
    with pytest.raises(ValueError, match=r"'p' parameter of Dropout must be a float in \[0, 1\)"):
        nn.Dropout(p)


# ---------------------------------------------------------------------- losses

def _loss_inputs():
    rng = np.random.default_rng(0)
    scores = rng.standard_normal((5, 3))
    probabilities = 1 / (1 + np.exp(-scores))
    binary = (rng.random((5, 3)) > 0.5).astype(float)
    labels = np.array([0, 2, 1, 1, 0])
    return scores, probabilities, binary, labels


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_loss_modules_equal_the_functions(reduction):
    scores, probabilities, binary, labels = _loss_inputs()
    pairs = [
        (nn.BCELoss(reduction), F.binary_cross_entropy, probabilities, binary),
        (nn.BCEWithLogitsLoss(reduction), F.binary_cross_entropy_with_logits, scores, binary),
        (nn.CrossEntropyLoss(reduction), F.cross_entropy, scores, labels),
        (nn.MSELoss(reduction), F.mse_loss, scores, binary),
    ]
    for module, function, prediction, target in pairs:
        np.testing.assert_array_equal(module(prediction, target).data,
                                      function(prediction, target, reduction).data)


@pytest.mark.parametrize(("loss", "prediction", "target"), [
    (nn.BCELoss(), "probabilities", "binary"),
    (nn.BCEWithLogitsLoss(), "scores", "binary"),
    (nn.CrossEntropyLoss(), "scores", "labels"),
    (nn.MSELoss(reduction="sum"), "scores", "binary"),
])
def test_losses_through_modules_gradcheck(loss, prediction, target):
    scores, probabilities, binary, labels = _loss_inputs()
    inputs = {"scores": scores, "probabilities": probabilities}
    targets = {"binary": binary, "labels": labels}
    x = nl.tensor(inputs[prediction], requires_grad=True, dtype="float64")
    assert nl.gradcheck(lambda t: loss(t, targets[target]), x)


@pytest.mark.parametrize(("name", "cls"), [
    ("bce", nn.BCELoss), ("bce_with_logits", nn.BCEWithLogitsLoss),
    ("cross_entropy", nn.CrossEntropyLoss), ("mse", nn.MSELoss),
])
def test_loss_module_by_name(name, cls):
    loss = nn.loss_module(name, reduction="sum")
    assert type(loss) is cls and loss.reduction == "sum"


def test_unknown_loss_and_reduction_errors():
    with pytest.raises(ValueError, match=r"Unknown loss 'hinge'. Choose one of: bce, "
                                         "bce_with_logits, cross_entropy, mse."):
        nn.loss_module("hinge")
    with pytest.raises(ValueError, match=r"The 'reduction' parameter of MSELoss must be one of "
                                         r"'mean', 'sum', 'none'. Got 'avg' instead."):
        nn.MSELoss("avg")


def test_loss_repr():
    assert repr(nn.CrossEntropyLoss()) == "CrossEntropyLoss(reduction='mean')  # 0 parameters"
