"""from_torch / to_torch: PyTorch Sequential networks to neuralab and back, same outputs."""

from __future__ import annotations

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn

torch = pytest.importorskip("torch")

X = np.random.default_rng(0).normal(size=(32, 4))


def theirs_of(net, inputs):
    with torch.no_grad():
        return net(torch.from_numpy(inputs)).numpy()


def ours_of(net, inputs):
    with nl.config(dtype=str(inputs.dtype)), nl.no_grad():
        return net(inputs).data


def torch_net():
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Linear(4, 8), torch.nn.BatchNorm1d(8), torch.nn.LeakyReLU(0.1),
        torch.nn.Dropout(0.2), torch.nn.Linear(8, 6, bias=False), torch.nn.Tanh(),
        torch.nn.Sequential(torch.nn.Linear(6, 5), torch.nn.Sigmoid(), torch.nn.ReLU(),
                            torch.nn.Identity()),
        torch.nn.Linear(5, 3), torch.nn.Softmax(dim=1))
    net(torch.randn(16, 4))  # move the running statistics away from 0 and 1
    return net.eval()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_a_torch_network_and_its_translation_compute_the_same(dtype):
    theirs = torch_net().to(getattr(torch, dtype))
    ours = nl.interop.from_torch(theirs)
    inputs = X.astype(dtype)
    tolerance = 1e-12 if dtype == "float64" else 1e-5
    np.testing.assert_allclose(ours_of(ours, inputs), theirs_of(theirs, inputs), atol=tolerance)
    assert ours[0].weight.dtype == np.dtype(dtype) and ours[1].running_mean.dtype == dtype
    assert not ours.training


def test_back_to_torch_gives_the_same_network():
    theirs = torch_net().double()
    again = nl.interop.to_torch(nl.interop.from_torch(theirs))
    np.testing.assert_array_equal(theirs_of(again, X), theirs_of(theirs, X))
    assert str(again) == str(theirs)


def test_a_neuralab_mlp_to_torch_matches_and_keeps_training_mode():
    with nl.config(dtype="float64"):
        ours = nn.MLP([4, 6, 6, 2], activation="relu", batch_norm=True, dropout=0.1,
                      output="softmax", seed=0)
        ours(X)
    theirs = nl.interop.to_torch(ours.eval())
    np.testing.assert_allclose(theirs_of(theirs, X), ours_of(ours, X), atol=1e-12)
    assert not theirs.training
    assert nl.interop.to_torch(ours.train()).training


def test_single_layers_translate_too():
    linear = torch.nn.Linear(4, 2).double()
    ours = nl.interop.from_torch(linear)
    assert isinstance(ours, nn.Linear)
    np.testing.assert_allclose(ours_of(ours, X), theirs_of(linear, X), atol=1e-12)


@pytest.mark.parametrize(
    ("layer", "message"),
    [
        (lambda: torch.nn.Conv1d(1, 1, 3), r"cannot translate layer '1', a Conv1d"),
        (lambda: torch.nn.Softmax(), r"a Softmax.*Softmax \(with dim\)"),
        (lambda: torch.nn.BatchNorm1d(4, momentum=None), "cumulative average"),
        (lambda: torch.nn.BatchNorm1d(4, track_running_stats=False), "without running"),
    ],
)
def test_layers_without_a_neuralab_equivalent_are_named(layer, message):
    with pytest.raises(TypeError, match=message):
        nl.interop.from_torch(torch.nn.Sequential(torch.nn.Linear(4, 4), layer()))


def test_a_step_unit_has_no_torch_layer():
    with pytest.raises(TypeError, match=r"layer '1', a Step: PyTorch has no such layer"):
        nl.interop.to_torch(nn.Sequential(nn.Linear(2, 1), nn.Step()))
    with pytest.raises(TypeError, match=r"takes a neuralab nn\.Module"):
        nl.interop.to_torch(torch.nn.Linear(2, 1))


def test_torch_and_onnx_are_imported_only_when_used():
    import subprocess
    import sys

    code = ("import sys, neuralab, neuralab.interop, neuralab.onnx; "
            "print([m for m in ('torch', 'onnx', 'onnxruntime') if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
