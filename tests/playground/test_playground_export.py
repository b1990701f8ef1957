""""Export as Python": the script, run on its own, reaches the playground's losses to the last
digit, for every kind of run (data, problem, optimizer, descent variant, penalty, clipping,
batch norm, the perceptron rule)."""

import ast
import re
import subprocess
import sys

import pytest

from neuralab.playground.session import Session

from .conftest import LIMITS

DRAWN = [[0.1, 0.2, 0], [0.5, 0.4, 0], [-0.3, 0.2, 1], [-0.5, -0.5, 1], [0.9, -0.2, 2],
         [0.8, -0.9, 2]]

RUNS = {
    "circles, Adam, mini-batch": {"dataset": "circles", "points": 120},
    "three-arm spiral, softmax": {"dataset": "spiral3", "points": 90, "hidden": [5, 5],
                                  "features": ["x1", "x2", "sinx1", "sinx2"]},
    "bump, L2, clipping, 70% training": {
        "dataset": "bump", "loss": "mse", "regularization": "l2", "clip": 0.5,
        "train_ratio": 70, "points": 100, "features": ["x1", "x2", "x1sq", "x2sq"]},
    "plane, momentum, batch descent, L1": {
        "dataset": "plane", "loss": "mse", "variant": "batch", "optimizer": "momentum",
        "regularization": "l1", "regularization_rate": 0.01, "points": 60},
    "moons, squared error, batch norm": {
        "dataset": "moons", "loss": "mse", "batch_norm": True, "batch_size": 7, "points": 80,
        "features": ["x1", "x2", "x1x2"], "optimizer": "rmsprop", "seed": 3},
    "XOR gate, SGD, stochastic": {"dataset": "xor_gate", "optimizer": "sgd", "hidden": [3],
                                  "variant": "stochastic", "learning_rate": 0.3},
    "perceptron on the XOR quadrants": {"dataset": "xor", "activation": "step", "hidden": [],
                                        "points": 60},
    "drawn points, three classes": {"dataset": "custom", "custom_points": DRAWN,
                                    "hidden": [3], "custom_columns": ["a", "b", "c"]},
    "drawn values, regression": {
        "dataset": "custom", "custom_task": "regression", "loss": "mse", "hidden": [3],
        "custom_points": [[0.1, 0.2, 0.3], [0.5, 0.4, 0.1], [-0.3, 0.2, 1.5], [-0.5, -0.5, 1],
                          [0.9, -0.2, 2]]},
}


def parse_losses(printed: str) -> dict:
    """A script's printed "<split> <loss name> value[, accuracy value]" lines as
    {"train_loss": ..., "train_accuracy": ..., ...} (accuracy None if not printed)."""
    numbers = {}
    for split, loss, accuracy in re.findall(
            r"^(train|test) (?:loss|error rate) (\S+?)(?:, accuracy (\S+))?$", printed, re.M):
        numbers[f"{split}_loss"] = float(loss)
        numbers[f"{split}_accuracy"] = float(accuracy) if accuracy else None
    return numbers


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Each run of RUNS trained 12 epochs: (its last frame, what its exported script printed).
    The scripts run one after the other in one fresh Python (each with its own globals, as
    ``python script.py`` gives it), to start the interpreter once."""
    folder = tmp_path_factory.mktemp("exported")
    frames, paths = {}, []
    for index, (name, settings) in enumerate(RUNS.items()):
        session = Session(LIMITS)
        session.configure(settings)
        session.train(12, seconds=60)
        frames[name] = session.frame()
        script = session.export_script()
        assert "EPOCHS = 12  #" in script
        paths.append(folder / f"run{index}.py")
        paths[-1].write_text(script)
    runner = ("import runpy, sys\nfor path in sys.argv[1:]:\n"
              "    print('=== run', flush=True)\n    runpy.run_path(path, run_name='__main__')\n")
    printed = subprocess.run([sys.executable, "-c", runner, *map(str, paths)], check=True,
                             capture_output=True, text=True, timeout=300, cwd=folder).stdout
    outputs = printed.split("=== run\n")[1:]
    return {name: (frames[name], parse_losses(out)) for name, out in zip(RUNS, outputs,
                                                                          strict=True)}


@pytest.mark.parametrize("name", RUNS)
def test_the_exported_script_reaches_the_same_losses(name, exported):
    frame, printed = exported[name]
    for key in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
        if frame[key] is None:
            assert printed[key] is None
        else:
            assert printed[key] == pytest.approx(frame[key], rel=1e-7, abs=1e-9), key


def test_the_script_uses_only_the_public_api_and_reads_as_the_course_writes_it():
    session = Session(LIMITS)
    session.configure({"dataset": "moons", "regularization": "l2", "clip": 1.0})
    script = session.export_script()
    tree = ast.parse(script)
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names}
    modules |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert modules == {"numpy", "neuralab"}
    assert "neuralab.playground" not in script
    for line in ("optimizer.zero_grad()", "loss.backward()", "optimizer.step()",
                 "optim.clip_grad_norm_(model.parameters(), 1.0)",
                 'nl.data.load_dataset("moons", n=200, noise=0.05, seed=SEED)'):
        assert line in script


def test_names_of_ones_own_data_cannot_put_code_into_the_script():
    session = Session(LIMITS)
    session.configure({"dataset": "custom", "custom_points": DRAWN[:4],
                       "custom_columns": ['x") ; import os #', "b", "c"]})
    tree = ast.parse(session.export_script())
    calls = [node.func.attr for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)]
    assert "system" not in calls and not any(
        isinstance(node, ast.Import) and node.names[0].name == "os" for node in ast.walk(tree))


def test_the_server_sends_the_script_as_a_download(client):
    with client.websocket_connect("/ws") as ws:
        session = ws.receive_json()["session"]
        ws.send_json({"type": "config", "config": {"dataset": "spiral3", "points": 60}})
        ws.receive_json()
        response = client.get(f"/api/sessions/{session}/export.py")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/x-python")
    assert 'filename="neuralab-playground-spiral3.py"' in response.headers["content-disposition"]
    ast.parse(response.text)
