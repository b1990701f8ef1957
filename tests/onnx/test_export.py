"""nl.onnx.export: every layer, the estimators, StandardScaler pipelines and Predictors run in
ONNX Runtime and give neuralab's numbers on the same inputs (to 1e-5)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn

ort = pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

X = np.random.default_rng(0).normal(size=(64, 4)).astype(np.float32)


def run(obj, tmp_path, inputs):
    path = nl.onnx.export(obj, tmp_path / "model.onnx")
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {"X": inputs}), session


def forward(model, inputs):
    with nl.no_grad():
        return model.eval()(inputs).data


LAYERS = {
    "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "identity": nn.Identity,
    "step": nn.Step, "leaky_relu": lambda: nn.LeakyReLU(0.2), "softmax": nn.Softmax,
    "softmax_axis0": lambda: nn.Softmax(axis=0), "dropout": lambda: nn.Dropout(0.5),
    "batch_norm": lambda: nn.BatchNorm1d(6), "batch_norm_plain": lambda: nn.BatchNorm1d(6,
                                                                                       affine=False),
}


@pytest.mark.parametrize("name", LAYERS)
def test_each_layer_after_a_linear_matches_onnx_runtime(tmp_path, name):
    model = nn.Sequential(nn.Linear(4, 6, seed=0), LAYERS[name]())
    model(X)  # training mode: batch norm updates its running statistics
    if name.startswith("batch_norm") and name.endswith("norm"):
        model[1].weight.data[...] = np.linspace(0.5, 2, 6)
        model[1].bias.data[...] = np.linspace(-1, 1, 6)
    (output,), _ = run(model, tmp_path, X)
    np.testing.assert_allclose(output, forward(model, X), atol=1e-5, rtol=1e-5)


def test_an_mlp_with_every_option_and_float64(tmp_path):
    with nl.config(dtype="float64"):
        model = nn.MLP([4, 8, 5, 3], activation="tanh", batch_norm=True, dropout=0.3,
                       output="softmax", seed=0)
        inputs = X.astype(np.float64)
        model(inputs)
        (output,), session = run(model, tmp_path, inputs)
        np.testing.assert_allclose(output, forward(model, inputs), atol=1e-12)
    assert session.get_inputs()[0].shape == ["N", 4] and session.get_outputs()[0].name == "output"


def test_a_layer_without_translation_is_named():
    class Doubler(nn.Module):
        def forward(self, x):
            return x * 2

    with pytest.raises(TypeError, match=r"cannot translate a Doubler \(layer '1'\).*Linear"):
        nl.onnx.to_onnx(nn.Sequential(nn.Linear(2, 2), Doubler()))
    with pytest.raises(TypeError, match=r"takes an nn\.Module, a fitted NeuralabClassifier"):
        nl.onnx.to_onnx("model")


def fitted(estimator, *data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return estimator.fit(*data)


@pytest.mark.parametrize(
    "labels",
    [np.array(["ant", "bee", "cat"]), np.array([3, 7, 9]), np.array(["no", "yes"]),
     np.array([False, True])],
)
def test_classifiers_give_predict_and_predict_proba(tmp_path, labels):
    y = labels[np.argmax(X[:, :len(labels)], axis=1)]
    clf = fitted(nl.NeuralabClassifier(hidden_layer_sizes=(8,), max_iter=40, random_state=0),
                 X, y)
    (label, probabilities), session = run(clf, tmp_path, X)
    np.testing.assert_array_equal(label, clf.predict(X))
    np.testing.assert_allclose(probabilities, clf.predict_proba(X), atol=1e-5)
    assert [o.name for o in session.get_outputs()] == ["label", "probabilities"]


@pytest.mark.parametrize("n_targets", [1, 3])
def test_regressors_give_predict(tmp_path, n_targets):
    y = X[:, :n_targets] * 2 + 1
    reg = fitted(nl.NeuralabRegressor(hidden_layer_sizes=(8,), max_iter=40, random_state=0),
                 X, y[:, 0] if n_targets == 1 else y)
    (values,), _ = run(reg, tmp_path, X)
    assert values.shape == reg.predict(X).shape
    np.testing.assert_allclose(values, reg.predict(X), atol=1e-5)


def test_a_standard_scaler_pipeline_is_exported_whole(tmp_path):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    # float32 throughout: the scalers keep it, and so does the estimator (its input's dtype)
    raw = (X * [1, 10, 100, 1000] + [0, 5, -50, 500]).astype(np.float32)
    y = (raw[:, 0] > 0).astype(int) + (raw[:, 1] > 5)
    pipe = fitted(make_pipeline(StandardScaler(), StandardScaler(with_mean=False),
                                nl.NeuralabClassifier(hidden_layer_sizes=(8,), max_iter=40,
                                                      random_state=0)), raw, y)
    (label, probabilities), _ = run(pipe, tmp_path, raw)
    np.testing.assert_array_equal(label, pipe.predict(raw))
    np.testing.assert_allclose(probabilities, pipe.predict_proba(raw), atol=1e-5)


def test_other_pipeline_steps_are_refused_with_what_is_supported():
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    pipe = fitted(make_pipeline(MinMaxScaler(), nl.NeuralabRegressor(max_iter=2)), X, X[:, 0])
    with pytest.raises(TypeError, match=r"step 'minmaxscaler' is a MinMaxScaler.*skl2onnx"):
        nl.onnx.to_onnx(pipe)
    pipe = fitted(make_pipeline(StandardScaler(), StandardScaler()), X)
    with pytest.raises(TypeError, match="its last step is a StandardScaler"):
        nl.onnx.to_onnx(pipe)


def test_a_predictor_exports_its_standardisation_and_labels(tmp_path):
    import pandas as pd

    from neuralab.experiment import ExperimentConfig, run_experiment

    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"size": rng.uniform(0, 100, 120), "color": rng.choice(["r", "g"], 120)})
    frame["price"] = frame["size"] * 3 + (frame["color"] == "r") * 40
    frame["kind"] = np.where(frame["price"] > 150, "dear", "cheap")
    csv = tmp_path / "t.csv"
    frame.to_csv(csv, index=False)
    for target in ("kind", "price"):
        config = ExperimentConfig(dataset=str(csv), target=target, hidden=(8,), epochs=5,
                                  task="regression" if target == "price" else "auto")
        predictor = run_experiment(config, verbose=0).predictor()
        features = predictor.encoder.transform(frame)
        outputs, session = run(predictor, tmp_path, features)
        assert session.get_modelmeta().custom_metadata_map["feature_names"].startswith('["size"')
        if target == "kind":
            np.testing.assert_array_equal(outputs[0], predictor.predict(frame))
            np.testing.assert_allclose(outputs[1], predictor.predict_proba(frame), atol=1e-5)
        else:
            np.testing.assert_allclose(outputs[0], predictor.predict(frame), rtol=1e-5)
