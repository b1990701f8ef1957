"""The engine's answers at the edges the issue-13 review found wrong: negative axes, powers
with a zero or negative base, a zero exponent, and inputs at ±inf or NaN (no NumPy warning).

The systematic comparison with PyTorch is ``test_torch_harness.py``; these are the reported
cases, with their numbers, so that each one reads as a regression test.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import neuralab as nl

F = nl.functional


def _leaf(values):
    return nl.tensor(values, dtype="float64", requires_grad=True)


def test_transpose_with_negative_axes_gives_the_gradient_the_input_shape():
    x = _leaf(np.arange(360.0).reshape(3, 4, 5, 6))
    y = x.transpose(-2, -1, 1, 0)
    assert y.shape == (5, 6, 4, 3)
    upstream = np.random.default_rng(0).normal(size=y.shape)
    y.backward(upstream)
    assert x.grad.shape == (3, 4, 5, 6)
    np.testing.assert_array_equal(x.grad, upstream.transpose(3, 2, 0, 1))


@pytest.mark.parametrize("axes", [(0, 0, 1, 2), (0, 1, 2), (0, 1, 2, 4)])
def test_transpose_refuses_what_is_not_a_permutation(axes):
    with pytest.raises(nl.ShapeError, match="transpose"):
        nl.ones(3, 4, 5, 6).transpose(*axes)


def test_negative_base_to_integer_powers_as_numpy_and_pytorch():
    exponents = _leaf([-2.0, -1.0, 0.0, 1.0, 2.0, 3.0])
    out = (-2) ** exponents
    np.testing.assert_array_equal(out.data, [0.25, -0.5, 1.0, -2.0, 4.0, -8.0])


def test_zero_base_powers_and_their_gradients():
    exponents = _leaf([0.0, 1.0, 2.0])
    out = 0 ** exponents
    np.testing.assert_array_equal(out.data, [1.0, 0.0, 0.0])
    out.sum().backward()
    np.testing.assert_array_equal(exponents.grad, [0.0, 0.0, 0.0])  # PyTorch's convention


def test_positive_base_power_matches_exp_of_log():
    x = _leaf([-1.5, 0.0, 2.0])
    (3 ** x).sum().backward()
    np.testing.assert_allclose(x.grad, 3.0 ** x.data * np.log(3.0), rtol=1e-14)
    assert nl.gradcheck(lambda t: 3 ** t, _leaf([-1.5, 0.3, 2.0]))


def test_power_of_two_tensors_passes_gradcheck_with_broadcasting():
    base = _leaf(np.random.default_rng(1).uniform(0.5, 2.0, (3, 1)))
    exponent = _leaf(np.random.default_rng(2).uniform(-2, 2, (1, 4)))
    assert nl.gradcheck(lambda a, b: a ** b, base, exponent)


def test_zero_exponent_has_zero_gradient_at_zero():
    x = _leaf([0.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (x ** 0).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0])


@pytest.mark.parametrize(
    ("name", "fn"),
    [
        ("exp overflow", lambda x: x.exp()),
        ("log(0) and log(-1)", lambda x: x.log()),
        ("sqrt'(0)", lambda x: x.sqrt()),
        ("x / 0", lambda x: x / 0.0),
        ("inf - inf", lambda x: x - x),
        ("softmax", lambda x: x.reshape(1, -1).softmax()),
        ("log_softmax", lambda x: x.reshape(1, -1).log_softmax()),
        ("bce_with_logits", lambda x: F.binary_cross_entropy_with_logits(x, np.ones(5))),
        ("cross_entropy", lambda x: F.cross_entropy(x.reshape(1, -1), [0])),
        ("power", lambda x: x ** x),
        ("sum", lambda x: x.sum()),
        ("matmul", lambda x: x @ x),
    ],
)
def test_non_finite_inputs_give_values_without_numpy_warnings(name, fn):
    x = _leaf([0.0, -1.0, 1000.0, np.inf, -np.inf])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = fn(x)
        out.backward(np.ones(out.shape))


def test_softmax_of_all_minus_inf_row_is_nan_as_in_pytorch():
    out = nl.tensor([[-np.inf, -np.inf], [0.0, np.inf]], dtype="float64").softmax()
    assert np.isnan(out.data).all()


def test_soft_targets_get_the_true_gradient_when_rows_do_not_sum_to_one():
    z = _leaf([[0.3, -1.2, 2.0]])
    F.cross_entropy(z, [[0.5, 0.5, 0.5]]).backward()
    np.testing.assert_allclose(z.grad, [[-0.27602, -0.45002, 0.72605]], atol=1e-5)
    assert nl.gradcheck(lambda t: F.cross_entropy(t, [[0.5, 0.5, 0.5], [0.0, 2.0, 0.1]]),
                        _leaf([[0.3, -1.2, 2.0], [1.0, 0.0, -1.0]]))


def test_negative_soft_targets_are_refused():
    with pytest.raises(ValueError, match=r"target rows must be >= 0.*-0.5"):
        F.cross_entropy(_leaf([[0.3, -1.2, 2.0]]), [[1.5, -0.5, 0.0]])


@pytest.mark.parametrize(("p", "what"), [(np.nan, "NaN"), (1.5, "1.5"), (-0.5, "-0.5")])
def test_bce_refuses_predictions_that_are_not_probabilities(p, what):
    with pytest.raises(ValueError, match=rf"probabilities in \[0, 1\].*{what}.*with_logits"):
        F.binary_cross_entropy(_leaf([[0.2], [p]]), [[1.0], [1.0]])


def test_bce_at_zero_and_one_keeps_the_clamp_at_minus_100():
    loss = F.binary_cross_entropy(_leaf([[0.0], [1.0]]), [[1.0], [0.0]], reduction="none")
    np.testing.assert_array_equal(loss.data, [[100.0], [100.0]])


def test_bce_with_logits_at_infinite_logits_is_the_limit():
    z = _leaf([np.inf, -np.inf, np.inf, -np.inf])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = F.binary_cross_entropy_with_logits(z, [1.0, 0.0, 0.0, 1.0], reduction="none")
        loss.sum().backward()
    np.testing.assert_array_equal(loss.data, [0.0, 0.0, np.inf, np.inf])
    np.testing.assert_array_equal(z.grad, [0.0, 0.0, 1.0, -1.0])


def test_loss_modules_carry_label_smoothing_and_pos_weight():
    z, labels = _leaf([[0.3, -1.2, 2.0]]), [2]
    smoothed = nl.nn.CrossEntropyLoss(label_smoothing=0.3)
    assert smoothed(z, labels).item() == pytest.approx(
        F.cross_entropy(z, [[0.1, 0.1, 0.8]]).item(), rel=1e-14)
    weighted = nl.nn.BCEWithLogitsLoss(pos_weight=[3.0])
    plain = F.binary_cross_entropy_with_logits(nl.tensor([[0.4]], dtype="float64"), [[1.0]])
    assert weighted(nl.tensor([[0.4]], dtype="float64"), [[1.0]]).item() == pytest.approx(
        3 * plain.item(), rel=1e-14)
    rebuilt = nl.nn.module_from_config(weighted.to_config())
    assert rebuilt.pos_weight.tolist() == [3.0]
    with pytest.raises(ValueError, match="label_smoothing must be a number in"):
        nl.nn.CrossEntropyLoss(label_smoothing=1.5)
    with pytest.raises(ValueError, match="pos_weight must be finite and >= 0"):
        weighted.pos_weight = np.array([-1.0])
        weighted(nl.tensor([[0.4]]), [[1.0]])


def test_bce_through_a_sigmoid_of_a_nan_logit_is_nan_not_a_finite_100():
    z = _leaf([[np.nan], [0.3]])
    loss = F.binary_cross_entropy(z.sigmoid(), [[1.0], [0.0]], reduction="none")
    assert np.isnan(loss.data[0, 0]) and np.isfinite(loss.data[1, 0])
