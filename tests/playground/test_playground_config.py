"""Settings are validated against the server's limits, with messages that say what to change."""

import pytest

from neuralab.playground.config import Limits, PlaygroundConfig, options, validate_config

from .conftest import LIMITS


def test_defaults_are_valid_and_listed_in_the_options():
    config = validate_config({}, LIMITS)
    assert config == PlaygroundConfig()
    listed = options(LIMITS)
    assert listed["defaults"] == config.model_dump()
    assert listed["limits"]["max_neurons"] == 6
    assert set(listed["features"]) == {"x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"}
    assert {"circles", "xor", "gaussians", "spiral", "moons", "and", "xor_gate"} <= set(
        listed["datasets"])


@pytest.mark.parametrize(("data", "message"), [
    ({"hidden": [4, 4, 4, 4]}, r"hidden: 4 hidden layers asked for; this server allows 0 to 3"),
    ({"hidden": [2, 9]}, r"hidden layer 2 has 9 neurons; each layer takes 1 to 6"),
    ({"hidden": [0]}, r"hidden layer 1 has 0 neurons"),
    ({"points": 5000}, r"points: 5000 points asked for; this server allows at most 300"),
    ({"features": []}, r"pick at least one input feature"),
    ({"features": ["x1", "x1"]}, r"each feature may appear once"),
    ({"features": ["x3"]}, r"features\.0: Input should be 'x1'"),
    ({"dataset": "mnist"}, r"dataset: Input should be 'circles'"),
    ({"learning_rate": 0}, r"learning_rate: Input should be greater than 0"),
    ({"activation": "softmax"}, r"activation: Input should be 'step'"),
    ({"colour": "red"}, r"colour: Extra inputs are not permitted"),
    ({"variant": "stochastic", "batch_norm": True}, r"batch normalization needs at least 2"),
])
def test_invalid_settings_are_refused_with_the_reason(data, message):
    with pytest.raises(ValueError, match=message):
        validate_config(data, LIMITS)


def test_every_problem_is_listed_at_once():
    with pytest.raises(ValueError, match=r"hidden: .*; seed: Input should be greater"):
        validate_config({"hidden": [1, 2, 3, 4], "seed": -1}, LIMITS)


def test_limits_come_from_the_server():
    assert validate_config({"hidden": [8] * 6}, Limits()).hidden == [8] * 6
    with pytest.raises(ValueError, match="this server allows 0 to 6"):
        validate_config({"hidden": [1] * 7}, Limits())


def test_a_configuration_that_is_not_an_object_is_refused():
    with pytest.raises(ValueError, match="must be a JSON object; got list"):
        validate_config([1, 2], LIMITS)
