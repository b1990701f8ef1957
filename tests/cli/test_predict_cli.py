"""`neuralab predict MODEL DATA.csv`: the same predictions as the model in Python, and clear
errors for rows the model cannot read."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import neuralab as nl
from neuralab.cli import main


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A CSV and the model `neuralab train` wrote for it."""
    folder = tmp_path_factory.mktemp("predict")
    rng = np.random.default_rng(0)
    n = 120
    frame = pd.DataFrame({"a": rng.normal(size=n).round(3), "color": rng.choice(["red", "blue"], n),
                          "b": rng.integers(0, 5, n)})
    frame["label"] = np.where(frame["a"] + (frame["color"] == "red") > 0.5, "yes", "no")
    csv = folder / "table.csv"
    frame.to_csv(csv, index=False)
    assert main(["train", "--dataset", str(csv), "--target", "label", "--epochs", "20",
                 "--hidden", "8", "--out", str(folder / "run"), "--quiet"]) == 0
    return csv, folder / "run" / "model.safetensors"


def test_the_written_predictions_equal_the_models_in_python(run, tmp_path, capsys):
    csv, model = run
    out = tmp_path / "preds.csv"
    assert main(["predict", str(model), str(csv), "--out", str(out), "--proba"]) == 0
    assert "wrote 120 predictions" in capsys.readouterr().out
    written = pd.read_csv(out)
    predictor = nl.load(model)
    assert list(written.columns) == ["label", "proba_no", "proba_yes"]
    np.testing.assert_array_equal(written["label"], predictor.predict(csv))
    np.testing.assert_allclose(written[["proba_no", "proba_yes"]], predictor.predict_proba(csv),
                               rtol=1e-12)


def test_without_out_the_predictions_are_printed(run, capsys):
    csv, model = run
    assert main(["predict", str(model), str(csv)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "label" and len(lines) == 121 and set(lines[1:]) <= {"yes", "no"}


def test_rows_in_another_order_without_the_target_work(run, tmp_path, capsys):
    csv, model = run
    new = tmp_path / "new.csv"
    pd.read_csv(csv)[["b", "color", "a"]].head(5).to_csv(new, index=False)
    assert main(["predict", str(model), str(new)]) == 0
    printed = capsys.readouterr().out.splitlines()[1:]
    assert printed == nl.load(model).predict(csv)[:5].tolist()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda f: f.drop(columns="color"), r"lacks the column\(s\) 'color'"),
        (lambda f: f.assign(color="green"), r"Column 'color' has the value\(s\) 'green'"),
        (lambda f: f.assign(a="high"), r"Column 'a' holds text"),
        (lambda f: f.assign(a=f["a"].where(f.index != 2)),
         r"Missing values in column\(s\) 'a' \(1 row\), the first at line 4 of new\.csv"),
    ],
)
def test_unreadable_rows_exit_2_with_a_message_naming_the_column(run, tmp_path, capsys, edit,
                                                                   message):
    csv, model = run
    new = tmp_path / "new.csv"
    edit(pd.read_csv(csv)).to_csv(new, index=False)
    assert main(["predict", str(model), str(new)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("neuralab predict: error:")
    assert re.search(message, err)


def test_a_semicolon_separated_file_is_named_as_such_by_predict_and_train(run, tmp_path,
                                                                           capsys):
    csv, model = run
    semi = tmp_path / "semi.csv"
    pd.read_csv(csv).to_csv(semi, sep=";", index=False)
    hint = "seems to separate its values with ';', not commas"
    assert main(["predict", str(model), str(semi)]) == 2
    assert hint in capsys.readouterr().err
    assert main(["train", "--dataset", str(semi), "--target", "label", "--quiet",
                 "--out", str(tmp_path / "run")]) == 2
    assert hint in capsys.readouterr().err


def test_a_latin1_file_is_told_how_to_predict_on_it_in_python(run, tmp_path, capsys):
    csv, model = run
    latin = tmp_path / "latin.csv"
    frame = pd.read_csv(csv)
    frame.assign(note="é").to_csv(latin, index=False, encoding="latin-1")
    assert main(["predict", str(model), str(latin)]) == 2
    err = capsys.readouterr().err
    assert "line 2" in err and "predictor.predict(pandas.read_csv(path, encoding='latin-1'))" in err
    np.testing.assert_array_equal(nl.load(model).predict(pd.read_csv(latin, encoding="latin-1")),
                                  nl.load(model).predict(csv))


def test_a_bare_network_file_says_what_predict_needs(run, tmp_path, capsys):
    csv, _ = run
    bare = nl.save(nl.nn.MLP([3, 2, 1], seed=0), tmp_path / "bare.safetensors")
    assert main(["predict", str(bare), str(csv)]) == 2
    assert "holds a bare network" in capsys.readouterr().err


def test_an_estimator_fitted_on_a_dataframe_predicts_by_column_name(tmp_path, capsys):
    frame = pd.DataFrame({"x1": np.linspace(-1, 1, 40), "x2": np.linspace(1, -1, 40) ** 2})
    y = (frame["x1"] > 0).map({True: "up", False: "down"})
    clf = nl.NeuralabClassifier(hidden_layer_sizes=(4,), max_iter=30, random_state=0)
    with pytest.warns(Warning):
        clf.fit(frame, y)
    model = nl.save(clf, tmp_path / "clf.safetensors")
    csv = tmp_path / "rows.csv"
    frame[["x2", "x1"]].assign(other=0).to_csv(csv, index=False)
    out = tmp_path / "p.csv"
    assert main(["predict", str(model), str(csv), "--out", str(out), "--proba"]) == 0
    written = pd.read_csv(out)
    np.testing.assert_array_equal(written["prediction"], clf.predict(frame))
    np.testing.assert_allclose(written[["proba_down", "proba_up"]], clf.predict_proba(frame))
    with pytest.warns(Warning):
        clf.fit(frame.to_numpy(), y)
    nl.save(clf, model)
    assert main(["predict", str(model), str(csv)]) == 2
    assert "without column names" in capsys.readouterr().err


def test_proba_of_a_regression_model_is_refused(tmp_path, capsys):
    csv = tmp_path / "t.csv"
    pd.DataFrame({"x": np.arange(60) / 10, "y": np.arange(60) * 3.5}).to_csv(csv, index=False)
    assert main(["train", "--dataset", str(csv), "--target", "y", "--epochs", "2", "--quiet",
                 "--out", str(tmp_path / "run")]) == 0
    model = tmp_path / "run" / "model.safetensors"
    assert main(["predict", str(model), str(csv), "--proba"]) == 2
    assert "--proba is for classification models" in capsys.readouterr().err
    assert main(["predict", str(model), str(csv)]) == 0
