"""Exploding gradients, and gradient clipping as the cure.

Start a deep ReLU network (6 hidden layers of 32) with weights three times their usual
(He) size: every layer multiplies the signal by about 3·√2, the logits come out in the
thousands, and so do the gradients. The lesson trains the same network twice with plain SGD
(batch gradient descent, so one update per epoch):

* without clipping the second update multiplies the loss ten-thousandfold, the third
  overflows, and ``fit`` stops with ``TrainingDivergedError`` (restoring the last good weights);
* with ``clip_grad_norm=1.0`` (``optim.clip_grad_norm_`` before every step: if ‖g‖ > 1 the
  gradient is rescaled to length 1, keeping its direction) the same run descends steadily.
"""

from __future__ import annotations

from .. import nn
from ..diagnostics import report
from ..train import TrainingDivergedError
from ._base import Table, returns_result
from ._experiment import moons, train

SUMMARY = "a deep network with large initial weights: loss and gradient norm with and "\
          "without clip_grad_norm_"
SCALE, DEPTH, WIDTH = 3.0, 6, 32
EPOCHS, LR, CLIP = 60, 0.03, 1.0


def network() -> nn.MLP:
    net = nn.MLP([2] + [WIDTH] * DEPTH + [1], activation="relu", seed=0)
    for name, param in net.named_parameters():
        if name.endswith("weight"):
            param.data *= SCALE
    return net


def _run(clip) -> dict:
    X, y = moons()
    net = network()
    try:
        history = train(net, X, y, lr=LR, epochs=EPOCHS, batch_size="full", clip=clip)
        diverged = None
    except TrainingDivergedError as err:
        history, diverged = err.history, str(err).split(":")[0]
    return {"clip": clip, "loss": history.history.get("loss", []),
            "grad_norm": history.history.get("grad_norm", []), "diverged": diverged,
            "accuracy": (history.history["accuracy"][-1] if "accuracy" in history.history
                         else None)}


@returns_result
def run() -> dict:
    X, y = moons()
    initial = report(network(), X, y).to_dict()
    return {"scale": SCALE, "initial_report": initial,
            "runs": {"no clipping": _run(None), f"clip_grad_norm={CLIP:g}": _run(CLIP)}}


def tables(result: dict) -> list:
    layers = result["initial_report"]["layers"]
    out = [Table(f"At initialisation (weights x{result['scale']:g})",
                 ["layer", "‖dL/dW‖", "‖W‖", "flags"],
                 [[la["index"], la["grad_norm"], la["weight_norm"], ", ".join(la["flags"]) or
                   "ok"] for la in layers], digits=3)]
    for name, r in result["runs"].items():
        shown = sorted({0, 1, 2, 3, 5, 10, 20, 40, len(r["loss"]) - 1} &
                       set(range(len(r["loss"]))))
        status = (r["diverged"] if r["diverged"] else
                  f"finished {len(r['loss'])} epochs, accuracy {r['accuracy']:.2f}")
        out.append(Table(f"{name}: SGD lr {LR}, one update per epoch",
                         ["epoch", "loss", "gradient norm (before clipping)"],
                         [[e + 1, r["loss"][e], r["grad_norm"][e]] for e in shown], digits=3,
                         note=status))
    return out


def plot(result: dict):
    from ._plots import curves, grid

    figure, axes = grid(1, 2, width=5.0, title="exploding gradients and clipping")
    runs = result["runs"]
    curves(axes[0, 0], {n: r["loss"] for n, r in runs.items()}, "epoch", "loss",
           "training loss", log=True)
    curves(axes[0, 1], {n: r["grad_norm"] for n, r in runs.items()}, "epoch", "‖g‖",
           "gradient norm before clipping", log=True)
    return figure
