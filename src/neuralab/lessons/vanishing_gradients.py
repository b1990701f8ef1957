"""Vanishing gradients: in a deep sigmoid network the first layers hardly get any gradient.

Backpropagation multiplies, layer after layer, by the activation's derivative and a weight
matrix. σ'(z) is at most 0.25, so through nine sigmoid layers the signal can shrink by up to
0.25⁹ ≈ 4e-6; ReLU's derivative is 1 wherever the unit is active, and the signal keeps its
size. The lesson builds two networks of the same shape (10 hidden layers of 32 units) on the
same data, one with sigmoid and one with ReLU units, measures each layer's gradient norm
‖dL/dW‖ with ``nl.diagnostics.report``, and trains both briefly with the same SGD settings.
"""

from __future__ import annotations

from .. import nn
from ..diagnostics import report
from ..viz.flow import GRADIENT_FLAGS
from ._base import Table, returns_result
from ._experiment import moons, train

SUMMARY = "per-layer gradient norms of a deep sigmoid network against ReLU"
DEPTH, WIDTH = 10, 32
EPOCHS, LR = 15, 0.1


@returns_result
def run() -> dict:
    X, y = moons()
    result = {"depth": DEPTH, "width": WIDTH, "bound": 0.25 ** (DEPTH - 1), "networks": {}}
    for activation in ("sigmoid", "relu"):
        net = nn.MLP([2] + [WIDTH] * DEPTH + [1], activation=activation, seed=0)
        before = report(net, X, y).to_dict()
        history = train(net, X, y, lr=LR, epochs=EPOCHS)
        result["networks"][activation] = {"report": before, "loss": history.history["loss"],
                                          "accuracy": history.history["accuracy"][-1]}
    return result


def _gradient_flag(layer: dict) -> str:
    """The layer's gradient flag (this lesson is about gradient size, not dead units): the
    same flags that ``gradient_flow`` rings in the figure."""
    return next((f for f in layer["flags"] if f in GRADIENT_FLAGS), "ok")


def tables(result: dict) -> list:
    sig = result["networks"]["sigmoid"]["report"]["layers"]
    relu = result["networks"]["relu"]["report"]["layers"]
    rows = [[s["index"], s["grad_norm"], _gradient_flag(s), r["grad_norm"], _gradient_flag(r)]
            for s, r in zip(sig, relu, strict=True)]
    ratio_sig = sig[0]["grad_norm"] / sig[-2]["grad_norm"]
    ratio_relu = relu[0]["grad_norm"] / relu[-2]["grad_norm"]
    training = [[name, r["loss"][0], r["loss"][-1], r["accuracy"]]
                for name, r in result["networks"].items()]
    return [
        Table(f"‖dL/dW‖ per layer at initialisation ({result['depth']} hidden layers of "
              f"{result['width']}, same data)",
              ["layer", "sigmoid", "flags", "relu", "flags"], rows, digits=3,
              note=(f"First hidden layer / last hidden layer: sigmoid {ratio_sig:.1e}, ReLU "
                    f"{ratio_relu:.2g}. Bound from σ' <= 0.25 over {result['depth'] - 1} "
                    f"layers: 0.25^{result['depth'] - 1} = {result['bound']:.1e}.")),
        Table(f"Training both with SGD (lr {LR}, {EPOCHS} epochs, mini-batches of 32)",
              ["activation", "first epoch loss", "last epoch loss", "accuracy"], training,
              note="The sigmoid network barely moves: its early layers receive almost nothing."),
    ]


def plot(result: dict):
    from ..viz import gradient_flow
    from ._plots import curves, grid

    figure, axes = grid(1, 2, width=5.4, title="vanishing gradients: sigmoid vs ReLU")
    gradient_flow({name: r["report"] for name, r in result["networks"].items()},
                  ax=axes[0, 0], title="‖dL/dW‖ per layer at initialisation (rings: the "
                                       "table's flags)")
    curves(axes[0, 1], {name: r["loss"] for name, r in result["networks"].items()},
           "epoch", "loss", "training loss")
    return figure
