"""An estimator's settings read from a file are validated: unknown classes, parameters and
attributes, wrong types and sizes that do not fit the network get a ModelFileError."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

import neuralab as nl
from neuralab import NeuralabClassifier, NeuralabRegressor


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    X = np.random.default_rng(0).normal(size=(40, 3))
    clf = NeuralabClassifier(hidden_layer_sizes=(4,), max_iter=3, random_state=0)
    with pytest.warns(Warning):
        clf.fit(X, np.where(X[:, 0] > 0, "yes", "no"))
    path = nl.save(clf, tmp_path_factory.mktemp("est") / "clf.safetensors")
    arrays, metadata = nl.io.read_safetensors(path)
    return arrays, metadata, json.loads(metadata["estimator"])


def rewritten(tmp_path, saved, change):
    """The saved file with its estimator state changed by ``change(state)``."""
    from safetensors.numpy import save_file

    arrays, metadata, state = saved
    state = json.loads(json.dumps(state))
    change(state)
    path = tmp_path / "edited.safetensors"
    save_file(arrays, str(path), metadata={**metadata, "estimator": json.dumps(state)})
    return path


def test_the_saved_estimator_loads_back(tmp_path, saved):
    loaded = nl.load(rewritten(tmp_path, saved, lambda state: None))
    assert isinstance(loaded, NeuralabClassifier) and loaded.classes_.tolist() == ["no", "yes"]


def test_a_fresh_interpreter_loads_the_estimator_through_the_entry_point(tmp_path, saved):
    """nl.load finds the estimators' loader without anything importing them first."""
    path = rewritten(tmp_path, saved, lambda state: None)
    code = ("import sys, neuralab as nl; assert 'neuralab.estimators' not in sys.modules; "
            "print(type(nl.load(sys.argv[1])).__name__, 'neuralab.io' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                            text=True, check=True, timeout=120)
    assert result.stdout.split() == ["NeuralabClassifier", "True"]


def test_a_payload_without_a_loader_is_named(tmp_path, saved, monkeypatch):
    """A file whose estimator entry no installed package loads says how to fix that."""
    from neuralab.io import payloads

    monkeypatch.setattr(payloads, "_declared", dict)
    with pytest.raises(nl.ModelFileError, match=r"saved 'estimator'.*entry point.*pip install"):
        nl.load(rewritten(tmp_path, saved, lambda state: None))


def _set(path, value):
    def change(state):
        node = state
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return change


def _delete(path):
    def change(state):
        node = state
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_set(["class"], "os.system"), "the class 'os.system' is not one of NeuralabClassifier"),
        (_set(["params", "__class__"], 1), r"has no parameter\(s\) \['__class__'\]"),
        (_set(["params", "alpha"], -1), "The 'alpha' parameter of NeuralabClassifier must be"),
        (_set(["params", "hidden_layer_sizes"], "big"), "hidden_layer_sizes"),
        (_set(["params", "hidden_layer_sizes"], [5, 5]),
         r"hidden layers \[5, 5\], relu.*do not describe the stored network \(\[4\], relu"),
        (_set(["params", "activation"], "tanh"), "do not describe the stored network"),
        (_set(["params"], [1, 2]), "'params' is list, expected a dict"),
        (_set(["values", "__dict__"], {}), "'__dict__' is not a fitted attribute"),
        (_set(["values", "n_iter_"], "many"), "'n_iter_' has the value 'many'"),
        (_set(["values", "loss_curve_"], [1, "x"]), "'loss_curve_' has the value"),
        (_delete(["values", "loss_curve_"]), r"the fitted attribute\(s\) \['loss_curve_'\]"),
        (_set(["values", "n_features_in_"], 7), "n_features_in_ is 7 but the network takes 3"),
        (_set(["arrays", "classes_", "values"], [{"a": 1}, [2]]), "not a list of values"),
        (_set(["arrays", "classes_", "dtype"], "no-such-dtype"), "'classes_' is not a list"),
        (_set(["arrays", "classes_", "values"], ["a", "b", "c"]),
         r"classes_ has 3 distinct labels for a network with 1 output"),
        (_set(["arrays", "classes_", "values"], ["a", "a"]), "2 distinct labels"),
        (_set(["arrays", "classes_", "values"], [["a"], ["b"]]), "not one-dimensional"),
        (_set(["arrays", "evil_"], {"values": [], "dtype": "<f8"}), "'evil_' is not a fitted"),
    ],
)
def test_invalid_settings_get_a_model_file_error_naming_them(tmp_path, saved, change, message):
    with pytest.raises(nl.ModelFileError, match=message):
        nl.load(rewritten(tmp_path, saved, change))


def test_settings_that_are_not_json_or_nest_too_deeply(tmp_path, saved):
    from safetensors.numpy import save_file

    arrays, metadata, _ = saved
    for text, message in [("{oops", "estimator settings is not valid JSON"),
                          ("[" * 100_000, "nested too deeply"), ("[1]", "not a JSON object")]:
        path = tmp_path / "bad.safetensors"
        save_file(arrays, str(path), metadata={**metadata, "estimator": text})
        with pytest.raises(nl.ModelFileError, match=message):
            nl.load(path)


def test_a_missing_parameter_takes_its_default(tmp_path, saved):
    loaded = nl.load(rewritten(tmp_path, saved, _delete(["params", "tol"])))
    assert loaded.tol == NeuralabClassifier().tol


def test_a_regressor_whose_outputs_do_not_fit_is_refused(tmp_path):
    X = np.random.default_rng(0).normal(size=(30, 2))
    reg = NeuralabRegressor(hidden_layer_sizes=(3,), max_iter=2, random_state=0)
    with pytest.warns(Warning):
        reg.fit(X, X @ [1.0, 2.0])
    path = nl.save(reg, tmp_path / "reg.safetensors")
    arrays, metadata = nl.io.read_safetensors(path)
    state = json.loads(metadata["estimator"])
    state["values"]["n_outputs_"] = 4
    saved = (arrays, metadata, state)
    with pytest.raises(nl.ModelFileError, match="n_outputs_ is 4 but the network has 1"):
        nl.load(rewritten(tmp_path, saved, lambda s: None))


@pytest.mark.parametrize("kind", ["float32", "multilabel", "one-class"])
def test_files_keep_the_weights_dtype_and_the_label_kind(tmp_path, kind):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = {"float32": (X[:, 0] > 0).astype(int),
         "multilabel": np.column_stack([X[:, 0] > 0, X[:, 1] > 0]).astype(int),
         "one-class": np.full(40, "only")}[kind]
    if kind == "float32":
        X = X.astype(np.float32)
    with pytest.warns(UserWarning):  # ConvergenceWarning: few epochs
        clf = NeuralabClassifier(hidden_layer_sizes=(4,), max_iter=3, random_state=0).fit(X, y)
    restored = nl.load(nl.save(clf, tmp_path / "clf.safetensors"))
    assert restored.coefs_[0].dtype == clf.coefs_[0].dtype
    np.testing.assert_array_equal(restored.predict(X), clf.predict(X))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
