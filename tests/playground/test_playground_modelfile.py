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


def test_deeply_nested_json_in_an_upload_is_a_model_file_error(tmp_path):
    path = nl.io.write_safetensors(
        tmp_path / "deep.safetensors", {},
        {"format": nl.io.FORMAT, "format_version": "1", "architecture": "[" * 4000})
    with pytest.raises(nl.ModelFileError, match=r"^'deep.safetensors': its architecture is JSON "
                                                r"nested too deeply"):
        load_model_bytes(path.read_bytes(), "deep.safetensors", PlaygroundConfig(), LIMITS)


def test_deeply_nested_settings_fall_back_to_the_files_architecture(tmp_path):
    model = nn.MLP([2, 4, 1], activation="tanh", seed=0)
    path = nl.save(model, tmp_path / "m.safetensors",
                   metadata={"neuralab_playground_config": "{" * 3000})
    loaded, config = load_model_bytes(path.read_bytes(), "m.safetensors",
                                      PlaygroundConfig(**XOR), LIMITS)
    assert config.hidden == [4] and repr(loaded) == repr(model)
