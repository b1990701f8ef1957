"""Logic gates as neurons and small networks: the course's weights, truth tables, XOR, XNOR.

With inputs in {0, 1} a sigmoid unit with large weights acts as a gate, because σ(z) is
practically 0 for z <= -10 and practically 1 for z >= 10:

* OR (course): ŷ = σ(40 x1 + 40 x2 - 30): σ(-30) ≈ 0, σ(10) ≈ 1, σ(10) ≈ 1, σ(50) ≈ 1.
* NOT (course): ŷ = σ(-20 x1 + 10).
* AND: the course draws it without numbers; this lesson uses the standard
  ŷ = σ(20 x1 + 20 x2 - 30) (σ(-30), σ(-10), σ(-10), σ(10)).
* XOR cannot be one unit (no line separates its classes). The course's network of step units
  has all weights 1 except four, whose values it shows only in a figure; this lesson uses the
  classic ones: hidden h1 = step(x1 + x2 - 1.5) (AND), h2 = step(x1 + x2 - 0.5) (OR), output
  step(-1·h1 + h2 - 0.5) — the four weights are the biases -1.5, -0.5, -0.5 and the weight -1.
* XNOR (the course's exercise) = OR of a1 = x1 AND x2 and a2 = (NOT x1) AND (NOT x2):
  a1 = σ(20 x1 + 20 x2 - 30), a2 = σ(-20 x1 - 20 x2 + 10), ŷ = σ(40 a1 + 40 a2 - 30) with the
  course's OR unit. Rounded, the table is the course's: a1 = 0 0 0 1, a2 = 1 0 0 0,
  ŷ = 1 0 0 1.
* The half adder: sum = x1 XOR x2, carry = x1 AND x2, one 2-2-2 step network sharing the
  hidden AND and OR units.

Then the same gates are learned by gradient descent from random weights (a single sigmoid
neuron for AND, OR, NAND and NOT; a 2-4-1 tanh network for XOR and XNOR), and by the
perceptron learning rule, which learns AND and OR but never XOR.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import data, nn, optim
from ..perceptron import Perceptron
from ..train import fit
from ._base import Table, fixed_linear, floats, near_bit, returns_result

SUMMARY = ("AND, OR σ(40x1 + 40x2 - 30), NOT σ(-20x1 + 10), XOR from step units, XNOR, the "
           "half adder, then the gates learned")
INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
#: (weights, bias) of the sigmoid gates; OR and NOT are the course's, AND the standard choice
UNITS = {
    "and": ((20.0, 20.0), -30.0),
    "or": ((40.0, 40.0), -30.0),
    "not": ((-20.0,), 10.0),
    "nor_inputs": ((-20.0, -20.0), 10.0),  # (NOT x1) AND (NOT x2)
}


def unit(name: str) -> nn.Sequential:
    """The sigmoid gate ``name`` as σ(x W + b)."""
    weights, bias = UNITS[name]
    return nn.Sequential(fixed_linear(np.reshape(weights, (-1, 1)), [bias]), nn.Sigmoid())


def xor_network() -> nn.Sequential:
    """The step-unit XOR network: all weights 1 except the biases -1.5, -0.5, -0.5 and h1's -1."""
    return nn.Sequential(fixed_linear([[1.0, 1.0], [1.0, 1.0]], [-1.5, -0.5]), nn.Step(),
                         fixed_linear([[-1.0], [1.0]], [-0.5]), nn.Step())


def xnor_network() -> nn.Sequential:
    """a1 = AND, a2 = (NOT x1) AND (NOT x2), ŷ = a1 OR a2 with the course's OR weights."""
    (w_and, b_and), (w_nor, b_nor) = UNITS["and"], UNITS["nor_inputs"]
    (w_or, b_or) = UNITS["or"]
    hidden = fixed_linear(np.column_stack([w_and, w_nor]), [b_and, b_nor])
    return nn.Sequential(hidden, nn.Sigmoid(), fixed_linear(np.reshape(w_or, (2, 1)), [b_or]),
                         nn.Sigmoid())


def half_adder_network() -> nn.Sequential:
    """Hidden AND and OR step units; outputs sum = step(-h1 + h2 - 0.5), carry = step(h1 - 0.5)."""
    return nn.Sequential(fixed_linear([[1.0, 1.0], [1.0, 1.0]], [-1.5, -0.5]), nn.Step(),
                         fixed_linear([[-1.0, 1.0], [1.0, 0.0]], [-0.5, -0.5]), nn.Step())


def _complement(z) -> list:
    """1 - σ(z) as σ(-z), by the engine's sigmoid: exact even where σ(z) rounds to 1."""
    return floats((-z).sigmoid().data)


def _sigmoid_gates() -> dict:
    tables = {}
    for name in ("and", "or", "not"):
        net = unit(name)
        X = INPUTS if name != "not" else np.array([[0.0], [1.0]])
        z = net[0](X)
        tables[name] = {"x": floats(X), "z": floats(z.data[:, 0]),
                        "y_hat": floats(net(X).data[:, 0]),
                        "one_minus_y_hat": _complement(z[:, 0])}
    return tables


def _xnor() -> dict:
    net = xnor_network()
    z_hidden = net[0](INPUTS)
    hidden = net[1](z_hidden)
    z_out = net[2](hidden)
    return {"x": floats(INPUTS), "a1": floats(hidden.data[:, 0]),
            "a2": floats(hidden.data[:, 1]), "y_hat": floats(net[3](z_out).data[:, 0]),
            "one_minus": {"a1": _complement(z_hidden[:, 0]), "a2": _complement(z_hidden[:, 1]),
                          "y_hat": _complement(z_out[:, 0])}}


def _step_networks() -> dict:
    xor, adder = xor_network(), half_adder_network()
    hidden = xor[1](xor[0](INPUTS)).data
    outputs = adder(INPUTS).data
    return {"xor": {"h1": floats(hidden[:, 0]), "h2": floats(hidden[:, 1]),
                    "y_hat": floats(xor(INPUTS).data[:, 0])},
            "half_adder": {"sum": floats(outputs[:, 0]), "carry": floats(outputs[:, 1])}}


def _learned(seed: int = 0) -> dict:
    """Each gate learned from random weights by gradient descent (batch GD, BCE)."""
    learned = {}
    for name in ("and", "or", "nand", "not", "xor", "xnor"):
        X, y = data.gates(name)
        if name in ("xor", "xnor"):
            net = nn.MLP([2, 4, 1], activation="tanh", output="sigmoid", seed=seed)
            lr, epochs = 1.0, 500
        else:
            net = nn.MLP([X.shape[1], 1], output="sigmoid", seed=seed)
            lr, epochs = 2.0, 300
        history = fit(net, X, y, loss="bce", optimizer=optim.SGD(net.parameters(), lr=lr),
                      epochs=epochs, batch_size="full", verbose=0)
        learned[name] = {"network": "x".join(str(s) for s in net.sizes), "lr": lr,
                         "epochs": epochs, "loss": history.history["loss"][-1],
                         "y_hat": floats(net(X).data[:, 0]), "target": floats(y)}
    return learned


def _perceptrons() -> dict:
    results = {}
    for name in ("and", "or", "xor"):
        X, y = data.gates(name)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            p = Perceptron().fit(X, y)
        results[name] = {"converged": bool(p.converged_), "epochs": p.n_epochs_,
                         "weights": floats(p.weights_), "bias": float(p.bias_),
                         "predictions": p.predict(X).tolist(),
                         "warning": str(caught[0].message) if caught else ""}
    return results


@returns_result
def run() -> dict:
    return {"sigmoid_gates": _sigmoid_gates(), "xnor": _xnor(), **_step_networks(),
            "learned": _learned(), "perceptron": _perceptrons()}


def _bits(values) -> str:
    return " ".join(str(round(v)) for v in values)


def tables(result: dict) -> list:
    gates = result["sigmoid_gates"]
    out = []
    for name, formula in (("and", "σ(20x1 + 20x2 - 30) (weights chosen)"),
                          ("or", "σ(40x1 + 40x2 - 30) (course)"),
                          ("not", "σ(-20x1 + 10) (course)")):
        table = gates[name]
        rows = [[*[int(v) for v in x], f"σ({z:g})", near_bit(p, q), round(p)]
                for x, z, p, q in zip(table["x"], table["z"], table["y_hat"],
                                      table["one_minus_y_hat"], strict=True)]
        columns = [*["x1", "x2"][:len(table["x"][0])], "z", "ŷ", "rounded"]
        note = ("ŷ within 0.001 of 0 or 1 is written as its distance to that bit: σ(-10) = "
                "4.54e-05, σ(10) = 1 - 4.54e-05." if name == "and" else "")
        out.append(Table(f"{name.upper()}: ŷ = {formula}", columns, rows, note=note))
    xor = result["xor"]
    out.append(Table(
        "XOR from step units: h1 = step(x1 + x2 - 1.5), h2 = step(x1 + x2 - 0.5), "
        "ŷ = step(-h1 + h2 - 0.5)",
        ["x1", "x2", "h1 (AND)", "h2 (OR)", "ŷ"],
        [[*map(int, x), int(h1), int(h2), int(p)] for x, h1, h2, p in
         zip(INPUTS, xor["h1"], xor["h2"], xor["y_hat"], strict=True)]))
    xnor = result["xnor"]
    cells = {key: [near_bit(p, q) for p, q in zip(xnor[key], xnor["one_minus"][key],
                                                   strict=True)] for key in ("a1", "a2", "y_hat")}
    out.append(Table(
        "XNOR: a1 = x1 AND x2, a2 = (NOT x1) AND (NOT x2), ŷ = a1 OR a2 (course's OR unit)",
        ["x1", "x2", "a1", "a2", "ŷ", "rounded a1 a2 ŷ"],
        [[*map(int, x), c1, c2, cp, f"{round(a1)} {round(a2)} {round(p)}"]
         for x, a1, a2, p, c1, c2, cp in zip(INPUTS, xnor["a1"], xnor["a2"], xnor["y_hat"],
                                              cells["a1"], cells["a2"], cells["y_hat"],
                                              strict=True)],
        note=("Outputs within 0.001 of 0 or 1 are written as their distance to that bit: "
              "4.54e-05 is σ(-10), 1 - 4.54e-05 is σ(10).")))
    adder = result["half_adder"]
    out.append(Table("Half adder: sum = x1 XOR x2, carry = x1 AND x2 (one step network)",
                     ["x1", "x2", "sum", "carry"],
                     [[*map(int, x), int(s), int(c)] for x, s, c in
                      zip(INPUTS, adder["sum"], adder["carry"], strict=True)]))
    out.append(Table(
        "Learned by gradient descent from random weights (batch GD, BCE)",
        ["gate", "network", "epochs", "loss", "ŷ rounded", "target"],
        [[name.upper(), r["network"], r["epochs"], r["loss"], _bits(r["y_hat"]),
          _bits(r["target"])] for name, r in result["learned"].items()]))
    perceptron = result["perceptron"]
    out.append(Table(
        "Perceptron learning rule (w += (y - ŷ) x, lr 1, at most 100 epochs)",
        ["gate", "converged", "epochs", "weights", "bias", "predictions"],
        [[name.upper(), r["converged"], r["epochs"], str(r["weights"]), r["bias"],
          _bits(r["predictions"])] for name, r in perceptron.items()],
        note=perceptron["xor"]["warning"]))
    return out


def plot(result: dict):
    from ._plots import grid

    figure, axes = grid(2, 3, width=3.6, height=3.2, title="gates learned by gradient descent")
    labels = ["00", "01", "10", "11"]
    for ax, (name, r) in zip(axes.ravel(), result["learned"].items(), strict=True):
        x = labels if len(r["target"]) == 4 else ["0", "1"]
        ax.bar(x, r["y_hat"], color="tab:blue", label="ŷ")
        ax.scatter(x, r["target"], color="tab:red", zorder=3, label="target")
        ax.set(title=f"{name.upper()} ({r['network']})", ylim=(-0.05, 1.05))
        ax.legend(fontsize=7)
    return figure
