"""clip_grad_norm_ and clip_grad_value_."""

from __future__ import annotations

import math

import numpy as np
import pytest

from neuralab import nn, optim


def _params_with_grads(*grads):
    params = []
    for grad in grads:
        param = nn.Parameter(np.zeros(np.shape(grad)))
        param.grad = None if grad is None else np.array(grad, dtype=np.float64)
        params.append(param)
    return params


def test_norm_above_max_is_scaled_down_and_the_norm_before_is_returned():
    params = _params_with_grads([3.0, 0.0], [[4.0]], None)
    total = optim.clip_grad_norm_(params, max_norm=1.0)
    assert total == pytest.approx(5.0)
    scale = 1.0 / (5.0 + 1e-6)
    np.testing.assert_allclose(params[0].grad, [3 * scale, 0.0])
    np.testing.assert_allclose(params[1].grad, [[4 * scale]])
    new_norm = math.sqrt(sum(float(np.sum(p.grad**2)) for p in params[:2]))
    assert new_norm == pytest.approx(1.0, rel=1e-5)


def test_norm_below_max_leaves_grads_unchanged():
    params = _params_with_grads([0.3, 0.4])
    assert optim.clip_grad_norm_(params, max_norm=1.0) == pytest.approx(0.5)
    np.testing.assert_array_equal(params[0].grad, [0.3, 0.4])


def test_clipping_scales_the_gradient_arrays_in_place():
    params = _params_with_grads([30.0, 40.0])
    array = params[0].grad
    optim.clip_grad_norm_(params, 5.0)
    assert params[0].grad is array


@pytest.mark.parametrize(("norm_type", "expected"), [
    (1.0, 1 + 2 + 3 + 4), (math.inf, 4.0), (3.0, (1 + 8 + 27 + 64) ** (1 / 3))])
def test_other_norms(norm_type, expected):
    params = _params_with_grads([1.0, -2.0], [3.0, -4.0])
    assert optim.clip_grad_norm_(params, 100.0, norm_type=norm_type) == pytest.approx(expected)


def test_single_tensor_and_no_grads():
    (param,) = _params_with_grads([6.0, 8.0])
    assert optim.clip_grad_norm_(param, 5.0) == pytest.approx(10.0)
    assert optim.clip_grad_norm_(_params_with_grads(None), 1.0) == 0.0


def test_non_finite_norm_raises_when_asked():
    params = _params_with_grads([np.nan, 1.0])
    with pytest.raises(RuntimeError, match=r"NaN or infinite.*Lower the learning rate"):
        optim.clip_grad_norm_(params, 1.0, error_if_nonfinite=True)
    assert math.isnan(optim.clip_grad_norm_(params, 1.0))


def test_same_numbers_as_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    grads = [rng.standard_normal((3, 4)), rng.standard_normal(4)]
    for norm_type in (2.0, 1.0, math.inf):
        ours = _params_with_grads(*grads)
        theirs = [torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.float64)) for g in grads]
        for param, grad in zip(theirs, grads, strict=True):
            param.grad = torch.tensor(grad)
        total = optim.clip_grad_norm_(ours, 0.5, norm_type=norm_type)
        reference = torch.nn.utils.clip_grad_norm_(theirs, 0.5, norm_type=norm_type)
        assert total == pytest.approx(float(reference), rel=1e-12)
        for mine, param in zip(ours, theirs, strict=True):
            np.testing.assert_allclose(mine.grad, param.grad.numpy(), rtol=1e-12)


def test_clip_grad_value():
    params = _params_with_grads([-3.0, 0.5, 2.0], None)
    optim.clip_grad_value_(params, 1.0)
    np.testing.assert_array_equal(params[0].grad, [-1.0, 0.5, 1.0])


@pytest.mark.parametrize(("call", "match"), [
    (lambda p: optim.clip_grad_norm_(p, 0.0), "'max_norm' parameter of clip_grad_norm_ must be"),
    (lambda p: optim.clip_grad_norm_(p, 1.0, norm_type=-2), "'norm_type'"),
    (lambda p: optim.clip_grad_value_(p, -1.0), "'clip_value' parameter of clip_grad_value_"),
])
def test_argument_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call(_params_with_grads([1.0]))
