"""Download and upload: what nl.save writes, validated like nl.load, never naming server paths."""

import json
import pickle

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn
from neuralab.playground.config import PlaygroundConfig
from neuralab.playground.modelfile import load_model_bytes, model_bytes
from neuralab.playground.session import Session

from .conftest import LIMITS, XOR


def trained_session() -> Session:
    session = Session(LIMITS)
    session.configure({**XOR, "features": ["x1", "x2", "x1x2"], "hidden": [3]})
    session.train(5, seconds=60)
    return session


def test_the_download_is_a_model_file_that_nl_load_reads(tmp_path):
    session = trained_session()
    path = tmp_path / "model.safetensors"
    path.write_bytes(session.model_file())
    loaded = nl.load(path)
    X = session.trainer.task.X_test
    np.testing.assert_allclose(loaded(X).numpy(), session.trainer.predict(X))


def test_an_upload_restores_the_network_and_its_settings():
    session = trained_session()
    raw, expected = session.model_file(), session.frame()
    other = Session(LIMITS)
    other.configure({"dataset": "circles", "points": 50})
    ready = other.load_model_file(raw, "mine.safetensors")
    assert ready["source"] == "upload" and ready["config"] == session.config.model_dump()
    assert other.frame()["output"] == expected["output"]


def test_a_plain_nl_save_file_takes_the_current_settings(tmp_path):
    model = nn.MLP([2, 5, 1], activation="relu", seed=3)
    path = nl.save(model, tmp_path / "plain.safetensors")
    current = PlaygroundConfig(**XOR)
    loaded, config = load_model_bytes(path.read_bytes(), "plain.safetensors", current, LIMITS)
    assert (config.hidden, config.activation, config.dataset) == ([5], "relu", "xor")
    assert repr(loaded) == repr(model)


@pytest.mark.parametrize(("raw", "message"), [
    (b"", r"'upload.safetensors' is empty"),
    (pickle.dumps({"weights": 1}), r"'upload.safetensors' is a Python pickle"),
    (b"\x10\x00\x00\x00\x00\x00\x00\x00{}", r"'upload.safetensors' is truncated"),
    (b"x" * 9000, r"has 9,000 bytes; this server takes model files of at most 8,192"),
])
def test_bad_files_are_refused_naming_only_the_uploaded_file(raw, message):
    with pytest.raises(nl.ModelFileError, match=message) as caught:
        load_model_bytes(raw, "upload.safetensors", PlaygroundConfig(), LIMITS)
    assert "/tmp" not in str(caught.value) and "\\" not in str(caught.value)


def fake_model_file(tmp_path, architecture: dict) -> bytes:
    """A file that claims ``architecture`` but holds tiny weights."""
    path = nl.io.write_safetensors(
        tmp_path / "fake.safetensors", {"0.weight": np.zeros((2, 1), np.float32)},
        {"format": nl.io.FORMAT, "format_version": "1", "architecture": json.dumps(architecture)})
    return path.read_bytes()


@pytest.mark.parametrize(("architecture", "message"), [
    ({"type": "MLP", "config": {"sizes": [2, 10**8, 1], "activation": "tanh"}},
     r"its hidden layers have \[100000000\] neurons, this server allows 1 to 6"),
    ({"type": "MLP", "config": {"sizes": [64, 3, 10], "activation": "tanh"}},
     r"it takes 64 inputs.*it has 10 outputs"),
    ({"type": "Sequential", "config": {"layers": []}}, r"holds a 'Sequential'"),
])
def test_architectures_the_playground_cannot_show_are_refused_before_building(
        tmp_path, architecture, message):
    raw = fake_model_file(tmp_path, architecture)
    with pytest.raises(nl.ModelFileError, match=message):
        load_model_bytes(raw, "big.safetensors", PlaygroundConfig(), LIMITS)


def test_weights_that_do_not_fit_are_reported_by_nl_io(tmp_path):
    raw = fake_model_file(tmp_path, {"type": "MLP", "config": {"sizes": [2, 3, 1],
                                                               "activation": "tanh"}})
    with pytest.raises(nl.ModelFileError, match=r"'x.safetensors': the architecture does not "
                       r"match the weights the file holds"):
        load_model_bytes(raw, "x.safetensors", PlaygroundConfig(), LIMITS)


def test_the_download_keeps_the_settings_in_the_metadata(tmp_path):
    config = PlaygroundConfig(**XOR)
    session = Session(LIMITS)
    session.configure(XOR)
    path = tmp_path / "m.safetensors"
    path.write_bytes(model_bytes(session.trainer.model, config))
    _, metadata = nl.io.read_safetensors(path)
    assert json.loads(metadata["neuralab_playground_config"]) == config.model_dump()


def test_ones_own_data_travels_inside_the_downloaded_model():
    drawn = [[0.1, 0.2, 0], [0.5, 0.4, 0], [-0.3, 0.2, 1], [-0.5, -0.5, 1], [0.9, -0.2, 2],
             [0.8, -0.9, 2]]
    session = Session(LIMITS)
    session.configure({"dataset": "custom", "custom_points": drawn, "hidden": [3],
                       "custom_classes": ["a", "b", "c"]})
    session.train(3, seconds=60)
    raw, expected = session.model_file(), session.frame()
    other = Session(LIMITS)
    other.configure(XOR)
    ready = other.load_model_file(raw, "mine.safetensors")
    assert [list(point) for point in ready["config"]["custom_points"]] == drawn
    assert ready["data"]["classes"] == ["a", "b", "c"]
    assert ready["network"]["sizes"] == [2, 3, 3]
    assert other.frame()["output"] == expected["output"]


def test_a_file_without_settings_must_fit_the_current_datas_outputs(tmp_path):
    three = nl.save(nn.MLP([2, 4, 3], activation="tanh", seed=0), tmp_path / "three.safetensors")
    binary = PlaygroundConfig(**XOR)
    with pytest.raises(nl.ModelFileError, match=r"has 3 output unit\(s\) .* needs 1"):
        load_model_bytes(three.read_bytes(), "three.safetensors", binary, LIMITS)
    spiral = PlaygroundConfig(dataset="spiral3")
    _, config = load_model_bytes(three.read_bytes(), "three.safetensors", spiral, LIMITS)
    assert (config.hidden, config.dataset, config.loss) == ([4], "spiral3", "cross_entropy")
    sigmoid = nl.save(nn.MLP([2, 4, 1], output="sigmoid", seed=0), tmp_path / "s.safetensors")
    with pytest.raises(nl.ModelFileError, match=r"ends in a sigmoid; a regression network"):
        load_model_bytes(sigmoid.read_bytes(), "s.safetensors",
                         PlaygroundConfig(dataset="plane", loss="mse"), LIMITS)


def test_a_deeply_nested_architecture_is_refused_with_a_clear_error(tmp_path):
    nested = "[" * 3000 + "]" * 3000
    path = nl.io.write_safetensors(
        tmp_path / "deep.safetensors", {"0.weight": np.zeros((2, 1), np.float32)},
        {"format": nl.io.FORMAT, "format_version": "1", "architecture": nested})
    with pytest.raises(nl.ModelFileError, match=r"nests arrays or objects more than 16 levels"):
        load_model_bytes(path.read_bytes(), "deep.safetensors", PlaygroundConfig(), LIMITS)


def test_deeply_nested_settings_fall_back_to_the_files_architecture(tmp_path):
    model = nn.MLP([2, 4, 1], activation="tanh", seed=0)
    path = nl.save(model, tmp_path / "m.safetensors",
                   metadata={"neuralab_playground_config": "{" * 3000})
    loaded, config = load_model_bytes(path.read_bytes(), "m.safetensors",
                                      PlaygroundConfig(**XOR), LIMITS)
    assert config.hidden == [4] and repr(loaded) == repr(model)
