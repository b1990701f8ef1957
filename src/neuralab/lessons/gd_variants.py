"""Batch, stochastic and mini-batch gradient descent on the same data and network.

The three variants differ only in how many samples each gradient is computed from: all of them
(batch: one update per epoch), one (stochastic: N updates per epoch, noisy), or a mini-batch
(here 16: N/16 updates per epoch). The lesson trains the same 2-16-1 tanh network from the
same initial weights with the same learning rate each way (``nl.fit``'s ``batch_size`` =
"full", 1, 16) and records the loss against epochs, against updates and against seconds.

Timing: the first epoch of the first run in a process also pays one-time costs (imports,
caches, the first trace of the graph) that have nothing to do with the variant, and would make
whichever variant runs first look slowest. So each variant first trains one untimed warm-up
epoch on a throwaway network, and the table reports the median seconds per epoch.
"""

from __future__ import annotations

import itertools
import statistics

from .. import nn
from ._base import Table, returns_result
from ._experiment import moons, train

SUMMARY = "batch, stochastic and mini-batch descent: loss against epochs, updates and seconds"
VARIANTS = {"batch": "full", "stochastic": 1, "mini-batch (16)": 16}
EPOCHS, LR = 15, 0.1


@returns_result
def run() -> dict:
    X, y = moons()
    runs = {}
    for name, batch_size in VARIANTS.items():
        train(nn.MLP([2, 16, 1], activation="tanh", seed=1), X, y, lr=LR, epochs=1,
              batch_size=batch_size)  # the warm-up: one-time costs are paid here, untimed
        net = nn.MLP([2, 16, 1], activation="tanh", seed=0)
        history = train(net, X, y, lr=LR, epochs=EPOCHS, batch_size=batch_size)
        per_epoch = len(X) if batch_size == 1 else (1 if batch_size == "full" else
                                                     -(-len(X) // batch_size))
        runs[name] = {"batch_size": batch_size, "loss": history.history["loss"],
                      "accuracy": history.history["accuracy"][-1],
                      "updates": [per_epoch * (e + 1) for e in range(EPOCHS)],
                      "seconds": list(itertools.accumulate(history.history["epoch_seconds"])),
                      "epoch_ms": 1000 * statistics.median(history.history["epoch_seconds"])}
    return {"n_samples": len(X), "runs": runs}


def tables(result: dict) -> list:
    rows = [[name, str(r["batch_size"]), r["updates"][0], r["updates"][-1], r["loss"][0],
             r["loss"][-1], r["accuracy"], r["epoch_ms"], r["epoch_ms"] / r["updates"][0]]
            for name, r in result["runs"].items()]
    return [Table(
        f"{result['n_samples']} samples, 2-16-1 tanh network, SGD lr {LR}, {EPOCHS} epochs",
        ["variant", "batch size", "updates/epoch", "updates", "loss epoch 1",
         f"loss epoch {EPOCHS}", "accuracy", "ms per epoch", "ms per update"], rows, digits=3,
        note=("Per epoch, stochastic descent makes the most progress (most updates) but each "
              "update is noisy and costs a full forward/backward, so its epochs are the "
              "slowest; batch descent is smooth and its epoch is the cheapest, one step per "
              "pass; mini-batches sit in between. Times: median over the epochs, after a "
              "warm-up epoch (see the module's docstring)."))]


def plot(result: dict):
    from ._plots import curves, grid

    figure, axes = grid(1, 3, width=4.2, title="gradient descent variants")
    runs = result["runs"]
    losses = {n: r["loss"] for n, r in runs.items()}
    curves(axes[0, 0], losses, "epoch", "loss", "loss vs epochs")
    curves(axes[0, 1], losses, "updates", "loss", "loss vs updates",
           x={n: r["updates"] for n, r in runs.items()})
    axes[0, 1].set_xscale("log")
    curves(axes[0, 2], losses, "seconds (after a warm-up epoch)", "loss", "loss vs time",
           x={n: r["seconds"] for n, r in runs.items()})
    axes[0, 2].set_xscale("log")
    return figure
