"""`neuralab train`, run in-process through main(argv)."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from neuralab.cli import main


def test_default_run_writes_every_file_and_reaches_97_percent(tmp_path):
    out = tmp_path / "run"
    assert main(["train", "--out", str(out), "--quiet"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "confusion.png", "history.csv", "loss.png", "metrics.json", "model.safetensors"]
    metrics = json.loads((out / "metrics.json").read_text())
    for key in ("test_accuracy", "train_accuracy", "epochs", "seconds"):
        assert key in metrics
    assert metrics["epochs"] == 40 and metrics["test_accuracy"] >= 0.97
    assert len((out / "history.csv").read_text().splitlines()) == 41
    assert (out / "loss.png").stat().st_size > 1000


def test_summary_table_is_printed(tmp_path, capsys):
    assert main(["train", "--dataset", "xor", "--hidden", "8,8", "--batch-size", "full",
                 "--optimizer", "momentum", "--epochs", "2", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "test accuracy" in printed and "batch GD" in printed and "2 -> 8 -> 8 -> 1" in printed
    assert (tmp_path / "boundary.png").stat().st_size > 1000


def test_csv_dataset_with_target(tmp_path, monkeypatch):
    import neuralab.viz

    shown = {}
    original = neuralab.viz.confusion_matrix
    monkeypatch.setattr(neuralab.viz, "confusion_matrix",
                        lambda *a, **kw: shown.update(kw) or original(*a, **kw))
    csv = tmp_path / "table.csv"
    rows = ["a,b,color,label"] + [
        f"{i % 7},{(i * 3) % 5},{'red' if i % 2 else 'blue'},{'yes' if i % 2 else 'no'}"
        for i in range(60)
    ]
    csv.write_text("\n".join(rows) + "\n")
    out = tmp_path / "run"
    assert main(["train", "--dataset", str(csv), "--target", "label", "--epochs", "30",
                 "--out", str(out), "--quiet"]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["classes"] == ["no", "yes"] and metrics["test_accuracy"] == 1.0
    assert shown["class_names"] == ["no", "yes"]  # confusion.png names the classes


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--dataset", "data.csv"], "--target"),
        (["--dataset", "moons", "--target", "label"], "Leave out --target"),
        (["--dataset", "digits", "--n-samples", "500"], "'digits' is fixed"),
        (["--batch-norm", "--batch-size", "1"], "cannot be combined with batch_size 1"),
        (["--dataset", "moons", "--optimizer", "sgd", "--lr", "1e6", "--epochs", "3"],
         "--clip 1.0"),
    ],
)
def test_errors_are_one_line_and_leave_no_run_folder(tmp_path, capsys, argv, message):
    out = tmp_path / "run"
    assert main(["train", "--out", str(out), "--quiet", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()


def test_out_naming_a_file_is_refused(tmp_path, capsys):
    taken = tmp_path / "notes.txt"
    taken.write_text("keep me")
    assert main(["train", "--out", str(taken), "--quiet"]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert taken.read_text() == "keep me"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--batch-size", "0"], "batch GD"),
        (["--activation", "swish"], "Unknown activation 'swish'. Choose one of: identity, "),
        (["--activation", "tahn"], "Did you mean 'tanh'?"),
        (["--dataset", "mons"], "Unknown dataset 'mons'. Choose one of: circles, digits"),
        (["--activation", "step"], "'step' has no gradient"),
        (["--epochs", "0"], "an integer >= 1"),
        (["--validation-split", "1"], "a fraction in [0, 1)"),
    ],
)
def test_argument_errors_are_one_line_with_exit_status_2(tmp_path, capsys, argv, message):
    with pytest.raises(SystemExit) as info:
        main(["train", "--out", str(tmp_path / "run"), *argv])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "usage:" not in err
    assert not (tmp_path / "run").exists()


def test_help_lists_exactly_the_activations_that_train(capsys):
    from neuralab.cli import build_parser
    from neuralab.nn.activation import ACTIVATION_MODULES

    with pytest.raises(SystemExit):
        main(["train", "--help"])
    listed = capsys.readouterr().out.split("  --activation ACTIVATION\n")[1].split("(default")[0]
    listed = set(listed.replace("(or", "|").replace(")", "").replace("|", " ").split())
    trainable = {name for name, module in ACTIVATION_MODULES.items() if module.trainable}
    assert listed == trainable and "step" in ACTIVATION_MODULES
    parser = build_parser()
    for name in sorted(trainable):
        assert parser.parse_args(["train", "--activation", name.upper()]).activation == name


def test_quiet_still_says_where_the_results_went(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["train", "--dataset", "xor", "--epochs", "2", "--out", str(out),
                 "--quiet"]) == 0
    assert capsys.readouterr().out == f"neuralab train: results in {out}\n"


def test_synthetic_sets_have_defaults_that_learn_them(tmp_path):
    out = tmp_path / "run"
    assert main(["train", "--dataset", "spiral", "--out", str(out), "--quiet"]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    config = metrics["config"]
    assert (config["n_samples"], config["hidden"], config["epochs"]) == (1000, [64, 64], 100)
    assert metrics["test_accuracy"] >= 0.9  # the general defaults reached 0.575


def test_data_options_and_validation_curve(tmp_path, monkeypatch):
    import neuralab.viz

    drawn = {}
    original = neuralab.viz.loss_curves
    monkeypatch.setattr(neuralab.viz, "loss_curves",
                        lambda history, **kw: drawn.update(history.history) or original(
                            history, **kw))
    out = tmp_path / "run"
    assert main(["train", "--dataset", "moons", "--n-samples", "300", "--noise", "0.3",
                 "--validation-split", "0.25", "--epochs", "3", "--out", str(out),
                 "--quiet"]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert (metrics["config"]["n_samples"], metrics["config"]["noise"]) == (300, 0.3)
    assert len(drawn["val_loss"]) == 3 and len(drawn["val_accuracy"]) == 3


def _csv(path, rows: int, columns=("width", "height")):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(rows, len(columns)))
    lines = [",".join([*columns, "kind"])] + [
        ",".join(f"{v:.4f}" for v in row) + f",{'dog' if row[0] * row[1] > 0 else 'cat'}"
        for row in X
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_batch_norm_skips_a_last_batch_of_one_and_says_so(tmp_path, capsys):
    csv = _csv(tmp_path / "table.csv", 202)  # 161 training rows: 5 batches of 32, then 1
    assert main(["train", "--dataset", str(csv), "--target", "kind", "--batch-norm",
                 "--epochs", "2", "--out", str(tmp_path / "run")]) == 0
    assert "leave a last batch of 1 sample" in capsys.readouterr().out
    history = (tmp_path / "run" / "history.csv").read_text().splitlines()
    assert len(history) == 3


def test_csv_boundary_plot_keeps_column_and_class_names(tmp_path, monkeypatch):
    import neuralab.viz

    shown = {}
    original = neuralab.viz.decision_boundary
    monkeypatch.setattr(neuralab.viz, "decision_boundary",
                        lambda *a, **kw: shown.update(kw) or original(*a, **kw))
    csv = _csv(tmp_path / "table.csv", 80)
    assert main(["train", "--dataset", str(csv), "--target", "kind", "--epochs", "2",
                 "--out", str(tmp_path / "run"), "--quiet"]) == 0
    assert shown["feature_names"] == ["width", "height"]
    assert shown["class_names"] == ["cat", "dog"]


def test_ctrl_c_keeps_the_model_and_says_so_in_one_line(tmp_path, monkeypatch, capsys):
    import neuralab.train

    class InterruptAtEpoch2(neuralab.train.CSVLogger):
        def on_epoch_end(self, epoch, logs):
            super().on_epoch_end(epoch, logs)
            if epoch == 1:
                raise KeyboardInterrupt

    monkeypatch.setattr(neuralab.train, "CSVLogger", InterruptAtEpoch2)
    out = tmp_path / "run"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the interruption is no Python warning
        assert main(["train", "--dataset", "xor", "--out", str(out), "--quiet"]) == 130
    err = capsys.readouterr().err
    assert err == (f"neuralab train: interrupted (Ctrl-C) after 2 of 100 epochs; the model as "
                   f"trained so far is in {out}.\n")
    assert json.loads((out / "metrics.json").read_text())["interrupted"] is True
    assert (out / "model.safetensors").exists()
