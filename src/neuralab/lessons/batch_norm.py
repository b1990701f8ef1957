"""Batch normalization: the same deep network trains with it and stalls without it.

BatchNorm1d standardises every unit over the mini-batch, ẑ = (z - μ_B)/√(σ²_B + ε), then
rescales it, y = γ ẑ + β, so each sigmoid sees inputs of mean 0 and spread 1 whatever the
layers before it do. The lesson trains two sigmoid networks with 6 hidden layers of 32 units,
one with a BatchNorm1d before every activation (``nn.MLP(..., batch_norm=True)``), with the
same SGD settings and data, and compares their losses and the first layer's gradient norm.
"""

from __future__ import annotations

from .. import nn
from ..diagnostics import report
from ._base import Table, returns_result
from ._experiment import moons, train

SUMMARY = "the same deep sigmoid network trained with and without BatchNorm1d"
DEPTH, WIDTH = 6, 32
EPOCHS, LR = 20, 0.1


@returns_result
def run() -> dict:
    X, y = moons(256)
    runs = {}
    for batch_norm in (False, True):
        net = nn.MLP([2] + [WIDTH] * DEPTH + [1], activation="sigmoid", batch_norm=batch_norm,
                     seed=0)
        first = report(net, X, y, training=True).layers[0].grad_norm
        history = train(net, X, y, lr=LR, epochs=EPOCHS)
        runs["with BatchNorm1d" if batch_norm else "without"] = {
            "loss": history.history["loss"], "accuracy": history.history["accuracy"][-1],
            "first_layer_grad_norm": first}
    return {"depth": DEPTH, "width": WIDTH, "runs": runs}


def tables(result: dict) -> list:
    rows = [[name, r["first_layer_grad_norm"], r["loss"][0], r["loss"][-1], r["accuracy"]]
            for name, r in result["runs"].items()]
    return [Table(
        f"Sigmoid network, {result['depth']} hidden layers of {result['width']}, SGD lr {LR}, "
        f"{EPOCHS} epochs, mini-batches of 32",
        ["network", "layer-1 ‖dL/dW‖ at start (batch statistics)", "first epoch loss",
         "last epoch loss", "accuracy"], rows, digits=3,
        note=("Without normalisation the loss stays near ln 2 = 0.693 (guessing); with it the "
              "network learns. The first layer's gradient at initialisation shows why."))]


def plot(result: dict):
    from ._plots import curves, grid

    figure, axes = grid(1, 1, width=6.0, height=4.0)
    curves(axes[0, 0], {n: r["loss"] for n, r in result["runs"].items()}, "epoch", "loss",
           "deep sigmoid network: with and without batch normalization")
    return figure
