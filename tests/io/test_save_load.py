"""nl.save / nl.load: safetensors with the architecture as JSON, and clear errors for every kind
of bad file -- without ever unpickling."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn


def test_round_trip_restores_architecture_weights_and_buffers(tmp_path):
    model = nn.MLP([4, 8, 3], activation="tanh", batch_norm=True, seed=1)
    model(np.random.default_rng(0).normal(size=(16, 4)))  # update running statistics
    path = nl.save(model, tmp_path / "m.safetensors")
    loaded = nl.load(path)
    assert repr(loaded) == repr(model) and not loaded.training
    x = np.random.default_rng(1).normal(size=(5, 4))
    with nl.no_grad():
        np.testing.assert_array_equal(loaded(x).data, model.eval()(x).data)


def test_the_file_is_plain_safetensors_with_json_architecture(tmp_path):
    from safetensors import safe_open

    path = nl.save(nn.MLP([2, 3, 1], seed=0), tmp_path / "m.safetensors")
    with safe_open(str(path), framework="numpy") as handle:
        metadata = handle.metadata()
        assert sorted(handle.keys()) == ["0.bias", "0.weight", "2.bias", "2.weight"]
    assert metadata["format"] == "neuralab-model"
    assert json.loads(metadata["architecture"])["type"] == "MLP"


def test_extra_metadata_is_kept_and_reserved_keys_are_refused(tmp_path):
    model = nn.MLP([2, 3, 1], seed=0)
    path = nl.save(model, tmp_path / "m.safetensors", metadata={"trained_on": "xor"})
    _, metadata = nl.io.read_safetensors(path)
    assert metadata["trained_on"] == "xor" and metadata["format"] == "neuralab-model"
    assert repr(nl.load(path)) == repr(model)
    with pytest.raises(ValueError, match=r"\['architecture'\] are neuralab's own"):
        nl.save(model, tmp_path / "n.safetensors", metadata={"architecture": "{}"})


def test_a_header_length_starting_like_a_pickle_is_still_safetensors(tmp_path):
    model = nn.MLP([2, 3, 1], seed=0)
    for pad in range(256):  # some padding makes the first byte of the header length 0x80
        path = nl.save(model, tmp_path / "m.safetensors", metadata={"pad": "x" * pad})
        if path.read_bytes()[:1] == b"\x80":
            break
    assert path.read_bytes()[:1] == b"\x80"
    assert repr(nl.load(path)) == repr(model)


@pytest.fixture
def good_file(tmp_path):
    return nl.save(nn.MLP([2, 3, 1], seed=0), tmp_path / "good.safetensors")


def test_truncated_file(tmp_path, good_file):
    bad = tmp_path / "cut.safetensors"
    bad.write_bytes(good_file.read_bytes()[:-20])
    with pytest.raises(nl.ModelFileError, match=r"corrupt or truncated|truncated"):
        nl.load(bad)


def test_corrupt_header(tmp_path, good_file):
    data = bytearray(good_file.read_bytes())
    data[10:20] = b"!!!!!!!!!!"
    bad = tmp_path / "corrupt.safetensors"
    bad.write_bytes(bytes(data))
    with pytest.raises(nl.ModelFileError, match="corrupt"):
        nl.load(bad)


def test_foreign_safetensors_file(tmp_path):
    from safetensors.numpy import save_file

    path = tmp_path / "foreign.safetensors"
    save_file({"w": np.zeros(3, np.float32)}, str(path))
    with pytest.raises(nl.ModelFileError,
                       match=r"not one written by neuralab\.save.*load_state_dict"):
        nl.load(path)


class _Trap:
    """Unpickling this would create a file: loading must never get that far."""

    def __init__(self, target):
        self.target = target

    def __reduce__(self):
        return (open, (self.target, "w"))


def test_pickle_is_refused_without_running_it(tmp_path):
    target = tmp_path / "pwned"
    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps(_Trap(str(target))))
    with pytest.raises(nl.ModelFileError, match=r"pickle.*never unpickles"):
        nl.load(path)
    assert not target.exists()


def test_pytorch_zip_empty_and_missing_files(tmp_path):
    zipped = tmp_path / "model.pt"
    zipped.write_bytes(b"PK\x03\x04" + b"\0" * 50)
    with pytest.raises(nl.ModelFileError, match="zip archive"):
        nl.load(zipped)
    empty = tmp_path / "empty.safetensors"
    empty.write_bytes(b"")
    with pytest.raises(nl.ModelFileError, match="empty"):
        nl.load(empty)
    with pytest.raises(nl.ModelFileError, match="No model file"):
        nl.load(tmp_path / "nothing.safetensors")


def test_weights_that_do_not_fit_the_architecture(tmp_path, good_file):
    from safetensors import safe_open
    from safetensors.numpy import load_file, save_file

    with safe_open(str(good_file), framework="numpy") as handle:
        metadata = handle.metadata()
    arrays = load_file(str(good_file))
    arrays["0.weight"] = np.zeros((5, 5), np.float32)
    bad = tmp_path / "mismatch.safetensors"
    save_file(arrays, str(bad), metadata=metadata)
    with pytest.raises(nl.ModelFileError, match=r"does not match the weights the file holds, so "
                       r"nothing was built: it needs '0\.weight' of shape \(2, 3\) \(the file's "
                       r"has \(5, 5\)\)"):
        nl.load(bad)
