"""Dying ReLU: units that output 0 for every input get no gradient and never recover.

The course's example: a ReLU unit with w1 = w2 = -0.5 (and no bias) computes
max(0, -0.5 x1 - 0.5 x2), which is 0 for every positive input, so dL/dw1 = dL/dw2 = 0 and
gradient descent cannot change it: the unit is dead. The lesson checks this with autograd, then
trains ReLU networks (two hidden layers of 16) with a sensible learning rate and with a too
high one, from 8 different initial weights each, and counts the dead units with
``nl.diagnostics.report``. At the high rate many units die, and some networks lose a whole
layer: they output a constant and stay near chance, while at the sensible rate every network
learns. Leaky ReLU networks with the same high learning rate have no dead units (for z < 0
they still pass the gradient α) and learn. One seed can be lucky, so the lesson shows all 8.
"""

from __future__ import annotations

import numpy as np

from .. import nn
from ..diagnostics import report
from ..train import TrainingDivergedError
from ._base import Table, fixed_linear, floats, returns_result
from ._experiment import moons, train

SUMMARY = "w1 = w2 = -0.5 gives a dead unit; too high a learning rate kills ReLU units, "\
          "Leaky ReLU survives"
POSITIVE_INPUTS = ((0.5, 1.0), (1.0, 1.0), (2.0, 0.5), (3.0, 3.0))
RUNS = (("relu", 0.1), ("relu", 3.0), ("leaky_relu", 3.0))
EPOCHS, WIDTH, SEEDS = 20, 16, tuple(range(8))


def _course_unit() -> dict:
    unit = nn.Sequential(fixed_linear([[-0.5], [-0.5]], [0.0]), nn.ReLU())
    out = unit(np.array(POSITIVE_INPUTS))
    out.sum().backward()
    return {"x": [list(x) for x in POSITIVE_INPUTS], "z": floats(unit[0](
        np.array(POSITIVE_INPUTS)).data[:, 0]), "output": floats(out.data[:, 0]),
        "grad_w": floats(unit[0].weight.grad[:, 0]), "grad_b": float(unit[0].bias.grad[0])}


def _train(activation: str, lr: float, seed: int, X, y) -> dict:
    """One network: its final accuracy and each hidden layer's dead and z <= 0 fractions."""
    net = nn.MLP([2, WIDTH, WIDTH, 1], activation=activation, seed=seed)
    try:
        accuracy = train(net, X, y, lr=lr, epochs=EPOCHS, batch_size=16).history["accuracy"][-1]
    except TrainingDivergedError:
        accuracy = None  # a loss that overflowed: counted apart, not as "dead"
    layers = report(net, X, y).layers[:-1]
    return {"accuracy": accuracy, "dead": [layer.dead_fraction for layer in layers],
            "inactive": [layer.inactive_fraction for layer in layers]}


@returns_result
def run() -> dict:
    X, y = moons()
    runs = []
    for activation, lr in RUNS:
        nets = [_train(activation, lr, seed, X, y) for seed in SEEDS]
        finished = [n["accuracy"] for n in nets if n["accuracy"] is not None]
        runs.append({"activation": activation, "lr": lr, "seeds": list(SEEDS),
                     "accuracy": [n["accuracy"] for n in nets],
                     "mean_accuracy": float(np.mean(finished)) if finished else None,
                     "dead": [n["dead"] for n in nets], "inactive": [n["inactive"] for n in nets],
                     "mean_dead": floats(np.mean([n["dead"] for n in nets], axis=0)),
                     "dead_layer": sum(max(n["dead"]) == 1.0 for n in nets),
                     "diverged": sum(n["accuracy"] is None for n in nets)})
    return {"course_unit": _course_unit(), "runs": runs}


def tables(result: dict) -> list:
    unit = result["course_unit"]
    rows = [[*x, z, a, unit["grad_w"][0], unit["grad_w"][1]]
            for x, z, a in zip(unit["x"], unit["z"], unit["output"], strict=True)]
    runs = []
    for r in result["runs"]:
        finished = [a for a in r["accuracy"] if a is not None]
        runs.append([r["activation"], r["lr"], r["mean_accuracy"],
                     f"{min(finished):.2f} - {max(finished):.2f}" if finished else None,
                     *[f"{100 * d:.0f}%" for d in r["mean_dead"]],
                     f"{r['dead_layer']} of {len(r['seeds'])}", r["diverged"]])
    return [
        Table("The course's unit max(0, -0.5 x1 - 0.5 x2) on positive inputs",
              ["x1", "x2", "z", "ReLU(z)", "dL/dw1 (all inputs)", "dL/dw2 (all inputs)"], rows,
              note="Zero output and zero gradient for every positive input: the unit is dead."),
        Table(f"After {EPOCHS} epochs of SGD (mini-batches of 16) on two moons, "
              f"2-{WIDTH}-{WIDTH}-1 networks from {len(SEEDS)} different initial weights each",
              ["activation", "learning rate", "mean accuracy", "range", "dead, layer 1",
               "dead, layer 2", "a whole layer dead", "diverged"], runs,
              note=("Dead: output 0 for every sample (no gradient, no recovery). At the high "
                    "rate ReLU units die, and a network whose layer died outputs a constant: "
                    "its accuracy stays near chance (about 0.5). A Leaky ReLU unit with z <= 0 "
                    "everywhere still gets gradient α and can come back.")),
    ]


def plot(result: dict):
    """Left: mean share of dead units per hidden layer. Right: every network's final
    accuracy (dots) and the mean (bar), per setting."""
    from ._plots import grid

    figure, axes = grid(1, 2, width=5.0, title="dying ReLU: a too high learning rate")
    runs = result["runs"]
    labels = [f"{r['activation']}\nlr {r['lr']:g}" for r in runs]
    index = np.arange(len(labels))
    for k, offset in ((0, -0.2), (1, 0.2)):
        axes[0, 0].bar(index + offset, [100 * r["mean_dead"][k] for r in runs], 0.4,
                       label=f"hidden layer {k + 1}")
    axes[0, 0].set_xticks(index, labels)
    axes[0, 0].set(ylabel="% dead units (mean of the networks)", ylim=(0, 100),
                   title="dead units after training")
    axes[0, 0].legend()
    ax = axes[0, 1]
    for i, r in enumerate(runs):
        finished = [a for a in r["accuracy"] if a is not None]
        spread = np.linspace(-0.15, 0.15, len(finished))
        ax.bar(i, r["mean_accuracy"] or 0, 0.5, color="tab:blue", alpha=0.25)
        ax.scatter(i + spread, finished, color="tab:blue", zorder=3, s=18)
    ax.axhline(0.5, color="gray", linestyle=":", linewidth=1)
    ax.set_xticks(index, labels)
    ax.set(ylabel="final accuracy", ylim=(0.3, 1.02),
           title=f"each of {len(result['runs'][0]['seeds'])} networks (dots), mean (bar)")
    return figure
