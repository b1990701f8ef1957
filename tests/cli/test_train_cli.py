"""`neuralab train`, run in-process through main(argv)."""

from __future__ import annotations

import json

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
        (["--activation", "swish"], "Unknown activation 'swish'"),
        (["--dataset", "data.csv"], "--target"),
    ],
)
def test_bad_options_give_a_clear_error(tmp_path, capsys, argv, message):
    assert main(["train", "--out", str(tmp_path), *argv]) == 2
    assert message in capsys.readouterr().err


def test_argument_errors_exit_with_usage(capsys):
    with pytest.raises(SystemExit) as info:
        main(["train", "--batch-size", "0"])
    assert info.value.code == 2
    assert "batch GD" in capsys.readouterr().err
