"""Backpropagation through the course's 2-2-1 network, one local derivative at a time.

    z1 = x1 w11 + x2 w21 + b1,  a1 = σ(z1)      z2 = x1 w12 + x2 w22 + b2,  a2 = σ(z2)
    z = a1 w1 + a2 w2 + b,      ŷ = σ(z)        L = -y log ŷ - (1 - y) log(1 - ŷ)

For every weight and bias the lesson prints the chain, e.g.

    dL/dw11 = dz1/dw11 · da1/dz1 · dz/da1 · dŷ/dz · dL/dŷ
            = x1 · a1(1 - a1) · w1 · ŷ(1 - ŷ) · -(y - ŷ)/(ŷ(1 - ŷ))

with each factor's number, their product, the course's simplified form
(-x1 w1 a1(1 - a1)(y - ŷ)) and the gradient autograd computes for the same network: all
agree (to about 1e-16, in float64).

The course leaves the weights open; this lesson uses a hand-set network that computes XOR:
a1 ≈ x1 OR x2 (w11 = w21 = 4, b1 = -2), a2 ≈ x1 AND x2 (w12 = w22 = 4, b2 = -6) and
ŷ ≈ a1 AND NOT a2 (w1 = 5, w2 = -5, b = -2). Its units are not saturated, so every factor is
visible. The example is x = (1, 0) with target y = 1.
"""

from __future__ import annotations

import numpy as np

from .. import nn, optim
from ..explain import trace
from ._base import Table, fixed_linear, floats, returns_result

SUMMARY = "the 2-2-1 network's chain rule, factor by factor, next to autograd"
HIDDEN_WEIGHTS = ((4.0, 4.0), (4.0, 4.0))  # rows: x1, x2; columns: units 1, 2 (w11 w12; w21 w22)
HIDDEN_BIAS = (-2.0, -6.0)
OUTPUT_WEIGHTS = (5.0, -5.0)
OUTPUT_BIAS = -2.0
EXAMPLE, TARGET = (1.0, 0.0), 1.0
ALPHA = 0.5


def network() -> nn.Sequential:
    """The 2-2-1 sigmoid network with the lesson's XOR weights (float64)."""
    return nn.Sequential(fixed_linear(HIDDEN_WEIGHTS, HIDDEN_BIAS), nn.Sigmoid(),
                         fixed_linear(np.reshape(OUTPUT_WEIGHTS, (2, 1)), [OUTPUT_BIAS]),
                         nn.Sigmoid())


def _simplified(symbol: str, values: dict, y: float) -> float:
    """The course's simplified gradient, after ŷ(1 - ŷ) cancels, e.g. -x1 w1 a1(1-a1)(y-ŷ)."""
    error = -(y - values["ŷ"])
    if symbol == "b":
        return error
    if symbol in ("w1", "w2"):
        return error * values[f"a{symbol[1]}"]
    unit = symbol[-1]
    w_out = OUTPUT_WEIGHTS[int(unit) - 1]
    a = values[f"a{unit}"]
    local = 1.0 if symbol.startswith("b") else values[f"x{symbol[1]}"]
    return error * local * w_out * a * (1 - a)


@returns_result
def run() -> dict:
    net = network()
    result = trace(net, EXAMPLE, TARGET).to_dict()
    values = {s: v for step in result["forward"]
              for s, v in zip(step["symbols"], step["values"], strict=True)}
    for row in result["parameters"]:
        row["simplified"] = _simplified(row["symbol"], values, TARGET)
    w11 = next(row for row in result["parameters"] if row["symbol"] == "w11")
    course_w11 = HIDDEN_WEIGHTS[0][0] - ALPHA * w11["product"]
    loss = nn.BCELoss()(net(np.array([EXAMPLE])), np.array([[TARGET]]))
    loss.backward()
    optim.SGD(net.parameters(), lr=ALPHA).step()
    result["step"] = {"alpha": ALPHA, "course_w11": course_w11,
                      "sgd_w11": float(net[0].weight.data[0, 0])}
    result["xor"] = floats(network()(np.array([[0, 0], [0, 1], [1, 0], [1, 1]])).data[:, 0])
    return result


def tables(result: dict) -> list:
    forward = [[step["kind"], ", ".join(f"{s} = {v:.6g}" for s, v in
                                         zip(step["symbols"], step["values"], strict=True))]
               for step in result["forward"]]
    forward.append(["loss", f"L = {result['loss']['value']:.6g} (target y = "
                            f"{result['target'][0]:g})"])
    chains = []
    for row in result["parameters"]:
        chains.append([row["symbol"], " · ".join(f["symbol"] for f in row["factors"]),
                       " · ".join(f"{f['value']:.4g}" for f in row["factors"]),
                       row["product"], row["simplified"], row["autograd"]])
    step = result["step"]
    xor = ", ".join(f"{v:.3f}" for v in result["xor"])
    return [
        Table("Forward pass of the 2-2-1 network on x = (1, 0)", ["step", "values"], forward,
              note=f"On the four XOR inputs (00, 01, 10, 11) the network gives ŷ = {xor}."),
        Table("Backward pass: dL/dθ as a product of local derivatives",
              ["θ", "chain", "factors", "product", "simplified", "autograd"], chains, digits=8,
              note=("Factor formulas: dz1/dw11 = x1, da1/dz1 = a1(1-a1), dz/da1 = w1, "
                    "dŷ/dz = ŷ(1-ŷ), dL/dŷ = -(y-ŷ)/(ŷ(1-ŷ)); the last two cancel to -(y-ŷ).\n"
                    f"Largest |product - autograd| = {result['max_error']:.1e}. One step with "
                    f"α = {step['alpha']}: w11 - α dL/dw11 = {step['course_w11']:.8f}, "
                    f"optim.SGD gives {step['sgd_w11']:.8f}.")),
    ]


def plot(result: dict):
    from ._plots import grid

    figure, axes = grid(1, 1, width=7.0, height=3.8)
    ax = axes[0, 0]
    symbols = [row["symbol"] for row in result["parameters"]]
    index = np.arange(len(symbols))
    ax.bar(index - 0.2, [row["product"] for row in result["parameters"]], 0.4,
           label="product of the chain")
    ax.bar(index + 0.2, [row["autograd"] for row in result["parameters"]], 0.4,
           label="autograd")
    ax.set_xticks(index, symbols)
    ax.axhline(0, color="gray", linewidth=0.5)
    ax.set(ylabel="dL/dθ", title="2-2-1 network on x = (1, 0), y = 1: chain rule = autograd")
    ax.legend()
    return figure
