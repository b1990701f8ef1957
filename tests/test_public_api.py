"""The public API is pinned: a name added to or dropped from ``neuralab`` shows up here."""

import neuralab as nl

ENGINE = {
    "GradcheckError", "NonDifferentiableError", "ShapeError", "Tensor", "__version__", "arange",
    "concatenate", "config", "default_dtype", "enable_grad", "full", "functional", "gradcheck",
    "is_grad_enabled", "manual_seed", "no_grad", "ones", "ones_like", "rand", "randn",
    "set_default_dtype", "stack", "tensor", "uniform", "where", "zeros", "zeros_like",
}
LAZY = {
    "CSVLogger", "Callback", "EarlyStopping", "History", "LivePlot", "ModelCheckpoint",
    "ModelFileError", "Predictor", "TrainingDivergedError", "data", "evaluate", "fit", "io",
    "load", "nn", "optim", "save", "sweep", "train", "viz",
    "Perceptron", "diagnostics", "exercises", "explain", "lessons",
    "NeuralabClassifier", "NeuralabRegressor", "estimators",
    "interop", "onnx",
}


def test_all_is_pinned():
    assert set(nl.__all__) == ENGINE | LAZY


def test_every_public_name_resolves():
    for name in nl.__all__:
        assert getattr(nl, name) is not None


def test_import_neuralab_stays_light():
    """`import neuralab` loads the engine only; heavy libraries wait until a feature needs them."""
    import subprocess
    import sys

    heavy = ["sklearn", "matplotlib", "pandas", "scipy", "torch", "dask", "fastapi", "rich"]
    code = f"import sys, neuralab; print([m for m in {heavy!r} if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
