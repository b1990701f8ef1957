"""`neuralab train --task`: how a CSV target is taken is decided sensibly, announced, and can be
chosen; the model file it writes carries the preprocessing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import neuralab as nl
from neuralab.cli import main
from neuralab.experiment import MAX_WHOLE_CLASSES, resolve_task


@pytest.fixture
def prices(tmp_path):
    rng = np.random.default_rng(0)
    size = rng.uniform(1, 10, 150)
    frame = pd.DataFrame({"size": size.round(2), "price": (size * 5).round().astype(int)})
    path = tmp_path / "prices.csv"
    frame.to_csv(path, index=False)
    return path


def test_a_price_column_of_whole_numbers_is_regression_and_says_so(prices, tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["train", "--dataset", str(prices), "--target", "price", "--epochs", "30",
                 "--hidden", "16", "--lr", "0.01", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "neuralab train: task: regression of 'price'" in printed
    assert "--task classification predicts them as classes" in printed
    assert "test mae" in printed
    predictor = nl.load(out / "model.safetensors")
    assert predictor.task == "regression" and predictor.target == "price"
    frame = pd.read_csv(prices)
    error = np.abs(predictor.predict(prices) - frame["price"]).mean()
    assert error < 0.2 * frame["price"].mean()


def test_task_classification_takes_the_values_as_classes(prices, tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["train", "--dataset", str(prices), "--target", "price", "--epochs", "1",
                 "--hidden", "4", "--task", "classification", "--out", str(out)]) == 0
    assert "task: classification of 'price' (as asked)" in capsys.readouterr().out
    predictor = nl.load(out / "model.safetensors")
    assert predictor.task == "classification" and len(predictor.classes) > MAX_WHOLE_CLASSES


@pytest.mark.parametrize(
    ("y", "requested", "kind", "why"),
    [
        (np.array([0, 1, 1, 0]), "auto", "classification", "2 distinct whole numbers"),
        (np.arange(40), "auto", "regression", "40 distinct whole numbers"),
        (np.array([0.5, 1.5, 2.0]), "auto", "regression", "not whole"),
        (np.array([1.0, 2.0, 1.0]), "auto", "classification", "2 distinct whole numbers"),
        (np.array(["a", "b"]), "auto", "classification", "labels"),
        (np.array([True, False]), "auto", "classification", "labels"),
        (np.arange(40), "classification", "classification", "as asked"),
        (np.array([0, 1]), "regression", "regression", "as asked"),
    ],
)
def test_resolve_task_rules(y, requested, kind, why):
    decided, sentence = resolve_task(y, requested, "y")
    assert decided == kind and why in sentence


@pytest.mark.parametrize(
    ("y", "requested", "message"),
    [
        (np.array([3, 3, 3]), "auto", r"has the same value \(3\) in all 3 rows"),
        (np.array(["a", "b"]), "regression", "cannot be predicted by regression"),
        (np.array([1, 2]), "magic", "task must be one of auto, classification, regression"),
    ],
)
def test_resolve_task_errors(y, requested, message):
    with pytest.raises(ValueError, match=message):
        resolve_task(y, requested, "y")


def test_a_one_class_target_exits_with_a_clear_error(tmp_path, capsys):
    path = tmp_path / "one.csv"
    path.write_text("x,y\n1,a\n2,a\n3,a\n")
    assert main(["train", "--dataset", str(path), "--target", "y", "--out", str(tmp_path)]) == 2
    assert "has the same value ('a') in all 3 rows" in capsys.readouterr().err


def test_a_builtin_dataset_writes_a_predictor_with_numbered_columns(tmp_path):
    assert main(["train", "--dataset", "xor", "--epochs", "1", "--hidden", "4", "--quiet",
                 "--out", str(tmp_path)]) == 0
    predictor = nl.load(tmp_path / "model.safetensors")
    assert predictor.input_columns == ["x1", "x2"] and predictor.classes.tolist() == [0, 1]
    assert predictor.predict(np.array([[0.0, 0.0], [1.0, 0.0]])).dtype == np.int64
