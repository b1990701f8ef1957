"""The derivative of the sigmoid, three ways: the course's formula, finite differences, autograd.

The course derives, step by step from σ(z) = (1 + e^(-z))^(-1),

    σ'(z) = e^(-z) / (1 + e^(-z))²  =  σ(z)(1 - σ(z)).

This lesson evaluates both forms of the formula, the central difference
(σ(z + h) - σ(z - h)) / 2h, and the gradient that autograd returns for the engine's sigmoid
op, on a few points. They agree; σ' peaks at 0.25 for z = 0 and fades to 0 for large |z|, the
root of the vanishing gradient.
"""

from __future__ import annotations

import numpy as np

from .. import tensor
from ._base import Table, floats, returns_result

SUMMARY = "σ'(z) = σ(z)(1 - σ(z)) next to finite differences and autograd; plot of σ and σ'"
POINTS = (-6.0, -4.0, -2.0, -1.0, 0.0, 1.0, 2.0, 4.0, 6.0)
STEP = 1e-5


@returns_result
def run() -> dict:
    z = tensor(POINTS, dtype="float64", requires_grad=True)
    s = z.sigmoid()
    s.sum().backward()
    sigma = s.data
    e = np.exp(-z.data)
    with_exp = e / (1 + e) ** 2
    product_form = sigma * (1 - sigma)
    upper = tensor(z.data + STEP, dtype="float64").sigmoid().data
    lower = tensor(z.data - STEP, dtype="float64").sigmoid().data
    finite = (upper - lower) / (2 * STEP)
    return {"z": list(POINTS), "sigma": floats(sigma), "exp_form": floats(with_exp),
            "formula": floats(product_form), "finite_difference": floats(finite),
            "autograd": floats(z.grad), "step": STEP,
            "max_difference": float(np.max(np.abs(product_form - z.grad)))}


def tables(result: dict) -> list:
    keys = ("sigma", "exp_form", "formula", "finite_difference", "autograd")
    rows = [[z, *(result[key][k] for key in keys)] for k, z in enumerate(result["z"])]
    return [Table(
        "σ'(z): the course's two forms of the formula, finite differences and autograd",
        ["z", "σ(z)", "e^-z/(1+e^-z)²", "σ(z)(1-σ(z))", f"finite diff (h={result['step']:g})",
         "autograd"],
        rows, digits=6,
        note=(f"Largest |formula - autograd| = {result['max_difference']:.1e}. σ' is largest at "
              "z = 0 (0.25) and tiny for large |z|: a saturated sigmoid passes almost no "
              "gradient back."),
    )]


def plot(result: dict):
    from ..viz import activation_plot

    figure = activation_plot("sigmoid", low=-8, high=8)
    ax = figure.axes[0]
    ax.scatter(result["z"], result["formula"], color="tab:red", zorder=3,
               label="σ(z)(1-σ(z)) at the table's points")
    ax.set(title="σ(z) and σ'(z) = σ(z)(1 - σ(z))")
    ax.legend(fontsize=8)
    return figure
