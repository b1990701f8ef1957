"""nl.fit: the three gradient-descent variants, learning, checks before training, divergence
guard, callbacks, Ctrl-C and exact resumption from a checkpoint."""

from __future__ import annotations

import math

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn, optim
from neuralab.train import Callback


class CountUpdates(Callback):
    def __init__(self):
        self.updates = 0

    def on_batch_end(self, batch, logs=None):
        self.updates += 1


def blobs(n=60, seed=0):
    rng = np.random.default_rng(seed)
    X = np.concatenate([rng.normal(-1, 0.5, (n // 2, 2)), rng.normal(1, 0.5, (n // 2, 2))])
    y = np.repeat([0, 1], n // 2)
    return X.astype(np.float32), y


@pytest.mark.parametrize(("batch_size", "updates"), [("full", 1), (1, 50), (8, 7), (50, 1),
                                                     (64, 1)])
def test_gradient_descent_variants_make_the_course_number_of_updates(batch_size, updates):
    X, y = blobs(50)
    model = nn.MLP([2, 3, 2], seed=0)
    counter = CountUpdates()
    nl.fit(model, X, y, loss="cross_entropy", optimizer=optim.SGD(model.parameters(), lr=0.1),
           epochs=2, batch_size=batch_size, callbacks=[counter], verbose=0, seed=0)
    assert counter.updates == 2 * updates


def test_a_221_sigmoid_network_learns_xor():
    X, y = nl.data.gates("xor")
    model = nn.MLP([2, 2, 1], activation="sigmoid", seed=3)
    history = nl.fit(model, X, y, loss="bce_with_logits",
                     optimizer=optim.SGD(model.parameters(), lr=2.0, momentum=0.9),
                     epochs=400, batch_size="full", verbose=0)
    assert history.history["loss"][-1] < 0.05
    assert history.history["accuracy"][-1] == 1.0
    with nl.no_grad():
        predictions = (model(X).data[:, 0] > 0).astype(int)
    np.testing.assert_array_equal(predictions, [0, 1, 1, 0])


def test_history_records_every_quantity():
    X, y = blobs()
    model = nn.MLP([2, 4, 2], seed=0)
    history = nl.fit(model, X, y, loss="cross_entropy", optimizer="adam", epochs=3,
                     validation_split=0.25, metrics=("accuracy",), verbose=0, seed=1)
    for key in ("loss", "accuracy", "val_loss", "val_accuracy", "grad_norm", "lr",
                "epoch_seconds"):
        assert len(history.history[key]) == 3, key
    assert history.epoch == [0, 1, 2]
    assert history.history["lr"][0] == pytest.approx(optim.build_optimizer(
        "adam", nn.Linear(1, 1).parameters()).lr)


def test_clipping_bounds_the_update_and_logs_the_unclipped_norm():
    X, y = blobs()
    model = nn.MLP([2, 4, 2], seed=0)
    history = nl.fit(model, X, y, loss="cross_entropy", optimizer=optim.SGD(
        model.parameters(), lr=0.1), epochs=1, batch_size="full", clip_grad_norm=1e-3,
        verbose=0)
    assert history.history["grad_norm"][0] > 1e-3


def test_divergence_restores_finite_weights_and_explains():
    X, y = blobs()
    model = nn.MLP([2, 16, 1], activation="relu", seed=0)
    with pytest.raises(nl.TrainingDivergedError,
                       match=r"diverged at epoch \d+, batch \d+.*lower learning rate.*1e\+30.*"
                             r"clip_grad_norm") as info:
        nl.fit(model, X * 1e3, y, loss="mse", optimizer=optim.SGD(model.parameters(), lr=1e30),
               epochs=20, batch_size=4, verbose=0, seed=0)
    assert all(np.all(np.isfinite(p.data)) for p in model.parameters())
    assert isinstance(info.value.history, nl.History)


@pytest.mark.parametrize(("batch_norm", "batch_size"), [(False, "full"), (True, "full"),
                                                       (False, 8)])
def test_divergence_restores_exactly_the_end_of_the_last_good_epoch(batch_norm, batch_size):
    """One-batch epochs of a model without buffers keep no copy (the live weights and optimizer
    state are the last good ones when the next batch is checked); the other runs restore a
    copy. All must end at the weights (and running statistics) and the momentum the last good
    epoch ended with."""
    X, y = blobs()
    model = nn.MLP([2, 16, 1], activation="relu", batch_norm=batch_norm, seed=0)
    opt = optim.SGD(model.parameters(), lr=1e-2, momentum=0.5)
    growing = optim.ExponentialLR(opt, gamma=10.0)  # good epochs first, then divergence
    ends = [(model.state_dict(), opt.state_dict())]

    class Record(nl.train.Callback):
        def on_epoch_end(self, epoch, logs=None):
            ends.append((self.run.model.state_dict(), self.run.optimizer.state_dict()))

    with pytest.raises(nl.TrainingDivergedError, match="restored"):
        nl.fit(model, X, y, loss="mse", optimizer=opt, epochs=50, batch_size=batch_size,
               verbose=0, seed=0, callbacks=[Record()], scheduler=growing)
    state = model.state_dict()
    weights, optimizer_state = ends[-1]
    assert len(ends) > 2  # diverged after good epochs, with momentum built up
    assert all(np.array_equal(state[name], weights[name]) for name in state)
    assert all(np.all(np.isfinite(value)) for value in state.values())
    assert opt.step_count == optimizer_state["step_count"]
    for index, buffers in optimizer_state["state"].items():
        np.testing.assert_array_equal(opt.state["momentum_buffer"][int(index)],
                                      buffers["momentum_buffer"])


@pytest.mark.parametrize(
    ("X", "y", "loss", "message"),
    [
        (np.array([[0.0, np.nan], [1.0, 1.0]]), [0, 1], "cross_entropy",
         r"NaN or infinite value\(s\).*row 0, column 1"),
        (np.zeros((0, 2)), [], "cross_entropy", "X is empty"),
        (np.zeros((3, 2)), [0, 1], "cross_entropy", "3 samples but y has 2"),
        (np.zeros((2, 2)), [0, 5], "cross_entropy", r"labels from 0 to 5.*2 outputs"),
        (np.zeros((2, 2)), [0.0, 2.0], "bce_with_logits", r"values from 0 to 2.*0/1"),
        (np.zeros(4), [0, 1, 0, 1], "cross_entropy", r"1-D.*reshape\(-1, 1\)"),
        (np.zeros((2, 2)), ["a", "b"], "cross_entropy", "encode_labels"),
    ],
    ids=["nan", "empty", "length", "ce-labels", "bce-labels", "1d", "strings"],
)
def test_bad_input_fails_before_training_and_leaves_the_model_unchanged(X, y, loss, message):
    out = 1 if loss == "bce_with_logits" else 2
    model = nn.MLP([2, 3, out], seed=0)
    before = model.state_dict()
    with pytest.raises(ValueError, match=message):
        nl.fit(model, X, y, loss=loss, optimizer="sgd", epochs=1, verbose=0)
    after = model.state_dict()
    assert all(np.array_equal(before[k], after[k]) for k in before)


def test_early_stopping_stops_and_restores_the_best_weights():
    X, y = blobs(80)
    model = nn.MLP([2, 8, 2], seed=0)
    stopper = nl.EarlyStopping(monitor="val_loss", patience=2)
    snapshots = []

    class Snapshot(Callback):
        def on_epoch_end(self, epoch, logs=None):
            snapshots.append(self.run.model.state_dict())

    nl.fit(model, X, y, loss="cross_entropy", optimizer=optim.SGD(model.parameters(), lr=5.0),
           epochs=60, validation_split=0.3, callbacks=[Snapshot(), stopper], verbose=0, seed=0)
    assert stopper.stopped_epoch is not None and stopper.stopped_epoch < 59
    best = snapshots[stopper.best_epoch]
    assert all(np.array_equal(best[k], v) for k, v in model.state_dict().items())


def test_missing_monitored_value_warns_with_the_available_names():
    X, y = blobs()
    model = nn.MLP([2, 3, 2], seed=0)
    with pytest.warns(UserWarning, match=r"'val_loss', which is not in the logs.*accuracy, "
                                         r"epoch_seconds, grad_norm, loss, lr"):
        nl.fit(model, X, y, loss="cross_entropy", optimizer="sgd", epochs=2, verbose=0,
               callbacks=[nl.EarlyStopping(patience=1)])


def test_csv_logger_and_checkpoint_write_files(tmp_path):
    X, y = blobs()
    model = nn.MLP([2, 3, 2], seed=0)
    nl.fit(model, X, y, loss="cross_entropy", optimizer="adam", epochs=3, verbose=0,
           callbacks=[nl.CSVLogger(tmp_path / "log.csv"),
                      nl.ModelCheckpoint(tmp_path / "ckpt.safetensors")])
    lines = (tmp_path / "log.csv").read_text().splitlines()
    assert lines[0].startswith("epoch,loss,accuracy") and len(lines) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt.safetensors", "log.csv"]
    restored = nl.load(tmp_path / "ckpt.safetensors")
    with nl.no_grad():
        np.testing.assert_array_equal(restored(X).data, model.eval()(X).data)


def test_ctrl_c_stops_cleanly_and_keeps_the_weights():
    X, y = blobs()
    model = nn.MLP([2, 3, 2], seed=0)

    class Interrupt(Callback):
        def on_batch_end(self, batch, logs=None):
            if batch == 3:
                raise KeyboardInterrupt

    with pytest.warns(UserWarning, match=r"interrupted \(Ctrl-C\) after 0 complete"):
        history = nl.fit(model, X, y, loss="cross_entropy", optimizer="sgd", epochs=5,
                         batch_size=4, callbacks=[Interrupt()], verbose=0)
    assert history.interrupted
    assert all(np.all(np.isfinite(p.data)) for p in model.parameters())


def _resumable_run(tmp_path, epochs, resume_from=None):
    with nl.config(dtype="float64"):
        X, y = blobs(40)
        model = nn.MLP([2, 6, 6, 2], dropout=0.2, batch_norm=True, seed=0)
        opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        schedule = optim.StepLR(opt, step_size=2, gamma=0.5)
        history = nl.fit(model, X, y, loss="cross_entropy", optimizer=opt, epochs=epochs,
                         batch_size=8, seed=0, scheduler=schedule, verbose=0,
                         callbacks=[nl.ModelCheckpoint(tmp_path / "run.safetensors")],
                         resume_from=resume_from)
    return model, history


def test_resuming_from_a_checkpoint_ends_bit_for_bit_like_an_uninterrupted_run(tmp_path):
    straight, straight_history = _resumable_run(tmp_path / "a", epochs=6)
    _resumable_run(tmp_path / "b", epochs=3)
    resumed, resumed_history = _resumable_run(tmp_path / "b", epochs=6,
                                              resume_from=tmp_path / "b" / "run.safetensors")
    for key, value in straight.state_dict().items():
        assert value.dtype == np.float64
        np.testing.assert_array_equal(resumed.state_dict()[key], value, err_msg=key)
    assert resumed_history.history["loss"] == straight_history.history["loss"]
    assert resumed_history.epoch == list(range(6))


def test_resume_refuses_a_finished_checkpoint(tmp_path):
    _resumable_run(tmp_path, epochs=2)
    with pytest.raises(ValueError, match="completed 2 epochs already"):
        _resumable_run(tmp_path, epochs=2, resume_from=tmp_path / "run.safetensors")


def test_evaluate_and_progress_lines(capsys):
    X, y = blobs()
    model = nn.MLP([2, 4, 2], seed=0)
    nl.fit(model, X, y, loss="cross_entropy", optimizer="adam", epochs=3, verbose=2)
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 3 and printed[0].startswith("epoch 1/3  loss ")
    scores = nl.evaluate(model, X, y, loss="cross_entropy")
    assert set(scores) == {"loss", "accuracy"} and 0 <= scores["accuracy"] <= 1
    assert math.isfinite(scores["loss"])


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"epochs": 0}, ValueError, r"'epochs' parameter of fit must be an int >= 1\. Got 0"),
        ({"epochs": 2.5}, TypeError, r"'epochs' parameter of fit must be an int"),
        ({"validation_split": 1.0}, ValueError, r"'validation_split'.*in \[0, 1\)"),
        ({"clip_grad_norm": 0}, ValueError, r"'clip_grad_norm'.*> 0"),
        ({"verbose": 3}, ValueError, r"'verbose' parameter of fit must be one of 0, 1, 2"),
        ({"seed": -1}, ValueError, r"'seed' parameter of fit must be an int >= 0\. Got -1"),
        ({"seed": 0.5}, TypeError, r"'seed' parameter of fit must be an int >= 0"),
    ],
)
def test_fit_arguments_are_checked_in_the_house_format(options, error, message):
    X, y = blobs()
    model = nn.MLP([2, 3, 2], seed=0)
    settings = {"epochs": 1, "verbose": 0, **options}
    with pytest.raises(error, match=message):
        nl.fit(model, X, y, loss="cross_entropy", optimizer="sgd", **settings)


def test_fit_takes_a_sparse_X_and_trains_as_on_the_dense_one():
    import scipy.sparse as sp

    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 8)) * (rng.random((120, 8)) < 0.3)
    y = (X.sum(axis=1) > 0).astype(int)
    runs = []
    for features in (X, sp.csr_matrix(X), sp.csc_array(X)):
        model = nn.MLP([8, 6, 2], seed=0)
        history = nl.fit(model, features, y, loss="cross_entropy", optimizer=optim.Adam(
            model.parameters(), lr=0.02), epochs=4, batch_size=32, seed=0, verbose=0,
            validation_data=(features, y))
        runs.append((history.history["loss"], model[0].weight.data.copy()))
    for losses, weights in runs[1:]:
        np.testing.assert_allclose(losses, runs[0][0], rtol=1e-5)
        np.testing.assert_allclose(weights, runs[0][1], rtol=1e-4, atol=1e-6)


def test_fit_trains_counts_with_the_poisson_loss():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(400, 1))
    counts = rng.poisson(np.exp(0.5 + X[:, 0]))
    model = nn.Linear(1, 1, init="zeros")
    history = nl.fit(model, X, counts, loss="poisson_nll", optimizer=optim.Adam(
        model.parameters(), lr=0.05), epochs=60, batch_size=50, seed=0, verbose=0)
    assert "accuracy" not in history.history  # log-rates have no class decisions
    assert model.weight.data[0, 0] == pytest.approx(1.0, abs=0.15)
    assert model.bias.data[0] == pytest.approx(0.5, abs=0.15)


def test_drop_last_lets_batch_norm_train_when_one_sample_is_left_over():
    X, y = nl.data.moons(33, seed=0)  # batches of 8: four full ones, then one sample
    with pytest.raises(ValueError, match="at least 2 samples per batch"):
        nl.fit(nn.MLP([2, 4, 1], batch_norm=True, seed=0), X, y, loss="bce_with_logits",
               optimizer="sgd", epochs=1, batch_size=8, verbose=0, seed=0)
    sizes = []

    class BatchSizes(Callback):
        def on_batch_end(self, batch, logs=None):
            sizes.append(logs["size"])

    nl.fit(nn.MLP([2, 4, 1], batch_norm=True, seed=0), X, y, loss="bce_with_logits",
           optimizer="sgd", epochs=2, batch_size=8, verbose=0, seed=0, drop_last=True,
           callbacks=[BatchSizes()])
    assert sizes == [8] * 8
