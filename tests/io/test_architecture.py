"""A file's architecture is checked against the tensors it holds before anything is built, so
a hostile model file costs memory and time bounded by its real size."""

from __future__ import annotations

import json
import time
import tracemalloc

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn
from neuralab.io.architecture import check_architecture
from neuralab.io.files import TensorInfo
from neuralab.nn.registry import _REGISTRY

MB = 2**20


def header_of(state: dict) -> dict:
    return {name: TensorInfo(array.dtype, array.shape, 0, 0) for name, array in state.items()}


def model_file(path, architecture, arrays=None, fmt="neuralab-model"):
    from safetensors.numpy import save_file

    save_file(arrays or {}, str(path),
              metadata={"format": fmt, "architecture": json.dumps(architecture)})
    return path


def load_peak(path):
    """``(peak traced bytes, seconds, error)`` of an nl.load that must fail."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(nl.ModelFileError) as caught:
            nl.load(path)
        return tracemalloc.get_traced_memory()[1], time.perf_counter() - started, caught.value
    finally:
        tracemalloc.stop()


MODELS = [
    lambda: nn.Linear(3, 2, seed=0),
    lambda: nn.Linear(3, 2, bias=False, seed=0),
    lambda: nn.BatchNorm1d(4),
    lambda: nn.BatchNorm1d(4, affine=False),
    lambda: nn.MLP([3, 5, 4, 2], seed=0),
    lambda: nn.MLP([3, 5, 4, 2], batch_norm=True, dropout=0.2, output="softmax", seed=0),
    lambda: nn.MLP([3, 2], batch_norm=True, seed=0),
    lambda: nn.Sequential(nn.Linear(2, 3, seed=0), nn.ReLU(),
                          nn.Sequential(nn.BatchNorm1d(3), nn.Dropout(0.1), nn.Tanh()),
                          nn.Linear(3, 1, seed=0), nn.Sigmoid(), nn.BCELoss()),
    lambda: nn.Sequential(nn.LeakyReLU(0.1), nn.Softmax(axis=0), nn.Step(), nn.Identity()),
]


@pytest.mark.parametrize("build", MODELS)
def test_the_check_predicts_exactly_the_state_of_each_built_in_architecture(build):
    model = build()
    state = model.state_dict()
    check_architecture(model.to_config(), header_of(state), "m")  # passes: the same tensors
    for name in state:
        without = {k: v for k, v in state.items() if k != name}
        with pytest.raises(nl.ModelFileError, match=rf"needs '{name}' of shape"):
            check_architecture(model.to_config(), header_of(without), "m")
    extra = {**state, "stray": np.zeros(2)}
    with pytest.raises(nl.ModelFileError, match="has no place for: 'stray'"):
        check_architecture(model.to_config(), header_of(extra), "m")


def test_every_built_in_module_type_is_known_to_the_check():
    """A new built-in layer must get a rule in io/architecture.py (or be parameter-free)."""
    from neuralab.io import architecture

    known = {"Linear", "BatchNorm1d", "Sequential", "MLP", *architecture.PARAMETER_FREE}
    built_in = {name for name, cls in _REGISTRY.items() if cls.__module__.startswith("neuralab.")}
    assert built_in <= known
    for name in architecture.PARAMETER_FREE:
        assert _REGISTRY[name]().state_dict() == {}


def test_a_182_byte_file_asking_for_a_50000_by_50000_layer_allocates_nothing(tmp_path):
    path = model_file(tmp_path / "huge.safetensors",
                      {"type": "Linear", "config": {"in_features": 50000, "out_features": 50000}})
    assert path.stat().st_size < 200
    peak, _, error = load_peak(path)
    assert "needs 'weight' of shape (50000, 50000)" in str(error)
    assert "nothing was built" in str(error)
    assert peak < MB


def test_forty_thousand_declared_layers_without_their_weights_fail_at_once(tmp_path):
    path = model_file(tmp_path / "deep.safetensors",
                      {"type": "MLP", "config": {"sizes": [1] * 40001}})
    peak, seconds, error = load_peak(path)
    assert "needs '0.weight' of shape (1, 1)" in str(error) and "perhaps more" in str(error)
    assert peak < 4 * MB  # the JSON itself takes about 1 MB once parsed
    assert seconds < 5  # building it before its error took 11 s (the issue); the check is quick


def test_a_weight_file_that_matches_but_holds_wrong_dtype_values_still_loads(tmp_path):
    model = nn.MLP([2, 3, 1], seed=0)
    arrays = {k: v.astype(np.float64) for k, v in model.state_dict().items()}
    path = model_file(tmp_path / "m.safetensors", model.to_config(), arrays)
    assert nl.load(path)[0].weight.dtype == np.float32


@pytest.mark.parametrize(
    ("architecture", "message"),
    [
        ({"type": "Linear", "config": {"in_features": -3, "out_features": 2}},
         "'in_features' is -3, not a positive integer"),
        ({"type": "Linear", "config": {"in_features": 2.5, "out_features": 2}},
         "'in_features' is 2.5"),
        ({"type": "Linear", "config": {"in_features": 2, "out_features": 2, "bias": "yes"}},
         "'bias' is 'yes', not true/false"),
        ({"type": "MLP", "config": {"sizes": "2,3"}}, "'sizes' are '2,3'"),
        ({"type": "MLP", "config": {"sizes": [2, 1], "dropout": "x"}}, "'dropout' is 'x'"),
        ({"type": "Sequential", "config": {"layers": 3}}, "without a list of 'layers'"),
        ({"type": "Sequential", "config": {"layers": [{"type": "Conv2d", "config": {}}]}},
         r"layer '0' has the unknown type 'Conv2d' \(known types: .*Linear"),
        ({"type": "Linear"}, r'not a \{"type": ..., "config": \{...\}\} object'),
        ([1, 2], "not a"),
    ],
)
def test_malformed_architectures_are_named_before_building(tmp_path, architecture, message):
    path = model_file(tmp_path / "bad.safetensors", architecture)
    with pytest.raises(nl.ModelFileError, match=message):
        nl.load(path)


def test_containers_nested_too_deeply_are_refused(tmp_path):
    spec = {"type": "ReLU", "config": {}}
    for _ in range(40):
        spec = {"type": "Sequential", "config": {"layers": [spec]}}
    with pytest.raises(nl.ModelFileError, match="nested more than 32 containers deep"):
        nl.load(model_file(tmp_path / "nested.safetensors", spec))
    text = '{"type": "Sequential", "config": {"layers": [' * 5000 + "]}}" * 5000
    from safetensors.numpy import save_file

    path = tmp_path / "very.safetensors"
    save_file({}, str(path), metadata={"format": "neuralab-model", "architecture": text})
    with pytest.raises(nl.ModelFileError, match="architecture is JSON nested too deeply"):
        nl.load(path)


def test_a_user_registered_module_is_built_by_its_own_code(tmp_path):
    @nn.register_module
    class ScaleByWeights(nn.Module):
        def __init__(self, n=2):
            super().__init__()
            self.n = n
            self.w = nn.Parameter(np.ones(n, np.float32))

        def forward(self, x):
            return x * self.w

        def get_config(self):
            return {"n": self.n}

    try:
        model = nn.Sequential(nn.Linear(2, 2, seed=0), ScaleByWeights(2))
        model[1].w.data[...] = [2.0, 3.0]
        loaded = nl.load(nl.save(model, tmp_path / "custom.safetensors"))
        np.testing.assert_array_equal(loaded[1].w.data, [2.0, 3.0])
    finally:
        _REGISTRY.pop("ScaleByWeights")


def test_a_checkpoint_loads_only_its_model_tensors(tmp_path):
    model = nn.MLP([2, 3, 2], seed=0)
    X = np.random.default_rng(0).normal(size=(8, 2))
    nl.fit(model, X, np.arange(8) % 2, loss="cross_entropy", optimizer="adam", epochs=1,
           callbacks=[nl.ModelCheckpoint(tmp_path / "run.ckpt")], verbose=0)
    loaded = nl.load(tmp_path / "run.ckpt")
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(loaded.state_dict()[name], value)
