"""Predictor: a trained network with its preprocessing, saved in the model file; predict takes
raw rows and gives what the network and the training's preprocessing give."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import neuralab as nl
from neuralab.experiment import ExperimentConfig, run_experiment


def houses(n=200, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    size = rng.uniform(20, 200, n)
    color = rng.choice(["red", "blue", "green"], n)
    price = (size * 1000 + np.where(color == "red", 30_000, 0)
             + rng.normal(0, 2000, n)).round().astype(int)
    return pd.DataFrame({"id": [f"h{i}" for i in range(n)], "size": size.round(2),
                         "color": color, "price": price,
                         "kind": np.where(size > 110, "big", "small")})


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "houses.csv"
    houses().to_csv(path, index=False)
    return path


def trained(table, target, **options):
    config = ExperimentConfig(dataset=str(table), target=target, hidden=(16,), epochs=25,
                              lr=0.01, **options)
    return run_experiment(config, verbose=0)


def by_hand(result, frame) -> np.ndarray:
    """The network's raw outputs for ``frame``, from the task's own pieces."""
    task = result.task
    X = (task.encoder.transform(frame) - task.mean) / task.scale
    with nl.no_grad():
        return result.model.eval()(X.astype(np.float32)).data.astype(np.float64)


def test_classification_predicts_labels_and_probabilities_from_raw_rows(table, tmp_path):
    result = trained(table, "kind")
    predictor = nl.load(nl.save(result.predictor(), tmp_path / "m.safetensors"))
    frame = pd.read_csv(table)
    z = by_hand(result, frame)[:, 0]
    np.testing.assert_array_equal(predictor.predict(table), np.where(z > 0, "small", "big"))
    probabilities = predictor.predict_proba(frame)
    np.testing.assert_allclose(probabilities[:, 1], 1 / (1 + np.exp(-z)), rtol=1e-6)
    assert predictor.classes.tolist() == ["big", "small"] and predictor.target == "kind"
    assert predictor.input_columns == ["size", "color", "price"]  # the id column was dropped
    assert (predictor.predict(table) == frame["kind"]).mean() > 0.9
    assert repr(predictor) == ("Predictor(classification: 3 columns -> 5 features -> 2 classes "
                               "'kind')")


def test_regression_predicts_in_the_targets_units(table, tmp_path):
    result = trained(table, "price", task="regression")
    predictor = nl.load(nl.save(result.predictor(), tmp_path / "m.safetensors"))
    frame = pd.read_csv(table)
    expected = by_hand(result, frame)[:, 0] * result.task.target_scale + result.task.target_mean
    np.testing.assert_allclose(predictor.predict(frame), expected, rtol=1e-6)
    relative_error = np.abs(predictor.predict(frame) - frame["price"]) / frame["price"]
    assert np.median(relative_error) < 0.2  # standardising the target made it learnable
    assert result.scores["test_mae"] > 100  # reported in the price's units
    with pytest.raises(ValueError, match="Probabilities are for classification models"):
        predictor.predict_proba(frame)


def test_every_kind_of_input_gives_the_same_predictions(table, tmp_path):
    predictor = trained(table, "kind").predictor()
    frame = pd.read_csv(table)
    rows = frame[predictor.input_columns]
    expected = predictor.predict(table)
    np.testing.assert_array_equal(predictor.predict(frame), expected)
    np.testing.assert_array_equal(predictor.predict(rows.to_dict("list")), expected)
    np.testing.assert_array_equal(predictor.predict(rows.to_numpy()), expected)
    with pytest.raises(ValueError, match=r"must have shape \(n, 3\): one value per column size, "
                                         r"color, price"):
        predictor.predict(np.zeros((2, 5)))
    table_frame = predictor.predict_frame(table, proba=True)
    assert list(table_frame.columns) == ["kind", "proba_big", "proba_small"]


def test_new_rows_with_a_missing_column_or_an_unseen_category_are_refused(table, tmp_path):
    predictor = trained(table, "kind").predictor()
    new = tmp_path / "new.csv"
    pd.read_csv(table).drop(columns="color").to_csv(new, index=False)
    with pytest.raises(ValueError, match=r"lacks the column\(s\) 'color'"):
        predictor.predict(new)
    pd.read_csv(table).assign(color="purple").to_csv(new, index=False)
    with pytest.raises(ValueError, match=r"Column 'color' has the value\(s\) 'purple' \(first "
                                         r"at line 2 of new.csv\)"):
        predictor.predict(new)


def _edit_preprocessing(path, change, out):
    from safetensors.numpy import save_file

    arrays, metadata = nl.io.read_safetensors(path)
    spec = json.loads(metadata["preprocessing"])
    change(spec)
    save_file(arrays, str(out), metadata={**metadata, "preprocessing": json.dumps(spec)})
    return out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.update(mean=[0.0]), r"mean has shape \(1,\), expected \(5,\)"),
        (lambda s: s.update(scale=[0.0] * 5), "scale holds values that are not finite and "
                                              "positive"),
        (lambda s: s.update(task="astrology"), "task must be one of"),
        (lambda s: s.update(classes=["a", "b", "c"]), "one per output of the network"),
        (lambda s: s.update(classes=[{"x": 1}, "b"]), "classes is not a list of labels"),
        (lambda s: s.update(encoder={"columns": s["encoder"]["columns"][:-1]}, mean=s["mean"][:4],
                            scale=s["scale"][:4]),
         "the network takes 5 inputs but the encoder makes 4 features"),
        (lambda s: s.update(encoder=None), "not an object with a list of 'columns'"),
        (lambda s: s.update(target_scale=-1), "target_scale must be positive"),
    ],
)
def test_preprocessing_from_a_file_is_checked(table, tmp_path, change, message):
    path = nl.save(trained(table, "kind").predictor(), tmp_path / "m.safetensors")
    bad = _edit_preprocessing(path, change, tmp_path / "bad.safetensors")
    with pytest.raises(nl.ModelFileError, match=message):
        nl.load(bad)
