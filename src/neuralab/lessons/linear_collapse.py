"""Without activation functions, depth buys nothing: linear layers collapse into one.

The course's example: a first layer a1 = 3x + 1 (W1 = [3], b1 = [1]) and a second
a2 = 2 a1 - 1 (W2 = [2], b2 = [-1]) compute 2(3x + 1) - 1 = 6x + 1, a single linear map with
W = W1 W2 = 6 and b = b1 W2 + b2 = 1. The lesson runs the two-layer network on a few inputs
next to 6x + 1, computes the collapsed W and b from the layers' own tensors, and then trains
two networks of the same depth on XOR: with identity activations (a linear model however deep)
it cannot get all four points right; with tanh it can.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from .. import data, nn, optim
from ..train import fit
from ._base import Table, fixed_linear, floats, returns_result

SUMMARY = "3x + 1 then 2a - 1 is 6x + 1; a deep linear network cannot fit XOR, tanh can"
POINTS = (-2.0, -1.0, 0.0, 0.5, 1.0, 2.0)
SIZES = [2, 8, 8, 1]
EPOCHS = 300


def two_layers() -> nn.Sequential:
    """The course's two linear layers: 3x + 1, then 2a - 1."""
    return nn.Sequential(fixed_linear([[3.0]], [1.0]), fixed_linear([[2.0]], [-1.0]))


def _collapse() -> dict:
    net = two_layers()
    x = np.reshape(POINTS, (-1, 1))
    first, second = net[0], net[1]
    weight = (first.weight @ second.weight).item()
    bias = (first.bias @ second.weight + second.bias).item()
    return {"x": list(POINTS), "a1": floats(first(x).data[:, 0]),
            "a2": floats(net(x).data[:, 0]), "six_x_plus_one": [6 * v + 1 for v in POINTS],
            "weight": weight, "bias": bias}


def _xor_fit(activation: str, seed: int = 0) -> dict:
    X, y = data.gates("xor")
    net = nn.MLP(SIZES, activation=activation, seed=seed)
    history = fit(net, X, y, loss="bce_with_logits", epochs=EPOCHS, batch_size="full",
                  optimizer=optim.Adam(net.parameters(), lr=0.05), verbose=0)
    return {"activation": activation, "loss": history.history["loss"],
            "accuracy": history.history["accuracy"][-1],
            "p": floats(expit(net(X).data[:, 0].astype(np.float64))),
            "state": {k: floats(v) for k, v in net.state_dict().items()}}


@returns_result
def run() -> dict:
    return {"collapse": _collapse(),
            "xor": {name: _xor_fit(name) for name in ("identity", "tanh")}}


def rebuild(fitted: dict) -> nn.MLP:
    """The trained XOR network of :func:`run` from its saved weights."""
    net = nn.MLP(SIZES, activation=fitted["activation"], seed=0)
    net.load_state_dict({k: np.array(v) for k, v in fitted["state"].items()})
    return net


def tables(result: dict) -> list:
    c = result["collapse"]
    rows = [[x, a1, a2, six] for x, a1, a2, six in
            zip(c["x"], c["a1"], c["a2"], c["six_x_plus_one"], strict=True)]
    xor_rows = [[name, " x ".join(map(str, SIZES)), r["loss"][-1], r["accuracy"],
                 " ".join(f"{p:.2f}" for p in r["p"])] for name, r in result["xor"].items()]
    return [
        Table("Two linear layers: a1 = 3x + 1, a2 = 2 a1 - 1", ["x", "a1", "a2", "6x + 1"], rows,
              note=(f"Collapsed from the layers' tensors: W = W1 W2 = {c['weight']:g}, "
                    f"b = b1 W2 + b2 = {c['bias']:g}, i.e. a2 = {c['weight']:g}x + "
                    f"{c['bias']:g}.")),
        Table(f"XOR with the same depth, Adam, {EPOCHS} epochs",
              ["activation", "network", "final loss", "accuracy", "P(1) for 00 01 10 11"],
              xor_rows,
              note=("The linear network is one linear map in disguise, and no straight line "
                    "separates XOR: its best is to answer P(1) = 0.5 for every input (loss "
                    "ln 2 = 0.693), so its accuracy is decided by rounding noise around 0.5. "
                    "The tanh network bends the boundary and gets all four.")),
    ]


def plot(result: dict):
    """Left: the two layers against 6x + 1. Middle: the linear network's P(1) on the four XOR
    inputs, 0.5 everywhere (a decision-boundary plot of a constant 0.5 would only draw
    rounding noise). Right: the tanh network's decision boundary."""
    from ..viz import decision_boundary
    from ._plots import grid

    figure, axes = grid(1, 3, width=4.2, title="linear layers collapse; a non-linearity helps")
    c = result["collapse"]
    axes[0, 0].plot(c["x"], c["a2"], "o", label="network 2(3x + 1) - 1")
    axes[0, 0].plot(c["x"], c["six_x_plus_one"], "-", label="6x + 1")
    axes[0, 0].set(xlabel="x", title="two linear layers = one")
    axes[0, 0].legend(fontsize=8)
    X, y = data.gates("xor")
    linear, tanh = result["xor"]["identity"], result["xor"]["tanh"]
    labels = ["00", "01", "10", "11"]
    ax = axes[0, 1]
    ax.bar(labels, linear["p"], color="tab:gray", label="P(1), linear network")
    ax.scatter(labels, y, color="tab:red", zorder=3, label="XOR target")
    ax.axhline(0.5, color="k", linestyle=":", linewidth=1)
    ax.set(xlabel="input x1 x2", ylabel="P(class 1)", ylim=(-0.05, 1.3), yticks=[0, 0.5, 1],
           title="XOR, identity activations: P = 0.50 for all")
    ax.legend(fontsize=8, loc="upper center", ncol=2)
    decision_boundary(rebuild(tanh), X, y, ax=axes[0, 2],
                      title=f"XOR, tanh activations: accuracy {tanh['accuracy']:.2f}")
    return figure
