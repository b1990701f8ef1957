"""Derivatives by hand: σ'(z), dL/dŷ of binary cross-entropy, the neuron's three gradients, the
2-2-1 chain for w11, a chain of three sigmoid units, and a ReLU unit's gradient.

Every truth is computed by autograd on the engine's own ops, in float64.
"""

from __future__ import annotations

import numpy as np

from .. import functional as F
from .. import tensor
from ._base import (
    Exercise,
    Verdict,
    call,
    close,
    first_difference,
    first_wrong_case,
    function,
    how_wrong,
    numbers,
)

SIGMOID_POINTS = (-6.0, -2.0, -0.5, 0.0, 0.5, 2.0, 6.0)


def _sigmoid_slope(z: float) -> float:
    t = tensor(z, dtype="float64", requires_grad=True)
    t.sigmoid().backward()
    return float(t.grad)


def _grade_sigmoid_prime(answer) -> Verdict:
    fn = function(answer, "sigmoid_prime")
    wrong = first_wrong_case(fn, [(z,) for z in SIGMOID_POINTS], _sigmoid_slope,
                             lambda z: f"z = {z:g}")
    if wrong:
        where, got, want, (z,) = wrong
        sigma = float(tensor(z, dtype="float64").sigmoid().data)
        hint = ("That is σ(z) itself, not its slope." if close(got, sigma) else
                "Write σ(z) = (1 + e^(-z))^(-1) and use the chain rule: the power rule for "
                "the outside, then the derivative of 1 + e^(-z). Then rewrite the result with "
                "σ(z) alone.")
        return Verdict(False, f"At {where} your sigmoid_prime {how_wrong(got, want)}.", hint)
    points = ", ".join(f"{z:g}" for z in SIGMOID_POINTS)
    return Verdict(True, f"Your σ'(z) equals autograd's gradient of the sigmoid at all "
                         f"{len(SIGMOID_POINTS)} points z = {points}.")


SIGMOID = Exercise(
    name="sigmoid-derivative", title="the derivative of the sigmoid", lesson="sigmoid-derivative",
    task=("Write sigmoid_prime(z) that returns dσ/dz for σ(z) = 1 / (1 + e^(-z)), for one number "
          "z. Derive it by hand first (the course writes σ(z) = (1 + e^(-z))^(-1) and applies "
          "the chain rule), then simplify it until only σ(z) appears."),
    answer="sigmoid_prime",
    template=("import math\n\n\ndef sigmoid_prime(z):\n    \"\"\"dσ/dz at z.\"\"\"\n"
              "    raise NotImplementedError  # your formula here\n"),
    hints=["d/dz (1 + e^(-z))^(-1) = -1 · (1 + e^(-z))^(-2) · d/dz (1 + e^(-z)).",
           "e^(-z) / (1 + e^(-z))² can be split into 1/(1 + e^(-z)) - 1/(1 + e^(-z))².",
           "The slope is largest at z = 0 and the same at z and -z."],
    grader=_grade_sigmoid_prime,
)

BCE_CASES = ((1.0, 0.2), (1.0, 0.7), (0.0, 0.2), (0.0, 0.9), (1.0, 0.5))


def _bce_slope(y: float, y_hat: float) -> float:
    p = tensor([y_hat], dtype="float64", requires_grad=True)
    F.binary_cross_entropy(p, tensor([y], dtype="float64")).backward()
    return float(p.grad[0])


def _grade_bce(answer) -> Verdict:
    fn = function(answer, "dL_dyhat")
    wrong = first_wrong_case(fn, BCE_CASES, _bce_slope, lambda y, p: f"y = {y:g}, ŷ = {p:g}")
    if wrong:
        where, got, want, (y, _) = wrong
        return Verdict(
            False, f"For {where} your dL/dŷ {how_wrong(got, want)}.",
            "d/dŷ ln(ŷ) = 1/ŷ and d/dŷ ln(1 - ŷ) = -1/(1 - ŷ); keep both minus signs of L."
            if y == 1.0 else "With y = 0 only the second term of L is left: "
            "-(1 - y) ln(1 - ŷ), and the chain rule brings a -1 from (1 - ŷ).")
    return Verdict(True, "Your dL/dŷ equals autograd's gradient of binary cross-entropy for "
                         f"all {len(BCE_CASES)} (y, ŷ) pairs.")


BCE = Exercise(
    name="bce-gradient", title="dL/dŷ of binary cross-entropy", lesson="neuron",
    task=("Write dL_dyhat(y, y_hat) for L(y, ŷ) = -y ln(ŷ) - (1 - y) ln(1 - ŷ): the derivative "
          "with respect to ŷ. Then put it over the common denominator ŷ(1 - ŷ), as the course "
          "does."),
    answer="dL_dyhat",
    template="def dL_dyhat(y, y_hat):\n    raise NotImplementedError  # your formula here\n",
    hints=["Differentiate each term separately; y is a constant.",
           "The course's simplified form has -(y - ŷ) on top."],
    grader=_grade_bce,
)

#: (x1, x2, y, w1, w2, b): the neuron lesson's example first, then others
NEURON_CASES = ((0.5, 1.5, 1.0, 0.3, 0.6, 0.1), (1.0, 0.0, 0.0, 0.3, 0.6, 0.1),
                (-1.0, 2.0, 1.0, -0.4, 0.2, 0.5), (2.0, -1.0, 0.0, 1.5, 0.5, -1.0))


def _neuron_gradients(x1, x2, y, w1, w2, b) -> list[float]:
    w = tensor([[w1], [w2]], dtype="float64", requires_grad=True)
    bias = tensor([b], dtype="float64", requires_grad=True)
    y_hat = (tensor([[x1, x2]], dtype="float64") @ w + bias).sigmoid()
    F.binary_cross_entropy(y_hat, tensor([[y]], dtype="float64")).backward()
    return [float(w.grad[0, 0]), float(w.grad[1, 0]), float(bias.grad[0])]


def _grade_neuron(answer) -> Verdict:
    fn = function(answer, "gradients")
    for case in NEURON_CASES:
        where = "x1 = {:g}, x2 = {:g}, y = {:g}, w1 = {:g}, w2 = {:g}, b = {:g}".format(*case)
        got = numbers(call(fn, case, f"for {where}"), 3, "gradients(...)")
        hints = ["dŷ/dw1 = ŷ(1 - ŷ) x1; multiply it by dL/dŷ and watch ŷ(1 - ŷ) cancel.",
                 "Same as dL/dw1 with x2 in place of x1.",
                 "dz/db = 1: the bias gradient is the error term alone."]
        found = first_difference(got, _neuron_gradients(*case),
                                 [f"For {where}, dL/d{p}" for p in ("w1", "w2", "b")], hints)
        if found:
            return found
    return Verdict(True, "Your three gradients equal autograd's for the neuron "
                         f"σ(w1 x1 + w2 x2 + b) with BCE in all {len(NEURON_CASES)} cases.")


NEURON = Exercise(
    name="neuron-gradients", title="the three gradients of the neuron", lesson="neuron",
    task=("For ŷ = σ(w1 x1 + w2 x2 + b) and L = -y ln(ŷ) - (1 - y) ln(1 - ŷ), write "
          "gradients(x1, x2, y, w1, w2, b) returning (dL/dw1, dL/dw2, dL/db). Use the chain "
          "rule dL/dw1 = dL/dŷ · dŷ/dw1 and simplify."),
    answer="gradients",
    template=("import math\n\n\ndef gradients(x1, x2, y, w1, w2, b):\n"
              "    y_hat = ...  # the neuron's output\n"
              "    raise NotImplementedError  # return dL_dw1, dL_dw2, dL_db\n"),
    hints=["First compute ŷ = σ(w1 x1 + w2 x2 + b).",
           "After simplifying, every gradient is the error -(y - ŷ) times what z is "
           "multiplied by."],
    grader=_grade_neuron,
)

W11_FACTORS = ("dz1/dw11", "da1/dz1", "dz/da1", "dŷ/dz", "dL/dŷ")
W11_HINTS = ("z1 = x1 w11 + x2 w21 + b1: what multiplies w11?",
             "a1 = σ(z1): the sigmoid's derivative, written with a1 (compute z1 first).",
             "z = a1 w1 + a2 w2 + b: what multiplies a1?",
             "ŷ = σ(z): the sigmoid's derivative again, written with ŷ (compute z first).",
             "The derivative of binary cross-entropy with respect to ŷ, at y = 1.")


def _w11_trace():
    from ..explain import trace
    from ..lessons import backprop_221

    row = trace(backprop_221.network(), backprop_221.EXAMPLE, backprop_221.TARGET,
                param="w11")["w11"]
    return row


def _grade_w11(answer) -> Verdict:
    got = numbers(answer, 5, "factors")
    row = _w11_trace()
    want = [f.value for f in row.factors]
    found = first_difference(got, want, [f"Factor {k + 1}, {s}" for k, s in
                                         enumerate(W11_FACTORS)], W11_HINTS, rtol=5e-3)
    if found:
        return found
    product = float(np.prod(got))
    return Verdict(True, f"All five factors are right; their product {product:.6g} is "
                         f"dL/dw11, and autograd's gradient agrees ({row.autograd:.6g}).")


CHAIN_W11 = Exercise(
    name="chain-w11", title="the 2-2-1 chain for w11", lesson="backprop-221",
    task=("The 2-2-1 network of the backprop-221 lesson: z1 = x1 w11 + x2 w21 + b1, a1 = σ(z1), "
          "z2 = x1 w12 + x2 w22 + b2, a2 = σ(z2), z = a1 w1 + a2 w2 + b, ŷ = σ(z), "
          "L = -y log ŷ - (1 - y) log(1 - ŷ), with w11 = w21 = 4, b1 = -2, w12 = w22 = 4, "
          "b2 = -6, w1 = 5, w2 = -5, b = -2, on x = (1, 0) with y = 1.\n"
          "dL/dw11 = dz1/dw11 · da1/dz1 · dz/da1 · dŷ/dz · dL/dŷ. Compute the five factors by "
          "hand (a calculator is fine; 3 significant digits are enough) and give them in that "
          "order."),
    answer="factors",
    template=("# dz1/dw11, da1/dz1, dz/da1, dŷ/dz, dL/dŷ\n"
              "factors = [..., ..., ..., ..., ...]\n"),
    hints=["Run the forward pass first: z1, a1, z2, a2, z, ŷ.", *W11_HINTS],
    grader=_grade_w11,
)


def _sigmoid_chain_gradients() -> list[float]:
    """d a3 / d(w1, w2, w3) for a1 = σ(w1 x), a2 = σ(w2 a1), a3 = σ(w3 a2), x = 1, w = 1."""
    weights = [tensor(1.0, dtype="float64", requires_grad=True) for _ in range(3)]
    a = tensor(1.0, dtype="float64")
    for w in weights:
        a = (w * a).sigmoid()
    a.backward()
    return [float(w.grad) for w in weights]


def _grade_vanishing(answer) -> Verdict:
    got = numbers(answer, 3, "gradients")
    found = first_difference(
        got, _sigmoid_chain_gradients(), [f"da3/dw{k}" for k in (1, 2, 3)],
        ["This one passes through all three sigmoids: three factors σ'(·) = a(1 - a), the "
         "weights in between, and x.",
         "Two sigmoid derivatives, a weight, and the input a1 of the second unit.",
         "One sigmoid derivative a3(1 - a3) times the input a2 of the last unit."], rtol=5e-3)
    if found:
        return found
    shrink = got[2] / got[0]
    return Verdict(True, f"Right: the gradient shrinks along the chain, da3/dw1 is {shrink:.0f} "
                         "times smaller than da3/dw3, because each sigmoid multiplies it by "
                         "at most 0.25.")


VANISHING = Exercise(
    name="vanishing-chain", title="a chain of three sigmoid units", lesson="vanishing-gradients",
    task=("Three sigmoid units in a row: a1 = σ(w1 x), a2 = σ(w2 a1), a3 = σ(w3 a2), with "
          "x = 1 and w1 = w2 = w3 = 1. Compute da3/dw1, da3/dw2 and da3/dw3 by the chain rule "
          "(3 significant digits) and see how the gradient shrinks towards the input."),
    answer="gradients",
    template="# da3/dw1, da3/dw2, da3/dw3\ngradients = [..., ..., ...]\n",
    hints=["Forward first: a1 = σ(1), a2 = σ(a1), a3 = σ(a2).",
           "σ'(z) = σ(z)(1 - σ(z)) = a(1 - a) for the unit's own output a."],
    grader=_grade_vanishing,
)

RELU_WEIGHTS, RELU_BIAS = (0.5, -1.0), 0.25
RELU_INPUTS = ((1.0, 0.0), (0.0, 1.0), (1.0, 1.0), (2.0, 0.5))


def _relu_gradients() -> list[float]:
    out = []
    for x in RELU_INPUTS:
        w = tensor(list(RELU_WEIGHTS), dtype="float64", requires_grad=True)
        z = (tensor(list(x), dtype="float64") * w).sum() + RELU_BIAS
        z.relu().backward()
        out.append(float(w.grad[0]))
    return out


def _grade_relu(answer) -> Verdict:
    got = numbers(answer, len(RELU_INPUTS), "gradients")
    hint = ("Compute z = 0.5 x1 - 1.0 x2 + 0.25 first: where z <= 0 the unit is off and passes "
            "no gradient; where z > 0, da/dw1 = dz/dw1 = x1.")
    found = first_difference(got, _relu_gradients(),
                             [f"For x = ({x[0]:g}, {x[1]:g}), da/dw1" for x in RELU_INPUTS],
                             [hint] * len(RELU_INPUTS))
    return found or Verdict(True, "Right: the unit passes a gradient only for the inputs where "
                                  "z > 0. A unit with z <= 0 for every input would never "
                                  "learn again: a dead ReLU.")


RELU = Exercise(
    name="relu-gradient", title="when a ReLU unit passes a gradient", lesson="dying-relu",
    task=("The unit a = max(0, z), z = w1 x1 + w2 x2 + b with w1 = 0.5, w2 = -1.0, b = 0.25. "
          "For the inputs (1, 0), (0, 1), (1, 1), (2, 0.5) give da/dw1, in that order."),
    answer="gradients",
    template="# da/dw1 for (1, 0), (0, 1), (1, 1), (2, 0.5)\ngradients = [..., ..., ..., ...]\n",
    hints=["ReLU's derivative is 1 for z > 0 and 0 otherwise (the course's g'(z))."],
    grader=_grade_relu,
)

EXERCISES = (SIGMOID, BCE, NEURON, CHAIN_W11, VANISHING, RELU)
