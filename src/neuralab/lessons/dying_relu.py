"""Dying ReLU: units that output 0 for every input get no gradient and never recover.

The course's example: a ReLU unit with w1 = w2 = -0.5 (and no bias) computes
max(0, -0.5 x1 - 0.5 x2), which is 0 for every positive input, so dL/dw1 = dL/dw2 = 0 and
gradient descent cannot change it: the unit is dead. The lesson checks this with autograd, then
trains a ReLU network (two hidden layers of 32) with a sensible learning rate and with a too
high one, and counts the dead units with ``nl.diagnostics.report``; a Leaky ReLU network with
the same high learning rate has none: for z < 0 it still passes the gradient α.
"""

from __future__ import annotations

import numpy as np

from .. import nn
from ..diagnostics import report
from ._base import Table, fixed_linear, floats, returns_result
from ._experiment import moons, train

SUMMARY = "w1 = w2 = -0.5 gives a dead unit; too high a learning rate kills ReLU units, "\
          "Leaky ReLU survives"
POSITIVE_INPUTS = ((0.5, 1.0), (1.0, 1.0), (2.0, 0.5), (3.0, 3.0))
RUNS = (("relu", 0.1), ("relu", 3.0), ("leaky_relu", 3.0))
EPOCHS = 20


def _course_unit() -> dict:
    unit = nn.Sequential(fixed_linear([[-0.5], [-0.5]], [0.0]), nn.ReLU())
    out = unit(np.array(POSITIVE_INPUTS))
    out.sum().backward()
    return {"x": [list(x) for x in POSITIVE_INPUTS], "z": floats(unit[0](
        np.array(POSITIVE_INPUTS)).data[:, 0]), "output": floats(out.data[:, 0]),
        "grad_w": floats(unit[0].weight.grad[:, 0]), "grad_b": float(unit[0].bias.grad[0])}


@returns_result
def run() -> dict:
    X, y = moons()
    runs = []
    for activation, lr in RUNS:
        net = nn.MLP([2, 32, 32, 1], activation=activation, seed=0)
        history = train(net, X, y, lr=lr, epochs=EPOCHS, batch_size=16)
        rep = report(net, X, y).to_dict()
        runs.append({"activation": activation, "lr": lr, "loss": history.history["loss"],
                     "accuracy": history.history["accuracy"][-1],
                     "layers": rep["layers"][:-1]})
    return {"course_unit": _course_unit(), "runs": runs}


def tables(result: dict) -> list:
    unit = result["course_unit"]
    rows = [[*x, z, a, unit["grad_w"][0], unit["grad_w"][1]]
            for x, z, a in zip(unit["x"], unit["z"], unit["output"], strict=True)]
    runs = [[r["activation"], r["lr"], r["accuracy"],
             *[f"{100 * la['dead_fraction']:.0f}% dead, {100 * la['inactive_fraction']:.0f}% "
               f"z<=0" for la in r["layers"]]] for r in result["runs"]]
    return [
        Table("The course's unit max(0, -0.5 x1 - 0.5 x2) on positive inputs",
              ["x1", "x2", "z", "ReLU(z)", "dL/dw1 (all inputs)", "dL/dw2 (all inputs)"], rows,
              note="Zero output and zero gradient for every positive input: the unit is dead."),
        Table(f"After {EPOCHS} epochs of SGD (mini-batches of 16) on two moons",
              ["activation", "learning rate", "accuracy", "hidden layer 1", "hidden layer 2"],
              runs,
              note=("Dead: output 0 for every sample (no gradient, no recovery). A Leaky ReLU "
                    "unit with z <= 0 everywhere still gets gradient α and can come back.")),
    ]


def plot(result: dict):
    from ._plots import grid

    figure, axes = grid(1, 2, width=5.0, title="dying ReLU")
    labels = [f"{r['activation']}\nlr {r['lr']:g}" for r in result["runs"]]
    index = np.arange(len(labels))
    for k, offset in ((0, -0.2), (1, 0.2)):
        axes[0, 0].bar(index + offset, [100 * r["layers"][k]["dead_fraction"]
                                        for r in result["runs"]], 0.4,
                       label=f"hidden layer {k + 1}")
    axes[0, 0].set_xticks(index, labels)
    axes[0, 0].set(ylabel="% dead units", title="dead units after training")
    axes[0, 0].legend()
    for r, label in zip(result["runs"], labels, strict=True):
        axes[0, 1].plot(range(1, len(r["loss"]) + 1), r["loss"], label=label.replace("\n", " "))
    axes[0, 1].set(xlabel="epoch", ylabel="loss", title="training loss")
    axes[0, 1].legend(fontsize=8)
    return figure
