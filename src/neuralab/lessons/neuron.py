"""A single sigmoid neuron trained with binary cross-entropy, the course's first classifier.

ŷ = σ(w1 x1 + w2 x2 + b),   L(y, ŷ) = -y ln ŷ - (1 - y) ln(1 - ŷ).

By the chain rule dL/dw1 = dL/dŷ · dŷ/dw1 with dL/dŷ = -(y - ŷ)/(ŷ(1 - ŷ)) and
dŷ/dw1 = ŷ(1 - ŷ) x1, and the ŷ(1 - ŷ) cancels:

    dL/dw1 = -(y - ŷ) x1,   dL/dw2 = -(y - ŷ) x2,   dL/db = -(y - ŷ).

The lesson evaluates these formulas on one example next to autograd's gradients of the same
neuron, checks that one optimizer step is the course's update w1 -> w1 - α(-x1 (y - ŷ)), and
then trains the neuron with gradient descent (``nl.fit``, batch gradient descent) on two
Gaussian blobs, drawing the decision boundary σ(...) = 0.5, a straight line.
"""

from __future__ import annotations

import numpy as np

from .. import data, nn, optim
from ..train import fit
from ._base import Table, fixed_linear, floats, returns_result

SUMMARY = "a sigmoid neuron with BCE: dL/dw = -(y - ŷ) x next to autograd, then gradient descent"
WEIGHTS, BIAS = (0.3, 0.6), 0.1
EXAMPLE, TARGET = (0.5, 1.5), 1.0
ALPHA = 0.5
EPOCHS = 60


def neuron(weights=WEIGHTS, bias=BIAS) -> nn.Sequential:
    return nn.Sequential(fixed_linear(np.reshape(weights, (2, 1)), [bias]), nn.Sigmoid())


def _one_example() -> dict:
    """The course's formulas and autograd on one example, then one SGD step."""
    net = neuron()
    x, y = np.array([EXAMPLE]), np.array([[TARGET]])
    y_hat = net(x)
    nn.BCELoss()(y_hat, y).backward()
    p = float(y_hat.item())
    x1, x2 = EXAMPLE
    dl_dyhat = -(TARGET - p) / (p * (1 - p))
    rows = []
    for symbol, local, formula, grad in (
            ("w1", x1, -(TARGET - p) * x1, net[0].weight.grad[0, 0]),
            ("w2", x2, -(TARGET - p) * x2, net[0].weight.grad[1, 0]),
            ("b", 1.0, -(TARGET - p), net[0].bias.grad[0])):
        rows.append({"parameter": symbol, "dL/dyhat": dl_dyhat,
                     "dyhat/dparam": p * (1 - p) * local, "formula": formula,
                     "autograd": float(grad)})
    course_w1 = WEIGHTS[0] - ALPHA * (-x1 * (TARGET - p))
    optim.SGD(net.parameters(), lr=ALPHA).step()
    return {"x": list(EXAMPLE), "y": TARGET, "y_hat": p, "gradients": rows,
            "step": {"alpha": ALPHA, "course_w1": course_w1,
                     "sgd_w1": float(net[0].weight.data[0, 0])}}


def _training() -> dict:
    X, y = data.gaussians(80, noise=0.5, seed=0)
    net = neuron((0.0, 0.0), 0.0)
    history = fit(net, X.astype(np.float64), y, loss="bce", batch_size="full", epochs=EPOCHS,
                  optimizer=optim.SGD(net.parameters(), lr=ALPHA), verbose=0, seed=0)
    return {"X": floats(X), "y": y.tolist(), "loss": history.history["loss"],
            "accuracy": history.history["accuracy"],
            "weights": floats(net[0].weight.data[:, 0]), "bias": float(net[0].bias.data[0])}


@returns_result
def run() -> dict:
    return {"example": _one_example(), "training": _training()}


def tables(result: dict) -> list:
    ex, train = result["example"], result["training"]
    rows = [[g["parameter"], g["dL/dyhat"], g["dyhat/dparam"], g["formula"], g["autograd"]]
            for g in ex["gradients"]]
    step = ex["step"]
    w1, w2 = train["weights"]
    return [
        Table(f"One example x = ({ex['x'][0]:g}, {ex['x'][1]:g}), y = {ex['y']:g}, weights "
              f"w1 = {WEIGHTS[0]}, w2 = {WEIGHTS[1]}, b = {BIAS}: ŷ = {ex['y_hat']:.6f}",
              ["θ", "dL/dŷ", "dŷ/dθ", "formula -(y-ŷ)·x", "autograd"], rows, digits=6,
              note=(f"One step with α = {step['alpha']}: the course's w1 - α(-x1(y - ŷ)) = "
                    f"{step['course_w1']:.6f}; optim.SGD gives {step['sgd_w1']:.6f}.")),
        Table(f"Gradient descent on two Gaussian blobs (batch GD, α = {ALPHA}, from zeros)",
              ["epoch", "loss", "accuracy"],
              [[e, train["loss"][e - 1], train["accuracy"][e - 1]]
               for e in (1, 2, 5, 10, 20, 40, EPOCHS)],
              note=(f"Learned boundary: {w1:.3f} x1 {w2:+.3f} x2 {train['bias']:+.3f} = 0 "
                    "(where ŷ = 0.5), a straight line.")),
    ]


def plot(result: dict):
    from ..viz import decision_boundary
    from ._plots import curves, grid

    train = result["training"]
    figure, axes = grid(1, 2, width=5.0, title="a sigmoid neuron learns a straight boundary")
    curves(axes[0, 0], {"loss": train["loss"]}, "epoch", "BCE loss", "training loss")
    net = neuron(train["weights"], train["bias"])
    decision_boundary(net, np.array(train["X"]), np.array(train["y"]), ax=axes[0, 1],
                      title="decision boundary ŷ = 0.5")
    return figure
