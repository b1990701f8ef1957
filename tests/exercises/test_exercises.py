"""Exercises: right answers pass, wrong ones get where they differ and a hint, never the answer."""

import math
import re

import numpy as np
import pytest

import neuralab as nl
from neuralab import exercises
from neuralab.autograd import Op


def sigma(z):
    return 1 / (1 + math.exp(-z))


def neuron_gradients(x1, x2, y, w1, w2, b):
    y_hat = sigma(w1 * x1 + w2 * x2 + b)
    return -(y - y_hat) * x1, -(y - y_hat) * x2, -(y - y_hat)


class Tanh(Op):
    name = "my_tanh"

    @staticmethod
    def forward(z):
        out = np.tanh(z)
        return out, out

    @staticmethod
    def backward(out, grad, needs):
        return (grad * (1 - out * out),)


def _clip(gradients, max_norm):
    norm = math.sqrt(sum(float(np.sum(g * g)) for g in gradients))
    return [g * (max_norm / norm) if norm > max_norm else g for g in gradients]


def _trained_circles():
    X, y = nl.data.circles(400, noise=0.08, seed=0)
    net = nl.nn.MLP([2, 16, 1], activation="tanh", seed=0)
    nl.fit(net, X, y, loss="bce_with_logits", optimizer=nl.optim.Adam(net.parameters(), lr=0.05),
           epochs=150, verbose=0, seed=0)
    return net


#: a right and a wrong answer for every exercise, computed by hand (not by the graders' code)
ANSWERS = {
    "perceptron-rule": ([(0, 0, 0), (0, 0, 0), (0, 0, 0), (1, 1, 1), (1, 1, 0), (1, 0, -1),
                         (1, 0, -1), (2, 1, 0)],
                        [(0, 0, 0), (0, 0, 0), (0, 0, 0), (1, 1, 1), (1, 1, 1), (1, 0, -1),
                         (1, 0, -1), (2, 1, 0)]),
    "sigmoid-derivative": (lambda z: sigma(z) * (1 - sigma(z)), lambda z: sigma(z) ** 2),
    "bce-gradient": (lambda y, p: -(y - p) / (p * (1 - p)), lambda y, p: -(y - p)),
    "neuron-gradients": (neuron_gradients,
                         lambda *a: (neuron_gradients(*a)[0], 0.0, neuron_gradients(*a)[2])),
    "chain-w11": ([1, 0.105, 5, 0.1211, -1.164], [1, 0.105, 5, 0.1211, 1.164]),
    "gate-and": ((20, 20, -30), (20, 20, -10)),
    "gate-or": ((40, 40, -30), (40, 40, 30)),
    "gate-not": ((-20, 10), (20, -10)),
    "gate-xnor": ({"hidden_weights": [[20, -20], [20, -20]], "hidden_bias": [-30, 10],
                   "output_weights": [40, 40], "output_bias": -30},
                  {"hidden_weights": [[20, 20], [20, 20]], "hidden_bias": [-30, -10],
                   "output_weights": [40, 40], "output_bias": -30}),
    "linear-collapse": ((5, -1, 1), (5, -1, -2)),
    "custom-op": (Tanh, type("Wrong", (Tanh,), {"backward": staticmethod(
        lambda out, grad, needs: (1 - out * out,))})),
    "vanishing-chain": ([0.00964, 0.0358, 0.151], [0.151, 0.0358, 0.00964]),
    "clip-norm": (_clip, lambda gs, m: [g * (m / np.linalg.norm(g)) for g in gs]),
    "relu-gradient": ([1, 0, 0, 2], [1, 0, 1, 2]),
    "batch-norm": ([-1.069, -0.5345, 0.0, 1.604], [-0.926, -0.463, 0.0, 1.389]),
    "updates-per-epoch": ([1, 1000, 32, 16], [1, 1000, 31, 15]),
    "first-network": (_trained_circles, lambda: nl.nn.MLP([2, 1], seed=0)),
}


def test_every_exercise_has_right_and_wrong_answers_here():
    assert set(ANSWERS) == set(exercises.names())


@pytest.mark.parametrize("name", list(ANSWERS))
def test_the_right_answer_passes(name):
    right = ANSWERS[name][0]
    answer = right() if name == "first-network" else right
    result = exercises.check(name, answer)
    assert result.passed, str(result)
    assert bool(result) and "passed" in str(result) and "✔" in result._repr_html_()


def _numbers_in(text: str) -> set[float]:
    return {float(m) for m in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", text)}


@pytest.mark.parametrize("name", list(ANSWERS))
def test_a_wrong_answer_says_where_it_differs_with_a_hint(name):
    wrong = ANSWERS[name][1]
    answer = wrong() if name == "first-network" else wrong
    result = exercises.check(name, answer)
    assert not result.passed and result.message and result.hint
    assert "not yet" in str(result) and "Hint:" in str(result)


def test_a_wrong_answer_never_shows_the_expected_number():
    from neuralab.lessons.backprop_221 import network

    row = nl.explain.trace(network(), [1.0, 0.0], 1.0, param="w11")["w11"]
    result = exercises.check("chain-w11", [1, 0.105, 5, 0.2, -1.164])
    assert "dŷ/dz" in result.message and "too large" in result.message
    truth = row.factors[3].value
    assert not any(abs(v - truth) < 1e-3 for v in _numbers_in(str(result)))
    z = exercises.check("sigmoid-derivative", lambda z: 0.2)
    assert "At z = -6" in z.message and "0.00246" not in str(z)


@pytest.mark.parametrize("name", list(ANSWERS))
def test_the_template_runs_and_counts_as_not_answered(name):
    ex = exercises.get(name)
    namespace = {}
    exec(compile(ex.template, f"<{name} template>", "exec"), namespace)
    result = ex.check(namespace[ex.answer])
    assert not result.passed and "Not answered yet" in result.message


def test_answers_of_the_wrong_form_get_a_clear_message():
    assert "3 numbers" in exercises.check("gate-and", (1, 2)).message
    assert "must be a function" in exercises.check("sigmoid-derivative", 0.25).message
    assert "subclasses neuralab.autograd.Op" in exercises.check("custom-op", Tanh()).message
    crashed = exercises.check("bce-gradient", lambda y, p: 1 / 0)
    assert "ZeroDivisionError" in crashed.message and "for y = 1" in crashed.message
    assert "keys" in exercises.check("gate-xnor", {"hidden_weights": 1}).message
    one_row = {"hidden_weights": [[20, -20]], "hidden_bias": [-30, 10],
               "output_weights": [20, 20], "output_bias": -10}
    assert ("hidden_weights must be 2 rows of 2 numbers, as in the template; got [[20, -20]]."
            in exercises.check("gate-xnor", one_row).message)
    assert ("output_bias must be one number; got [-10]."
            in exercises.check("gate-xnor", {**one_row, "hidden_weights": [[1, 2], [3, 4]],
                                             "output_bias": [-10]}).message)


def test_custom_op_catches_a_backward_that_writes_into_grad():
    def backward(out, grad, needs):
        grad *= 1 - out * out
        return (grad,)

    result = exercises.check("custom-op", type("InPlace", (Tanh,),
                                               {"backward": staticmethod(backward)}))
    assert "in place" in result.message


def test_exercises_by_lesson_and_unknown_names():
    assert [ex.name for ex in exercises.for_lesson("gates")] == [
        "gate-and", "gate-or", "gate-not", "gate-xnor"]
    for lesson in nl.lessons.NAMES:
        assert exercises.for_lesson(lesson), lesson
    with pytest.raises(ValueError, match=r"Unknown exercise 'nope'\. Exercises: perceptron"):
        exercises.get("nope")
    assert "check it with" in exercises.get("gate-or")._repr_html_().lower()
