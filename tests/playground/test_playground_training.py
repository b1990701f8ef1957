"""Training in the playground is neuralab's: objective, variants, clipping, the perceptron rule,
and an honest stop at hidden step units."""

import numpy as np
import pytest

import neuralab as nl
from neuralab.playground.config import PlaygroundConfig
from neuralab.playground.session import Session
from neuralab.playground.task import make_task
from neuralab.playground.teaching import PERCEPTRON_PATIENCE, linearly_separable
from neuralab.playground.trainer import StepUnitsError, Trainer

from .conftest import LIMITS, XOR


def trainer_for(**settings) -> Trainer:
    """A trainer of the XOR quadrants, with other settings if given."""
    config = PlaygroundConfig(**{**XOR, **settings})
    return Trainer(config, make_task(config))


@pytest.mark.parametrize(("variant", "updates"), [("batch", 1), ("stochastic", 50),
                                                  ("minibatch", 5)])
def test_the_descent_variant_is_the_number_of_updates_per_epoch(variant, updates):
    trainer = trainer_for(variant=variant, batch_size=10, train_ratio=50)
    trainer.train_epoch()
    assert (trainer.epoch, trainer.updates) == (1, updates)


@pytest.mark.parametrize(("kind", "penalty"), [("l1", np.abs), ("l2", np.square)])
def test_regularization_adds_rate_times_the_weight_penalty_to_the_loss(kind, penalty):
    trainer = trainer_for(regularization=kind, regularization_rate=0.1)
    X, y = trainer.task.X_train, trainer.task.y_train[:, None]
    with nl.no_grad():
        total = trainer.objective(X, y).item()
        data = trainer.data_loss(trainer.model(X), y).item()
    weights = [layer.weight.data for layer in trainer.model if hasattr(layer, "weight")]
    expected = 0.1 * sum(float(penalty(w).sum()) for w in weights)
    assert total - data == pytest.approx(expected, rel=1e-5)


def test_clipping_caps_the_step_of_plain_gradient_descent():
    trainer = trainer_for(optimizer="sgd", learning_rate=1.0, clip=1e-3, variant="batch")
    before = np.concatenate([p.data.ravel() for p in trainer.model.parameters()])
    trainer.train_epoch()
    after = np.concatenate([p.data.ravel() for p in trainer.model.parameters()])
    assert np.linalg.norm(after - before) <= 1e-3 * (1 + 1e-4)
    assert np.linalg.norm(after - before) > 1e-4


def test_a_perceptron_follows_the_perceptron_rule():
    trainer = trainer_for(dataset="and", activation="step", hidden=[], variant="batch",
                          learning_rate=0.5)
    linear = trainer.model[0]
    w, b = linear.weight.data.copy(), linear.bias.data.copy()
    X, y = trainer.task.X_train, trainer.task.y_train[:, None]
    error = y - (X @ w + b > 0)
    trainer.train_epoch()
    np.testing.assert_allclose(linear.weight.data, w + 0.5 / 4 * X.T @ error, rtol=1e-6)
    np.testing.assert_allclose(linear.bias.data, b + 0.5 / 4 * error.sum(axis=0), rtol=1e-6)


def test_a_perceptron_learns_a_linearly_separable_gate():
    trainer = trainer_for(dataset="nand", activation="step", hidden=[], variant="stochastic",
                          learning_rate=0.2)
    for _ in range(50):
        trainer.train_epoch()
    assert trainer.losses()["train_loss"] == 0.0  # the error rate
    assert trainer.loss_name == "error rate"


def test_hidden_step_units_stop_with_the_engines_explanation():
    trainer = trainer_for(activation="step", hidden=[3])
    with pytest.raises(StepUnitsError, match=r"Cannot backpropagate through the step function.*"
                                              r"remove the hidden layers"):
        trainer.train_epoch()


def test_a_network_learns_xor_and_the_same_seed_replays_the_same_run():
    session = Session(LIMITS)
    session.configure({**XOR, "hidden": [6, 6]})
    session.train(40, seconds=60)
    first = session.frame()
    assert first["test_loss"] < 0.2 and first["test_accuracy"] > 0.9
    session.reset()
    session.train(40, seconds=60)
    again = session.frame()
    assert (again["test_loss"], again["output"]) == (first["test_loss"], first["output"])
    assert again["run"] == first["run"] + 1


def test_batch_norm_trains_and_keeps_the_last_batch_of_one_out():
    trainer = trainer_for(batch_norm=True, batch_size=7, train_ratio=50)  # 50 = 7 * 7 + 1
    trainer.train_epoch()
    assert trainer.updates == 7


def test_a_frame_holds_the_maps_and_the_weights():
    session = Session(LIMITS)
    ready = session.configure({**XOR, "hidden": [3, 2], "features": ["x1", "x2", "x1x2"]})
    assert ready["network"]["sizes"] == [3, 3, 2, 1]
    assert len(ready["feature_maps"]) == 3
    frame = session.frame()
    assert [len(layer) for layer in frame["neurons"]] == [3, 2]
    assert [np.shape(layer["weight"]) for layer in frame["weights"]] == [(3, 3), (3, 2), (2, 1)]
    assert frame["weights"][0]["weight_grad"] is None  # no update yet
    session.train(1, seconds=0)
    assert np.shape(session.frame()["weights"][0]["weight_grad"]) == (3, 3)


def test_squared_error_ends_in_a_sigmoid_and_reads_it_as_the_probability():
    trainer = trainer_for(loss="mse")
    assert trainer.model.output == "sigmoid" and trainer.outputs_probability
    for _ in range(30):
        trainer.train_epoch()
    assert trainer.losses()["test_accuracy"] > 0.9


def test_frames_carry_the_diagnostics_report_and_points_their_trace():
    session = Session(LIMITS)
    session.configure({**XOR, "activation": "relu"})
    report = session.frame(force_diagnostics=True)["diagnostics"]
    assert report["available"] and [layer["index"] for layer in report["layers"]] == [1, 2]
    assert {"grad_norm", "dead_fraction", "saturated_fraction", "flags", "advice"} <= set(
        report["layers"][0])
    trace = session.trace("test", 2)
    assert trace["point"] == [float(v) for v in session.trainer.task.points_test[2]]
    rows = trace["trace"]["parameters"]
    assert len(rows) == session.trainer.model.num_parameters()
    assert all(abs(row["product"] - row["autograd"]) < 1e-5 for row in rows)


def test_step_and_batch_norm_networks_explain_why_there_is_no_trace():
    session = Session(LIMITS)
    session.configure({**XOR, "activation": "step", "hidden": []})
    assert "Step units have no gradient" in session.frame(True)["diagnostics"]["message"]
    assert "Step units have no gradient" in session.trace("train", 0)["message"]
    session.configure({**XOR, "batch_norm": True})
    assert "BatchNorm1d" in session.trace("train", 0)["message"]


def test_three_classes_train_a_softmax_by_cross_entropy():
    trainer = trainer_for(dataset="spiral3", points=150, hidden=[8], learning_rate=0.1,
                          features=["x1", "x2", "sinx1", "sinx2"])
    assert trainer.model.sizes[-1] == 3 and trainer.model.output is None
    X, y = trainer.task.X_train, trainer.task.y_train
    assert y.dtype == np.int64 and set(np.unique(y)) == {0, 1, 2}
    with nl.no_grad():
        expected = nl.functional.cross_entropy(trainer.model(X), y).item()
    first = trainer.losses()["train_loss"]
    assert first == pytest.approx(expected, rel=1e-6)
    for _ in range(150):
        trainer.train_epoch()
    losses = trainer.losses()
    assert losses["train_loss"] < first and losses["train_accuracy"] > 0.7  # chance: 1/3


@pytest.mark.parametrize("dataset", ["plane", "bump"])
def test_regression_fits_the_target_by_squared_error(dataset):
    trainer = trainer_for(dataset=dataset, loss="mse", hidden=[6], noise=0.0,
                          features=["x1", "x2", "x1sq", "x2sq"], learning_rate=0.03)
    assert trainer.model.output is None and trainer.task.y_train.dtype == np.float32
    x1, x2 = trainer.task.points_train.T
    target = (x1 + x2) / 2 if dataset == "plane" else np.exp(-2 * (x1 * x1 + x2 * x2))
    np.testing.assert_allclose(trainer.task.y_train, target, rtol=1e-6)
    for _ in range(80):
        trainer.train_epoch()
    losses = trainer.losses()
    assert losses["test_loss"] < 0.01 and losses["test_accuracy"] is None
    prediction = trainer.predict(trainer.task.X_test)[:, 0]
    assert np.mean((prediction - trainer.task.y_test) ** 2) == pytest.approx(
        losses["test_loss"], rel=1e-5)


def test_own_points_are_split_and_trained_like_any_data():
    points = [[x / 10, y / 10, int(x > 0)] for x in range(-5, 6, 2) for y in range(-5, 6, 2)]
    trainer = trainer_for(dataset="custom", custom_points=points, hidden=[3], train_ratio=50,
                          learning_rate=0.1)
    assert len(trainer.task.X_train) == len(trainer.task.X_test) == 18
    assert trainer.task.extent == (-1.5, 1.5)  # drawing near the origin never moves the view
    for _ in range(60):
        trainer.train_epoch()
    assert trainer.losses()["test_accuracy"] == 1.0


def test_the_perceptron_on_xor_is_told_that_no_line_separates_the_classes():
    session = Session(LIMITS)
    session.configure({**XOR, "activation": "step", "hidden": [], "variant": "batch"})
    assert "notice" not in session.frame()
    session.train(PERCEPTRON_PATIENCE, seconds=60)
    notice = session.frame()["notice"]
    assert notice["code"] == "not_separable"
    assert "no straight line" in notice["message"] and "hidden layer" in notice["message"]
    session.train(5, seconds=60)
    assert "notice" not in session.frame()  # once per run
    session.reset()
    session.train(PERCEPTRON_PATIENCE, seconds=60)
    assert "notice" in session.frame()


def test_a_perceptron_that_can_separate_its_classes_gets_no_such_notice():
    session = Session(LIMITS)
    # x1·x2 makes the XOR quadrants separable by a line in the perceptron's inputs
    session.configure({**XOR, "activation": "step", "hidden": [], "features": ["x1x2"],
                       "noise": 0.0})
    session.train(PERCEPTRON_PATIENCE + 5, seconds=60)
    assert "notice" not in session.frame()


@pytest.mark.parametrize(("gate", "separable"), [("and", True), ("or", True), ("nand", True),
                                                 ("xor", False), ("xnor", False)])
def test_linear_separability_is_decided_exactly(gate, separable):
    X, y = nl.data.gates(gate)
    assert linearly_separable(X, y) is separable


@pytest.mark.parametrize("settings", [{"dataset": "spiral3", "points": 60},
                                      {"dataset": "bump", "loss": "mse", "points": 60}])
def test_the_diagnostics_and_the_trace_cover_several_classes_and_regression(settings):
    session = Session(LIMITS)
    session.configure(settings)
    session.train(2, seconds=60)
    assert session.frame(force_diagnostics=True)["diagnostics"]["available"]
    trace = session.trace("train", 1)
    rows = trace["trace"]["parameters"]
    assert len(rows) == session.trainer.model.num_parameters()
    assert trace["trace"]["max_error"] < 1e-5


def test_separability_is_decided_once_per_run(monkeypatch):
    import neuralab.playground.session as session_module

    calls = []
    monkeypatch.setattr(session_module, "linearly_separable",
                        lambda X, y: calls.append(len(X)) or True)
    session = Session(LIMITS)
    session.configure({**XOR, "activation": "step", "hidden": [], "learning_rate": 1e-5})
    session.train(PERCEPTRON_PATIENCE, seconds=60)
    for _ in range(3):
        assert "notice" not in session.frame()
    assert calls == [50]


def _test_accuracy_after(epochs: int, **settings) -> float:
    config = PlaygroundConfig(**settings)
    trainer = Trainer(config, make_task(config))
    for _ in range(epochs):
        trainer.train_epoch()
    return trainer.losses()["test_accuracy"]


def test_each_datasets_suggested_settings_are_a_valid_configuration():
    from neuralab.playground.catalogue import DATASETS

    for name, dataset in DATASETS.items():
        assert set(dataset.suggested) <= set(PlaygroundConfig.model_fields), name
        if dataset.suggested:
            PlaygroundConfig(dataset=name, **dataset.suggested)  # within the default limits


@pytest.mark.parametrize("dataset", ["spiral", "spiral3"])
def test_a_spiral_learns_with_its_suggested_settings_where_the_defaults_do_not(dataset):
    from neuralab.playground.catalogue import DATASETS

    suggested = DATASETS[dataset].suggested
    assert suggested  # the menu switches to them
    epochs = 150  # a few seconds of the page's training; seed 0
    assert _test_accuracy_after(epochs, dataset=dataset) < 0.7  # 0.60 and 0.42
    assert _test_accuracy_after(epochs, dataset=dataset, **suggested) > 0.8  # 0.93 and 0.88
