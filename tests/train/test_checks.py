"""fit's checks before training: the data's shape and range, the validation data, the optimizer,
and probabilities for loss="bce" -- each raising before the model changes, naming the problem."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn, optim
from neuralab.train.checks import all_finite, cast_checked


def blobs(n=40, seed=0):
    rng = np.random.default_rng(seed)
    X = np.concatenate([rng.normal(-1, 0.5, (n // 2, 2)), rng.normal(1, 0.5, (n // 2, 2))])
    return X, np.repeat([0, 1], n // 2)


def _fails_and_leaves_the_model_unchanged(model, message, error=ValueError, **fit_args):
    before = {name: value.copy() for name, value in model.state_dict().items()}
    settings = {"loss": "cross_entropy", "optimizer": "sgd", "epochs": 2, "verbose": 0,
                **fit_args}
    with pytest.raises(error, match=message):
        nl.fit(model, **settings)
    after = model.state_dict()
    assert all(np.array_equal(before[name], after[name]) for name in before)


X, Y = blobs()
HUGE = X.copy()
HUGE[3, 1] = -1e300


@pytest.mark.parametrize(("features", "message"), [
    (3.0, r"X is a single number \(3\.0\); fit needs a 2-D array of samples × features"),
    (X.reshape(40, 1, 2), r"X has 3 dimensions \(shape \(40, 1, 2\)\).*X\.reshape\(len\(X\), -1\)"),
    (HUGE, r"X holds values up to 1e\+300 in magnitude \(the first at row 3, column 1\) that "
           r"overflow float32 \(its largest value is 3\.4e\+38\).*StandardScaler.*"
           r"nl\.config\(dtype='float64'\)"),
    (X[:, :1], r"X has 1 feature\(s\) per sample but the model's first layer "
               r"\(Linear\(in_features=2, out_features=3, bias=True\)\) takes 2"),
], ids=["scalar", "3-d", "overflow", "feature-count"])
def test_bad_features_are_reported_before_training(features, message):
    _fails_and_leaves_the_model_unchanged(nn.MLP([2, 3, 2], seed=0), message, X=features, y=Y)


@pytest.mark.parametrize(("X_val", "message"), [
    (X[:, :1], r"X_val has 1 feature\(s\) per sample but X has 2: the validation data needs "
               r"the same features"),
    (HUGE, r"X_val holds values up to 1e\+300 in magnitude.*overflow float32"),
    (X.reshape(40, 2, 1), r"X_val has 3 dimensions"),
], ids=["feature-count", "overflow", "3-d"])
def test_bad_validation_features_are_reported_before_the_first_epoch(X_val, message):
    seen = []

    class Record(nl.train.Callback):
        def on_train_begin(self):  # pragma: no cover - must not be reached
            seen.append("began")

    _fails_and_leaves_the_model_unchanged(nn.MLP([2, 3, 2], seed=0), message, X=X, y=Y,
                                          validation_data=(X_val, Y), callbacks=[Record()])
    assert seen == []


def test_targets_that_overflow_the_model_dtype_are_reported():
    y = X[:, 0].copy()
    y[7] = 1e200
    _fails_and_leaves_the_model_unchanged(nn.MLP([2, 3, 1], seed=0),
                                          r"y holds values up to 1e\+200.*row 7.*overflow float32",
                                          X=X, y=y, loss="mse")


def test_values_that_fit_the_model_dtype_pass_unchanged():
    assert cast_checked(np.array([3e38, -3e38]), np.dtype(np.float32), "X").dtype == np.float32
    values = np.array([1e300])
    assert cast_checked(values, np.dtype(np.float64), "X") is values


def test_in_float64_features_beyond_the_float32_range_train():
    """The advice of the overflow message works: in float64, 1e39 (> 3.4e38) is a number."""
    with nl.config(dtype="float64"):
        model = nn.MLP([2, 3, 1], seed=0)
        history = nl.fit(model, X * 1e39, X[:, 0] * 1e39, loss="mse",
                         optimizer=optim.SGD(model.parameters(), lr=1e-90), epochs=1,
                         verbose=0, metrics=())
    assert np.isfinite(history.history["loss"][0])


# ---------------------------------------------------------------------- the optimizer


def test_an_optimizer_of_another_model_is_refused_before_training():
    model, other = nn.MLP([2, 3, 2], seed=0), nn.MLP([2, 3, 2], seed=1)
    _fails_and_leaves_the_model_unchanged(
        model, r"The optimizer holds none of the model's trainable parameters.*would train "
               r"nothing\. Build it on this model: optim\.SGD\(model\.parameters\(\), lr=\.\.\.\)",
        X=X, y=Y, optimizer=optim.SGD(other.parameters(), lr=0.1))


def test_an_optimizer_holding_tensors_that_are_not_the_models_is_refused():
    model, other = nn.MLP([2, 3, 2], seed=0), nn.MLP([2, 3, 2], seed=1)
    mixed = optim.SGD([*model.parameters(), other[0].weight], lr=0.1)
    _fails_and_leaves_the_model_unchanged(
        model, r"holds 1 tensor\(s\) that are not parameters of the model \(the first is "
               r"optimizer\.params\[4\], shape \(2, 3\)\).*never change",
        X=X, y=Y, optimizer=mixed)


def test_an_optimizer_over_part_of_the_model_fine_tunes_that_part_only():
    model = nn.MLP([2, 3, 2], seed=0)
    frozen = model[0].weight.data.copy()
    head = model[2].weight.data.copy()
    nl.fit(model, X, Y, loss="cross_entropy", optimizer=optim.SGD(model[2].parameters(), lr=0.5),
           epochs=3, verbose=0, seed=0)
    np.testing.assert_array_equal(model[0].weight.data, frozen)
    assert not np.array_equal(model[2].weight.data, head)


def test_a_model_without_trainable_parameters_is_refused():
    model = nn.MLP([2, 3, 2], seed=0)
    opt = optim.SGD(model.parameters(), lr=0.1)
    for param in model.parameters():
        param.requires_grad = False
    _fails_and_leaves_the_model_unchanged(model, "none of the model's trainable parameters",
                                          X=X, y=Y, optimizer=opt)


def test_parameters_of_a_loss_module_may_be_optimized_with_the_model():
    class ScaledLoss(nn.Module):
        """Cross-entropy of learnably scaled logits."""

        def __init__(self):
            super().__init__()
            self.scale = nn.Parameter(np.ones(1, np.float32))

        def forward(self, output, target):
            return nl.functional.cross_entropy(output * self.scale, target)

    model, loss = nn.MLP([2, 3, 2], seed=0), ScaledLoss()
    nl.fit(model, X, Y, loss=loss, epochs=3, verbose=0, seed=0, metrics=(),
           optimizer=optim.SGD([*model.parameters(), loss.scale], lr=0.5))
    assert loss.scale.data[0] != 1.0


# ---------------------------------------------------------------------- loss="bce" on logits


def test_bce_on_a_model_that_outputs_logits_says_to_use_bce_with_logits():
    model = nn.MLP([2, 8, 1], seed=0)  # no output activation: logits
    _fails_and_leaves_the_model_unchanged(
        model, r"loss='bce' takes probabilities in \[0, 1\], but the model's outputs range from "
               r"-?[\d.]+ to -?[\d.]+ on the first batch: they look like logits.*"
               r"loss='bce_with_logits'.*Sigmoid",
        X=X * 30, y=Y, loss="bce")


def test_bce_with_a_loss_module_is_checked_too():
    _fails_and_leaves_the_model_unchanged(nn.MLP([2, 8, 1], seed=0), "look like logits",
                                          X=X * 30, y=Y, loss=nn.BCELoss())


def test_bce_on_a_sigmoid_output_trains():
    model = nn.MLP([2, 8, 1], output="sigmoid", seed=0)
    history = nl.fit(model, X, Y, loss="bce", optimizer=optim.SGD(model.parameters(), lr=0.5),
                     epochs=20, verbose=0, seed=0)
    assert history.history["accuracy"][-1] == 1.0


def test_evaluate_with_bce_on_logits_says_the_same():
    with pytest.raises(ValueError, match="look like logits"):
        nl.evaluate(nn.MLP([2, 8, 1], seed=0), X * 30, Y, loss="bce")


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_all_finite_finds_every_nan_and_infinity_and_passes_overflowing_rows(dtype):
    """The row-sum screen of all_finite: a NaN or an infinity anywhere (also +inf beside -inf
    in one row, whose sum is NaN) is found, in C order, Fortran order and strided views;
    finite values whose row sum overflows are finite, and pass."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((7, 5)).astype(dtype)
    for layout in (X, np.asfortranarray(X), X[:, ::2], X[::3]):
        assert all_finite(layout)
    for bad in ([np.nan], [np.inf], [-np.inf], [np.inf, -np.inf]):
        Y = X.copy()
        Y[3, :len(bad)] = bad
        for layout in (Y, np.asfortranarray(Y), Y[1:, :4]):
            assert not all_finite(layout)
    huge = np.full((3, 4), np.finfo(dtype).max, dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert all_finite(huge) and all_finite(-huge)
