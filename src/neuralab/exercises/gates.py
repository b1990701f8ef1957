"""Logic gates by hand (AND, OR, NOT with one sigmoid unit; XNOR with a 2-2-1 network) and the
perceptron learning rule, update by update.

A gate passes when every row of its truth table comes out within ``TOLERANCE`` of the target,
as the course's σ(10) ≈ 1 and σ(-10) ≈ 0 do. The networks are built from the engine's layers;
the perceptron's states come from ``nl.Perceptron`` itself.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import nn
from ..data import gates as truth_table
from ..lessons._base import fixed_linear
from ._base import BadAnswer, Exercise, NotAnswered, Verdict, first_difference, numbers

#: how close to 0 or 1 every output must be (σ(4.6) = 0.99)
TOLERANCE = 0.01


def _rows(X, y_hat, y, name: str, hint: str) -> Verdict:
    """The first row of the truth table that the outputs ``y_hat`` miss."""
    for x, p, target in zip(X, y_hat, y, strict=True):
        if not abs(p - target) < TOLERANCE:
            inputs = ", ".join(f"{v:g}" for v in x)
            where = f"x = ({inputs})" if len(x) > 1 else f"x1 = {inputs}"
            way = "not close enough to" if round(p) == target else "on the wrong side of 0.5 for"
            return Verdict(False, f"For {where} your {name} gives ŷ = {p:.4g}, {way} the "
                                  f"target {target}.", hint)
    return Verdict(True, f"Every row of the {name} truth table is within {TOLERANCE} of its "
                         "target.")


def _unit_grader(gate: str, n_inputs: int, hint: str):
    def grade(answer) -> Verdict:
        values = numbers(answer, n_inputs + 1, "weights")
        unit = nn.Sequential(fixed_linear(np.reshape(values[:-1], (-1, 1)), [values[-1]]),
                             nn.Sigmoid())
        X, y = truth_table(gate)
        return _rows(X, unit(X.astype(np.float64)).data[:, 0], y, gate.upper(), hint)

    return grade


def _gate(gate: str, lesson_note: str, hint: str) -> Exercise:
    two = gate != "not"
    symbols = "(w1, w2, b)" if two else "(w1, b)"
    formula = "σ(w1 x1 + w2 x2 + b)" if two else "σ(w1 x1 + b)"
    return Exercise(
        name=f"gate-{gate}", title=f"{gate.upper()} with one sigmoid unit", lesson="gates",
        task=(f"Choose weights {symbols} so that ŷ = {formula} computes {gate.upper()} on "
              f"inputs in {{0, 1}}: every output within {TOLERANCE} of its target. "
              f"{lesson_note}"),
        answer="weights",
        template=f"weights = ({', '.join(['...'] * (3 if two else 2))})  # {symbols}\n",
        hints=["σ(z) is within 0.01 of 1 for z > 4.6 and of 0 for z < -4.6: make |z| large "
               "on every row.", hint],
        grader=_unit_grader(gate, 2 if two else 1, hint),
    )


GATE_AND = _gate("and", "Write z for the four rows: only (1, 1) may be positive.",
                 "b alone decides (0, 0); b + w1 and b + w2 must stay negative, "
                 "b + w1 + w2 positive.")
GATE_OR = _gate("or", "The course's OR unit is one answer; any other that works counts too.",
                "b alone decides (0, 0) and must be negative; b + w1 and b + w2 positive.")
GATE_NOT = _gate("not", "One input: x1 = 0 must give 1, x1 = 1 must give 0.",
                 "b decides x1 = 0 (positive), b + w1 decides x1 = 1 (negative).")

XNOR_KEYS = {"hidden_weights": (2, 2), "hidden_bias": (2,), "output_weights": (2,),
             "output_bias": ()}


def _xnor_network(answer) -> nn.Sequential:
    if answer is Ellipsis:
        raise NotAnswered
    if not isinstance(answer, dict) or set(answer) != set(XNOR_KEYS):
        raise BadAnswer(f"network must be a dict with the keys {', '.join(XNOR_KEYS)} (see "
                        "the template).")
    arrays = {}
    for key, shape in XNOR_KEYS.items():
        if answer[key] is not Ellipsis and np.shape(np.array(answer[key], dtype=object)) != shape:
            form = ("one number" if not shape else f"a list of {shape[0]} numbers"
                    if len(shape) == 1 else
                    f"{shape[0]} rows of {shape[1]} numbers, as in the template")
            raise BadAnswer(f"{key} must be {form}; got {answer[key]!r}.")
        flat = np.ravel(np.array(answer[key], dtype=object))
        arrays[key] = np.reshape(numbers(flat.tolist(), int(np.prod(shape)), key), shape)
    return nn.Sequential(fixed_linear(arrays["hidden_weights"], arrays["hidden_bias"]),
                         nn.Sigmoid(),
                         fixed_linear(np.reshape(arrays["output_weights"], (2, 1)),
                                      [arrays["output_bias"]]), nn.Sigmoid())


def _grade_xnor(answer) -> Verdict:
    net = _xnor_network(answer)
    X, y = truth_table("xnor")
    return _rows(X, net(X.astype(np.float64)).data[:, 0], y, "XNOR network",
                 "Build it as the course does: a1 = x1 AND x2, a2 = (NOT x1) AND (NOT x2), "
                 "ŷ = a1 OR a2. Check each hidden unit on its own truth table first.")


GATE_XNOR = Exercise(
    name="gate-xnor", title="XNOR with a 2-2-1 network", lesson="gates",
    task=("XNOR is 1 when x1 = x2. No single unit computes it; two hidden sigmoid units and an "
          "output unit do: a_j = σ(x1 w1j + x2 w2j + b_j), ŷ = σ(a1 w1 + a2 w2 + b). Give the "
          "weights (hidden_weights[i][j] = w_ij, from input i to hidden unit j) so that every "
          f"output is within {TOLERANCE} of the truth table 1 0 0 1."),
    answer="network",
    template=("network = {\n    \"hidden_weights\": [[..., ...],   # w11, w12\n"
              "                       [..., ...]],  # w21, w22\n"
              "    \"hidden_bias\": [..., ...],      # b1, b2\n"
              "    \"output_weights\": [..., ...],   # w1, w2\n"
              "    \"output_bias\": ...,             # b\n}\n"),
    hints=["The course's plan: a1 = x1 AND x2, a2 = (NOT x1) AND (NOT x2), ŷ = a1 OR a2.",
           "Reuse your AND and OR units; (NOT x1) AND (NOT x2) is an AND unit with negative "
           "input weights and a positive bias."],
    grader=_grade_xnor,
)

#: the perceptron exercise: AND, from zero weights, learning rate 1, two epochs in order
PERCEPTRON_EPOCHS = 2


def _perceptron_states() -> list[list[float]]:
    """(w1, w2, b) after each of the first two epochs' samples, from nl.Perceptron itself."""
    from ..perceptron import ConvergenceWarning, Perceptron

    X, y = truth_table("and")
    states = []
    for k in range(1, PERCEPTRON_EPOCHS * len(X) + 1):
        seen = np.arange(k) % len(X)  # the samples visited so far, as one long epoch
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            p = Perceptron(lr=1.0, max_epochs=1).fit(X[seen], y[seen])
        states.append([*p.weights_.tolist(), float(p.bias_)])
    return states


def _grade_perceptron(answer) -> Verdict:
    if answer is Ellipsis:
        raise NotAnswered
    want = _perceptron_states()
    if not hasattr(answer, "__len__") or len(answer) != len(want):
        raise BadAnswer(f"states must be a list of {len(want)} (w1, w2, b) triples, one after "
                        "each sample.")
    X, y = truth_table("and")
    for k, (state, truth) in enumerate(zip(answer, want, strict=True)):
        got = numbers(state, 3, f"state {k + 1}")
        x, target = X[k % len(X)], y[k % len(X)]
        where = (f"Update {k + 1} (epoch {k // len(X) + 1}, x = ({x[0]:g}, {x[1]:g}), "
                 f"y = {target})")
        found = first_difference(
            got, truth, [f"{where}, {s}" for s in ("w1", "w2", "b")],
            ["First ŷ = step(w1 x1 + w2 x2 + b) with the weights before this sample (step(0) "
             "= 0); only a mistake, y - ŷ ≠ 0, changes the weights."] * 3, atol=1e-9)
        if found:
            return found
    return Verdict(True, f"All {len(want)} updates are right. Keep going and the rule stops "
                         "changing anything once every sample is classified correctly.")


PERCEPTRON = Exercise(
    name="perceptron-rule", title="perceptron-rule updates on AND", lesson="hiking",
    task=("The perceptron ŷ = step(w1 x1 + w2 x2 + b) (step(z) = 1 if z > 0 else 0) learns AND "
          "with the rule w <- w + (y - ŷ) x, b <- b + (y - ŷ) (learning rate 1), visiting the "
          "rows (0,0), (0,1), (1,0), (1,1) in order, starting from w1 = w2 = b = 0. Write down "
          f"(w1, w2, b) after each sample of the first {PERCEPTRON_EPOCHS} epochs: "
          f"{PERCEPTRON_EPOCHS * 4} triples."),
    answer="states",
    template=("# (w1, w2, b) after each sample; epoch 1, then epoch 2\nstates = [\n"
              + "".join(f"    (..., ..., ...),  # after x = {x}\n" for x in
                        ("(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)") * PERCEPTRON_EPOCHS) + "]\n"),
    hints=["A correct prediction leaves (w1, w2, b) as they were.",
           "A missed 1 adds (x1, x2, 1); a false 1 subtracts it."],
    grader=_grade_perceptron,
)

EXERCISES = (GATE_AND, GATE_OR, GATE_NOT, GATE_XNOR, PERCEPTRON)
