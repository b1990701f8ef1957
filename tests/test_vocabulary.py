"""One registry per vocabulary, read by every entry point, with one message for unknown names."""

from __future__ import annotations

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn, optim
from neuralab._vocabulary import Entry, Vocabulary
from neuralab.experiment import ExperimentConfig
from neuralab.train.targets import predicted_labels, resolve_loss, threshold

ACTIVATION_NAMES = ("identity, leaky_relu, linear, logistic, relu, sigmoid, softmax, step, "
                    "tanh")


def test_a_vocabulary_normalises_names_and_resolves_aliases():
    words = Vocabulary("colour", [Entry("red", 1, "Red", aliases=("crimson",)),
                                  Entry("light_blue", 2, "Light blue")])
    assert words["Light-Blue"] == 2 and words.key("CRIMSON") == "red"
    assert words.spelling("Light-Blue") == "light_blue" and words.spelling("crimson") == "crimson"
    assert list(words) == ["red", "light_blue"] and words.spellings == ("red", "crimson",
                                                                         "light_blue")
    assert "crimson" in words and "green" not in words and words.get("green") is None
    assert words.labels() == {"red": "Red", "light_blue": "Light blue"}
    with pytest.raises(ValueError, match=r"^Unknown colour 'redd'\. Choose one of: crimson, "
                                         r"light_blue, red\. Did you mean 'red'\?$"):
        words["redd"]
    with pytest.raises(ValueError, match=r"Choose one of: crimson, light_blue, red\.$"):
        words["green"]  # nothing close: no suggestion
    with pytest.raises(ValueError, match="'red' is defined twice"):
        Vocabulary("colour", [Entry("red", 1, "Red"), Entry("rouge", 1, "R", ("red",))])


def test_choose_refuses_a_name_the_vocabulary_does_not_have():
    assert nl.functional.ACTIVATIONS.choose("relu", "logistic") == ("relu", "logistic")
    with pytest.raises(ValueError, match="Unknown activation 'swish'"):
        nl.functional.ACTIVATIONS.choose("relu", "swish")


def _message(call) -> str:
    with pytest.raises(ValueError) as caught:
        call()
    return str(caught.value)


def test_an_unknown_activation_reads_the_same_from_every_entry_point():
    from neuralab.sweeps.config import SweepConfigError, parse_config

    expected = (f"Unknown activation 'tahn'. Choose one of: {ACTIVATION_NAMES}. "
                "Did you mean 'tanh'?")
    sweep = {"data": {"name": "moons"}, "grid": {"activation": ["tahn"]}}
    messages = [
        _message(lambda: nl.functional.get_activation("tahn")),
        _message(lambda: nn.activation_module("tahn")),
        _message(lambda: nn.MLP([2, 1], activation="tahn")),
        _message(lambda: ExperimentConfig(activation="tahn")),
    ]
    with pytest.raises(SweepConfigError) as caught:
        parse_config(sweep)
    messages.append(str(caught.value).removeprefix("Sweep config: [grid] activation: "))
    assert messages == [expected] * 5


def test_losses_carry_their_output_and_threshold():
    assert [(name, cls.output, cls.threshold) for name, cls in nn.LOSSES.items()] == [
        ("bce", "probability", 0.5), ("bce_with_logits", "logit", 0.0),
        ("cross_entropy", "logits", None), ("mse", "value", None),
        ("poisson_nll", "log_rate", None)]
    assert threshold("bce") == 0.5 and threshold("custom") is None
    outputs = np.array([[-0.2], [0.3], [0.7]])
    assert predicted_labels(outputs, "bce").ravel().tolist() == [0, 0, 1]
    assert predicted_labels(outputs, "bce_with_logits").ravel().tolist() == [0, 1, 1]


def test_a_loss_is_known_by_name_module_or_function():
    assert resolve_loss("BCE-with-logits")[1] == "bce_with_logits"
    assert resolve_loss(nn.MSELoss())[1] == "mse"
    assert resolve_loss(nl.functional.cross_entropy)[1] == "cross_entropy"

    class Halved(nn.MSELoss):  # keeps the function: still mse
        pass

    class Mine(nn.Loss):
        function = staticmethod(lambda input, target, reduction: (input - target).abs().mean())

    assert resolve_loss(Halved())[1] == "mse" and resolve_loss(Mine())[1] == "custom"
    with pytest.raises(ValueError, match=r"Unknown loss 'hinge'\. Choose one of: bce, "):
        resolve_loss("hinge")


def test_optimizer_recipes_are_named_records():
    recipe = optim.OPTIMIZERS["Momentum"]
    assert (recipe.cls, recipe.lr, recipe.options) == (optim.SGD, 0.01, {"momentum": 0.9})
    assert optim.OPTIMIZERS.label("rmsprop") == "RMSprop"


@pytest.mark.parametrize(
    ("setting", "error", "message"),
    [
        ({"epochs": 0}, ValueError,
         r"The 'epochs' parameter of ExperimentConfig must be an int >= 1\. Got 0 instead\."),
        ({"lr": -1}, ValueError, r"'lr' parameter of ExperimentConfig must be a float > 0"),
        ({"batch_size": "half"}, ValueError, r"'batch_size' .* \"full\" or an int >= 1"),
        ({"hidden": (8, 0)}, ValueError, r"'hidden' .* a sequence of ints >= 1"),
        ({"dropout": 1.0}, ValueError, r"'dropout' .* a float in \[0, 1\)"),
        ({"batch_norm": "yes"}, TypeError, r"'batch_norm' .* a bool"),
        ({"optimizer": "adamw"}, ValueError, r"Unknown optimizer 'adamw'.*Did you mean 'adam'"),
        ({"dataset": "mons"}, ValueError, r"Unknown dataset 'mons'.*\.csv file\. Did you mean"),
        ({"task": "clustering"}, ValueError, r"'task' .* one of 'auto', 'classification'"),
    ],
)
def test_experiment_config_checks_every_setting_when_made(setting, error, message):
    with pytest.raises(error, match=message):
        ExperimentConfig(**setting)


def test_experiment_config_keeps_settings_in_canonical_form():
    config = ExperimentConfig(dataset="Moons", activation="Leaky-ReLU", hidden=[8, 4])
    assert (config.dataset, config.activation, config.hidden) == ("moons", "leaky_relu", (8, 4))
    assert ExperimentConfig(dataset="table.csv").dataset == "table.csv"
