"""The layers of DESIGN.md hold: imports only point down, so no import cycle can come back.

Two views of the same rule. Statically, every ``import`` in a subpackage's source -- those
inside functions included, where a cycle hides behind a lazy import -- names a package of its
own layer or a lower one. At run time, importing a subpackage in a fresh interpreter loads no
package of a higher layer.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import neuralab

SOURCE = Path(neuralab.__file__).parent

#: top-level package or module of neuralab -> its layer (imports point to the same or lower)
LAYERS = {
    # helpers without neuralab dependencies
    "_config": 0, "_validation": 0, "_optional": 0, "_text": 0, "_vocabulary": 0,
    "autograd": 1,
    "functional": 2,
    "nn": 3, "optim": 3, "data": 3, "perceptron": 3, "_network": 3,
    "io": 4,
    "train": 5,
    "estimators": 6, "predictor": 6, "experiment": 6,
    # teaching and display
    "viz": 7, "_display": 7, "_stages": 7, "diagnostics": 7, "explain": 7, "lessons": 7,
    "exercises": 7, "onnx": 7, "interop": 7,
    # entry points
    "cli": 8, "playground": 8, "sweeps": 8, "bench": 8, "__main__": 8,
}
#: upward imports that are allowed, each lazy and for display only
EXCEPTIONS = {
    ("nn", "_display"): "Module._repr_html_ draws the module tree in a notebook",
    ("train", "_display"): "History._repr_html_ and LivePlot show the curves in a notebook",
    ("train", "viz"): "LivePlot draws the loss curves",
}


def _package_of(path: Path) -> str:
    parts = path.relative_to(SOURCE).with_suffix("").parts
    return parts[0]


def _imported_packages(path: Path):
    """``(line, package)`` for every neuralab package the file imports, anywhere in it."""
    package = path.relative_to(SOURCE).parent.parts
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                name = alias.name.split(".")
                if name[0] == "neuralab" and len(name) > 1:
                    yield node.lineno, name[1]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                name = (node.module or "").split(".")
                if name[0] == "neuralab":
                    targets = name[1:2] or [alias.name for alias in node.names]
                    yield from ((node.lineno, target) for target in targets)
                continue
            absolute = [*package[:len(package) - node.level + 1], *(node.module or "").split(".")]
            absolute = [part for part in absolute if part]
            targets = absolute[:1] or [alias.name for alias in node.names]
            yield from ((node.lineno, target) for target in targets)


def _violations(source: str, targets) -> list[str]:
    layer = LAYERS[source]
    return sorted({target for target in targets if target in LAYERS and target != source
                   and LAYERS[target] > layer and (source, target) not in EXCEPTIONS})


def test_every_package_has_a_layer():
    """A new subpackage must be placed in a layer before it can be imported from."""
    packages = {_package_of(path) for path in SOURCE.rglob("*.py")} - {"__init__"}
    assert sorted(packages - set(LAYERS)) == []


@pytest.mark.parametrize("path", sorted(SOURCE.rglob("*.py")),
                         ids=lambda path: str(path.relative_to(SOURCE)))
def test_imports_point_down(path):
    """No import in the source (lazy ones included) reaches a higher layer."""
    source = _package_of(path)
    if source == "__init__":  # the root package exposes everything, lazily
        return
    found = {}
    for line, target in _imported_packages(path):
        found.setdefault(target, line)
    bad = _violations(source, found)
    assert not bad, (
        f"{path.relative_to(SOURCE)} (layer {LAYERS[source]}, {source}) imports "
        + ", ".join(f"{target} (layer {LAYERS[target]}, line {found[target]})" for target in bad)
        + ": a lower layer must not import a higher one (see DESIGN.md); pass the dependency "
          "in, or register it through a hook such as neuralab.io.payloads."
    )


LOADED = """
import importlib, json, sys
def loaded():
    return {name.split(".")[1] for name in sys.modules if name.startswith("neuralab.")}
importlib.import_module("neuralab")
root = loaded()
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(loaded() - root)))
"""


@pytest.mark.parametrize("package", sorted(name for name, layer in LAYERS.items() if layer < 8
                                           and not name.startswith("_")))
def test_importing_loads_no_higher_layer(package):
    """``import neuralab.<package>`` in a fresh interpreter loads only its layer and below
    (besides what ``import neuralab`` itself loads: the engine and ``functional``)."""
    result = subprocess.run([sys.executable, "-c", LOADED, f"neuralab.{package}"],
                            capture_output=True, text=True, check=True, timeout=120)
    loaded = json.loads(result.stdout)
    assert _violations(package, loaded) == [], loaded


def test_io_does_not_know_the_estimators():
    """The model files' persistence reaches the estimators and Predictor only through the
    ``neuralab.model_files`` entry points, so io imports neither."""
    targets = {target for path in (SOURCE / "io").rglob("*.py")
               for _, target in _imported_packages(path)}
    assert not targets & {"estimators", "predictor", "train", "cli", "playground"}
