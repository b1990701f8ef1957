"""Do I go hiking this weekend? The course's perceptron and sigmoid neuron on every input.

Three yes/no inputs: x1 the weather is good, x2 the trail is in good condition, x3 I feel fit.

* The perceptron (Pete) weighs them 3, 1 and 5 and goes when the weighted sum exceeds a
  threshold. The course does not state the threshold; this lesson uses **5**: feeling fit
  (weight 5) is necessary but not enough on its own, one more good reason is needed. For the
  course's example x = (1, 1, 0) (good weather and trail, but tired) the sum is 3 + 1 = 4 <= 5:
  Pete stays home.
* The sigmoid neuron (Shredder) weighs them 0.3, 0.6 and 0.1 with no bias (the course shows
  none) and answers with a degree of willingness σ(0.3 x1 + 0.6 x2 + 0.1 x3) in (0, 1) instead
  of a hard yes/no.

Both are built from the engine's layers: a Linear with the course's weights followed by Step or
Sigmoid.
"""

from __future__ import annotations

from itertools import product

import numpy as np

from .. import nn
from ._base import Table, fixed_linear, floats, returns_result

SUMMARY = ("the hiking perceptron (weights 3, 1, 5; threshold 5) and the sigmoid neuron "
           "(0.3, 0.6, 0.1) on all 8 inputs")
FEATURES = ("weather", "trail", "fitness")
PERCEPTRON_WEIGHTS = (3.0, 1.0, 5.0)
THRESHOLD = 5.0
NEURON_WEIGHTS = (0.3, 0.6, 0.1)
NEURON_BIAS = 0.0


def perceptron() -> nn.Sequential:
    """Step(x W - threshold): fires when 3 x1 + 1 x2 + 5 x3 > 5."""
    return nn.Sequential(fixed_linear(np.reshape(PERCEPTRON_WEIGHTS, (3, 1)), [-THRESHOLD]),
                         nn.Step())


def neuron() -> nn.Sequential:
    """σ(0.3 x1 + 0.6 x2 + 0.1 x3)."""
    return nn.Sequential(fixed_linear(np.reshape(NEURON_WEIGHTS, (3, 1)), [NEURON_BIAS]),
                         nn.Sigmoid())


@returns_result
def run() -> dict:
    """Both units on the 8 combinations of the three inputs."""
    X = np.array(list(product([0.0, 1.0], repeat=3)))
    pete, shredder = perceptron(), neuron()
    sums = pete[0](X).data[:, 0] + THRESHOLD
    go = pete(X).data[:, 0]
    willingness = shredder(X).data[:, 0]
    rows = [{"x": floats(x), "weighted_sum": float(s), "go": int(g),
             "neuron_sum": float(x @ np.array(NEURON_WEIGHTS)), "neuron_output": float(p)}
            for x, s, g, p in zip(X, sums, go, willingness, strict=True)]
    example = next(row for row in rows if row["x"] == [1.0, 1.0, 0.0])
    return {"perceptron": {"weights": list(PERCEPTRON_WEIGHTS), "threshold": THRESHOLD},
            "neuron": {"weights": list(NEURON_WEIGHTS), "bias": NEURON_BIAS},
            "rows": rows, "course_example": example}


def tables(result: dict) -> list:
    rows = [[*[int(v) for v in row["x"]], row["weighted_sum"],
             "go" if row["go"] else "stay", row["neuron_sum"], row["neuron_output"]]
            for row in result["rows"]]
    example = result["course_example"]
    return [Table(
        "Do I go hiking? Perceptron: go if 3 x1 + 1 x2 + 5 x3 > 5 (threshold chosen: 5); "
        "neuron: σ(0.3 x1 + 0.6 x2 + 0.1 x3)",
        ["weather", "trail", "fitness", "Σ w x", "perceptron", "Σ w x (neuron)", "σ"],
        rows,
        note=(f"Course example x = (1, 1, 0): sum {example['weighted_sum']:g} <= 5, the "
              f"perceptron says stay; the neuron gives σ({example['neuron_sum']:.1f}) = "
              f"{example['neuron_output']:.4f}, a degree rather than a yes/no."),
    )]


def plot(result: dict):
    from ._plots import grid

    figure, axes = grid(1, 2, width=5.2, title="hiking: perceptron and sigmoid neuron")
    labels = ["".join(str(int(v)) for v in row["x"]) for row in result["rows"]]
    sums = [row["weighted_sum"] for row in result["rows"]]
    colors = ["tab:green" if row["go"] else "tab:gray" for row in result["rows"]]
    axes[0, 0].bar(labels, sums, color=colors)
    axes[0, 0].axhline(result["perceptron"]["threshold"], color="red", linestyle="--",
                       label="threshold")
    axes[0, 0].set(xlabel="inputs (weather, trail, fitness)", ylabel="3 x1 + x2 + 5 x3",
                   title="perceptron: green = go")
    axes[0, 0].legend()
    axes[0, 1].bar(labels, [row["neuron_output"] for row in result["rows"]], color="tab:blue")
    axes[0, 1].set(xlabel="inputs (weather, trail, fitness)", ylabel="σ(w·x)", ylim=(0, 1),
                   title="sigmoid neuron: willingness")
    return figure
