"""BatchNorm1d and its fused op: the formulas, gradients, PyTorch's numbers, errors."""

from __future__ import annotations

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn
from neuralab.autograd import apply
from neuralab.autograd.ops.normalization import BatchNorm


def _batch(n=6, c=4, seed=0, dtype=np.float32):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((n, c)) * [1.0, 3.0, 0.1, 10.0][:c] + 2.0).astype(dtype)


def _affine(layer, seed=1):
    """Give gamma and beta values other than 1 and 0."""
    rng = np.random.default_rng(seed)
    layer.weight.data[:] = rng.uniform(0.5, 2.0, layer.num_features)
    layer.bias.data[:] = rng.standard_normal(layer.num_features)
    return layer


def test_train_mode_equals_the_formula_and_updates_running_stats():
    layer = _affine(nn.BatchNorm1d(4, momentum=0.2))
    x = _batch()
    out = layer(x).data
    mean, var = x.mean(0), x.var(0)  # biased
    expected = layer.weight.data * (x - mean) / np.sqrt(var + 1e-5) + layer.bias.data
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(layer.running_mean, 0.8 * 0 + 0.2 * mean, rtol=1e-6)
    np.testing.assert_allclose(layer.running_var, 0.8 * 1 + 0.2 * x.var(0, ddof=1), rtol=1e-6)


def test_eval_mode_uses_the_running_stats_and_leaves_them_alone():
    layer = _affine(nn.BatchNorm1d(4))
    for seed in range(3):
        layer(_batch(seed=seed))
    layer.eval()
    mean, var = layer.running_mean.copy(), layer.running_var.copy()
    x = _batch(n=1, seed=5)  # a single sample is fine in eval mode
    expected = layer.weight.data * (x - mean) / np.sqrt(var + 1e-5) + layer.bias.data
    np.testing.assert_allclose(layer(x).data, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(layer.running_mean, mean)


def test_without_affine_the_output_is_standardised():
    layer = nn.BatchNorm1d(4, affine=False)
    assert layer.weight is None and layer.bias is None and layer.num_parameters() == 0
    out = layer(_batch(n=50)).data
    np.testing.assert_allclose(out.mean(0), 0, atol=1e-5)
    np.testing.assert_allclose(out.std(0), 1, atol=1e-3)


def test_buffers_and_parameters_are_registered():
    layer = nn.BatchNorm1d(3)
    assert [name for name, _ in layer.named_parameters()] == ["weight", "bias"]
    assert list(layer.state_dict()) == ["weight", "bias", "running_mean", "running_var"]
    np.testing.assert_array_equal(layer.running_var, np.ones(3))


@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("training", [True, False])
def test_fused_op_gradcheck(affine, training):
    rng = np.random.default_rng(0)
    x = nl.tensor(rng.standard_normal((5, 3)) * 2 + 1, requires_grad=True, dtype="float64")
    gamma = nl.tensor(rng.uniform(0.5, 2, 3), requires_grad=True, dtype="float64")
    beta = nl.tensor(rng.standard_normal(3), requires_grad=True, dtype="float64")
    stats = {"running_mean": rng.standard_normal(3), "running_var": rng.uniform(0.5, 2, 3)}

    def fn(*inputs):
        return apply(BatchNorm, *inputs, training=training, eps=1e-5, momentum=0.1,
                     running_mean=stats["running_mean"].copy(),
                     running_var=stats["running_var"].copy())

    assert nl.gradcheck(fn, *((x, gamma, beta) if affine else (x,)))


def test_module_gradcheck_in_train_mode(check_module_gradients):
    with nl.config(dtype="float64"):
        layer = _affine(nn.BatchNorm1d(3))
    assert check_module_gradients(layer, _batch(n=5, c=3, dtype=np.float64))


def test_gradient_through_the_batch_statistics_sums_to_zero():
    """y does not change when the whole batch shifts, so dL/dx sums to 0 over the batch."""
    x = nl.tensor(_batch(), requires_grad=True)
    (_affine(nn.BatchNorm1d(4))(x) * nl.tensor(_batch(seed=3))).sum().backward()
    np.testing.assert_allclose(x.grad.sum(0), 0, atol=1e-4)


def test_batch_of_one_in_training_is_refused():
    with pytest.raises(ValueError, match=r"at least 2 samples per batch.*call eval"):
        nn.BatchNorm1d(4)(np.ones((1, 4)))


@pytest.mark.parametrize("shape", [(5, 3), (5,), (5, 4, 2)])
def test_wrong_feature_count_or_rank_is_refused(shape):
    with pytest.raises(nl.ShapeError, match=r"BatchNorm1d\(4\) expects input of shape \(N, 4\)"):
        nn.BatchNorm1d(4)(np.ones(shape))


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"num_features": 0}, r"'num_features' parameter of BatchNorm1d must be an int >= 1"),
    ({"num_features": 2, "eps": 0}, r"'eps' parameter of BatchNorm1d must be a float > 0"),
    ({"num_features": 2, "momentum": 1.5}, r"'momentum' .* must be a float in \[0, 1\]"),
])
def test_argument_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        nn.BatchNorm1d(**kwargs)


def test_same_numbers_as_pytorch_in_train_and_eval_mode():
    torch = pytest.importorskip("torch")
    ours = _affine(nn.BatchNorm1d(4, momentum=0.3))
    theirs = torch.nn.BatchNorm1d(4, momentum=0.3)
    with torch.no_grad():
        theirs.weight.copy_(torch.from_numpy(ours.weight.data))
        theirs.bias.copy_(torch.from_numpy(ours.bias.data))
    for step in range(4):
        x = _batch(n=8, seed=step)
        upstream = _batch(n=8, seed=10 + step)
        x_ours = nl.tensor(x, requires_grad=True)
        x_theirs = torch.tensor(x, requires_grad=True)
        out_ours, out_theirs = ours(x_ours), theirs(x_theirs)
        (out_ours * nl.tensor(upstream)).sum().backward()
        (out_theirs * torch.from_numpy(upstream)).sum().backward()
        np.testing.assert_allclose(out_ours.data, out_theirs.detach().numpy(), atol=1e-5)
        np.testing.assert_allclose(x_ours.grad, x_theirs.grad.numpy(), atol=1e-4)
    np.testing.assert_allclose(ours.weight.grad, theirs.weight.grad.numpy(), rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(ours.bias.grad, theirs.bias.grad.numpy(), rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(ours.running_mean, theirs.running_mean.numpy(), rtol=1e-6)
    np.testing.assert_allclose(ours.running_var, theirs.running_var.numpy(), rtol=1e-6)
    ours.eval()
    theirs.eval()
    x = _batch(n=3, seed=99)
    x_ours, x_theirs = nl.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out_ours, out_theirs = ours(x_ours), theirs(x_theirs)
    out_ours.sum().backward()
    out_theirs.sum().backward()
    np.testing.assert_allclose(out_ours.data, out_theirs.detach().numpy(), atol=1e-5)
    np.testing.assert_allclose(x_ours.grad, x_theirs.grad.numpy(), rtol=1e-5)
