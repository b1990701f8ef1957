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
    ({"dataset": "mnist"}, r"dataset: Unknown dataset 'mnist'\. Choose one of: and, bump, circles"),
    ({"learning_rate": 0}, r"learning_rate: Input should be greater than 0"),
    ({"activation": "softmax"}, r"activation: Unknown activation 'softmax'\. Choose one of: "
                                r"leaky_relu, relu, sigmoid, step, tanh\. \(got 'softmax'\)"),
    ({"optimizer": "adamw"}, r"optimizer: Unknown optimizer 'adamw'.* Did you mean 'adam'\?"),
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


#: four drawn points of two classes: the least data of one's own
DRAWN = [[0.1, 0.2, 0], [0.5, 0.4, 0], [-0.3, 0.2, 1], [-0.5, -0.5, 1]]


def test_the_catalogue_names_each_datasets_problem():
    from neuralab.playground.catalogue import DATASETS, REGRESSION_TARGETS

    assert {name for name, d in DATASETS.items() if d.problem == "regression"} == set(
        REGRESSION_TARGETS)
    assert validate_config({"dataset": "spiral3"}, LIMITS).problem == "multiclass"
    assert validate_config({"dataset": "bump", "loss": "mse"}, LIMITS).n_outputs == 1
    assert validate_config({"dataset": "and"}, LIMITS).problem == "binary"


def test_own_points_decide_the_problem_and_the_number_of_outputs():
    three = validate_config(
        {"dataset": "custom", "custom_points": [*DRAWN, [1, 1, 2], [1, 0.9, 2]]}, LIMITS)
    assert (three.problem, three.n_outputs) == ("multiclass", 3)
    named = validate_config({"dataset": "custom", "custom_points": DRAWN,
                             "custom_classes": ["cat", "dog"]}, LIMITS)
    assert named.problem == "binary"
    values = validate_config({"dataset": "custom", "custom_task": "regression", "loss": "mse",
                              "custom_points": [[0, 0, 0.5], [1, 0, -2], [0, 1, 3], [1, 1, 7]]},
                             LIMITS)
    assert (values.problem, values.n_classes) == ("regression", 0)


@pytest.mark.parametrize(("data", "message"), [
    ({"dataset": "custom"}, r"your own data has 0 points; add at least 4"),
    ({"dataset": "custom", "custom_points": [*DRAWN[:2], [0, 0, 1]]}, r"has 3 points"),
    ({"dataset": "custom", "custom_points": [[*p[:2], 0] for p in DRAWN]},
     r"points of class 0 only; add points of another class"),
    ({"dataset": "custom", "custom_points": [*DRAWN, [0, 0, 2]]},
     r"class 2 has a single point; each class needs two or more"),
    ({"dataset": "custom", "custom_points": [*DRAWN, [0, 0, 0.5]]},
     r"point 4 has the class 0.5; classes are the numbers 0 to 3"),
    ({"dataset": "custom", "custom_points": [*DRAWN, [0, 0, 9], [1, 1, 9]]},
     r"point 4 has the class 9"),
    ({"dataset": "custom", "custom_points": [[0, 0, 0]] * 400}, r"400 points; this server"),
    ({"dataset": "custom", "custom_points": [*DRAWN, [1e6, 0, 1]]}, r"within ±100"),
    ({"dataset": "custom", "custom_points": [[0, "x", 0]]},
     r"custom_points\.0\.1: Input should be a valid number"),
    ({"dataset": "custom", "custom_points": [[0, float("nan"), 0]]}, r"a finite number"),
    ({"dataset": "custom", "custom_points": DRAWN, "custom_classes": ["a", "b", "c", "d", "e"]},
     r"5 class names for classes up to 1"),
    ({"dataset": "custom", "custom_points": DRAWN, "custom_columns": ["a\nimport os", "b", "c"]},
     r"holds control characters"),
    ({"dataset": "circles", "custom_points": DRAWN},
     r"custom_points only go with dataset 'custom'"),
    ({"dataset": "plane"}, r"a regression problem is fit by squared error"),
    ({"dataset": "spiral3", "loss": "mse"}, r"more than two classes .* cross-entropy"),
    ({"dataset": "spiral3", "activation": "step", "hidden": []},
     r"a perceptron .* separates two classes"),
])
def test_own_data_and_problems_are_checked_with_the_reason(data, message):
    with pytest.raises(ValueError, match=message):
        validate_config(data, LIMITS)


def test_a_message_shows_single_values_received_but_never_a_whole_dict():
    with pytest.raises(ValueError) as caught:
        validate_config({"variant": "stochastic", "batch_norm": True, "learning_rate": "fast"},
                        LIMITS)
    assert "learning_rate: Input should be a valid number" in str(caught.value)
    assert "(got 'fast')" in str(caught.value)
    with pytest.raises(ValueError) as caught:  # a problem of the settings as a whole
        validate_config({"variant": "stochastic", "batch_norm": True}, LIMITS)
    assert str(caught.value).startswith("Invalid configuration: settings: batch normalization")
    assert "{" not in str(caught.value)
