"""Every lesson runs headless, returns JSON-ready numbers and reproduces the course's numbers."""

import json
import math

import pytest
from matplotlib.figure import Figure

import neuralab as nl
from neuralab import lessons


@pytest.fixture(scope="module")
def results():
    return {}


def _run(results, name):
    if name not in results:
        results[name] = lessons.get(name).run()
    return results[name]


@pytest.mark.parametrize("name", lessons.NAMES)
def test_lesson_runs_renders_and_plots(name, results, tmp_path):
    lesson = lessons.get(name)
    result = _run(results, name)
    json.dumps(result)
    assert lesson.SUMMARY and "\n" not in lesson.SUMMARY
    assert lessons.text(name, result).strip()
    figure = lesson.plot(result)
    assert isinstance(figure, Figure)
    figure.savefig(tmp_path / "f.png")
    assert (tmp_path / "f.png").stat().st_size > 1000


def test_dying_relu_unit_computes_the_course_weights_exactly(results):
    """The course's dead unit max(0, -0.5 x1 - 0.5 x2): z = -0.5 x1 - 0.5 x2 on the lesson's
    positive inputs, with the hand-set weights untouched by the Sequential around them."""
    unit = _run(results, "dying-relu")["course_unit"]
    assert unit["x"] == [[0.5, 1.0], [1.0, 1.0], [2.0, 0.5], [3.0, 3.0]]
    assert unit["z"] == [-0.75, -1.0, -1.25, -3.0]
    text = lessons.text("dying-relu", _run(results, "dying-relu"))
    assert "max(0, -0.5 x1 - 0.5 x2)" in text
    assert [line.split()[2] for line in text.splitlines()[3:7]] == ["-0.75", "-1", "-1.25", "-3"]


def test_names_with_hyphens_and_underscores():
    assert nl.lessons.sigmoid_derivative is lessons.get("sigmoid-derivative")
    assert lessons.get("backprop_221") is nl.lessons.backprop_221
    with pytest.raises(ValueError, match=r"Unknown lesson 'nope'\. Lessons: hiking"):
        lessons.get("nope")
    with pytest.raises(AttributeError):
        _ = nl.lessons.nope
    assert list(lessons.summaries()) == list(lessons.NAMES)


def sigma(z):
    return 1 / (1 + math.exp(-z))


def test_hiking_numbers(results):
    r = _run(results, "hiking")
    example = r["course_example"]
    assert example["weighted_sum"] == 4.0 and example["go"] == 0
    assert example["neuron_output"] == pytest.approx(sigma(0.9), rel=1e-12)
    assert [row["go"] for row in r["rows"]] == [0, 0, 0, 1, 0, 1, 0, 1]
    sums = [row["weighted_sum"] for row in r["rows"]]
    assert sums == [0, 5, 1, 6, 3, 8, 4, 9]
    assert [row["neuron_output"] for row in r["rows"]] == pytest.approx(
        [sigma(0.3 * a + 0.6 * b + 0.1 * c) for a, b, c in (row["x"] for row in r["rows"])])


def test_sigmoid_derivative_numbers(results):
    r = _run(results, "sigmoid-derivative")
    z0 = r["z"].index(0.0)
    assert r["formula"][z0] == 0.25 and r["autograd"][z0] == 0.25
    assert r["max_difference"] < 1e-15
    assert r["finite_difference"] == pytest.approx(r["autograd"], abs=1e-9)
    assert r["exp_form"] == pytest.approx(r["formula"], rel=1e-12)


def test_neuron_gradients_are_the_course_formula(results):
    r = _run(results, "neuron")["example"]
    for row in r["gradients"]:
        assert row["formula"] == pytest.approx(row["autograd"], abs=1e-12)
        assert row["dL/dyhat"] * row["dyhat/dparam"] == pytest.approx(row["formula"], rel=1e-12)
    assert r["step"]["course_w1"] == pytest.approx(r["step"]["sgd_w1"], abs=1e-12)
    training = _run(results, "neuron")["training"]
    assert training["loss"][-1] < training["loss"][0] / 3 and training["accuracy"][-1] > 0.9


def test_backprop_221_products_equal_autograd(results):
    r = _run(results, "backprop-221")
    assert len(r["parameters"]) == 9
    for row in r["parameters"]:
        assert row["product"] == pytest.approx(row["autograd"], abs=1e-9)
        assert row["simplified"] == pytest.approx(row["autograd"], abs=1e-9)
    w11 = next(row for row in r["parameters"] if row["symbol"] == "w11")
    assert [f["symbol"] for f in w11["factors"]] == ["dz1/dw11", "da1/dz1", "dz/da1", "dŷ/dz",
                                                    "dL/dŷ"]
    assert r["step"]["course_w11"] == pytest.approx(r["step"]["sgd_w11"], abs=1e-12)
    assert [round(v) for v in r["xor"]] == [0, 1, 1, 0]


def test_gate_tables_are_the_course_tables(results):
    r = _run(results, "gates")
    gates = r["sigmoid_gates"]
    assert gates["or"]["z"] == [-30.0, 10.0, 10.0, 50.0]
    assert [round(v) for v in gates["or"]["y_hat"]] == [0, 1, 1, 1]
    assert gates["or"]["y_hat"][0] == pytest.approx(sigma(-30), rel=1e-9)
    assert gates["or"]["y_hat"][1] == pytest.approx(sigma(10), rel=1e-12)
    assert gates["or"]["y_hat"][3] == pytest.approx(sigma(50), rel=1e-12)
    assert [round(v) for v in gates["and"]["y_hat"]] == [0, 0, 0, 1]
    assert gates["not"]["z"] == [10.0, -10.0]
    assert [round(v) for v in gates["not"]["y_hat"]] == [1, 0]
    assert r["xor"]["y_hat"] == [0.0, 1.0, 1.0, 0.0]
    assert r["xor"]["h1"] == [0.0, 0.0, 0.0, 1.0] and r["xor"]["h2"] == [0.0, 1.0, 1.0, 1.0]
    xnor = r["xnor"]
    assert [round(v) for v in xnor["a1"]] == [0, 0, 0, 1]
    assert [round(v) for v in xnor["a2"]] == [1, 0, 0, 0]
    assert [round(v) for v in xnor["y_hat"]] == [1, 0, 0, 1]
    assert r["half_adder"] == {"sum": [0.0, 1.0, 1.0, 0.0], "carry": [0.0, 0.0, 0.0, 1.0]}
    for name, learned in r["learned"].items():
        assert [round(v) for v in learned["y_hat"]] == learned["target"], name
    assert r["perceptron"]["and"]["converged"] and r["perceptron"]["or"]["converged"]
    assert not r["perceptron"]["xor"]["converged"]
    assert "not linearly separable" in r["perceptron"]["xor"]["warning"]


def test_gates_text_shows_course_table():
    text = lessons.text("gates", lessons.gates.run())
    assert "σ(-30)" in text and "σ(10)" in text and "σ(50)" in text
    assert "0 1 1" in text and "1 0 1" in text  # rounded a1 a2 ŷ rows of the XNOR table


def test_linear_collapse_is_six_x_plus_one(results):
    r = _run(results, "linear-collapse")
    c = r["collapse"]
    assert c["weight"] == 6.0 and c["bias"] == 1.0
    assert c["a2"] == c["six_x_plus_one"] == [6 * x + 1 for x in c["x"]]
    assert c["a1"] == [3 * x + 1 for x in c["x"]]
    assert r["xor"]["identity"]["loss"][-1] == pytest.approx(math.log(2), abs=1e-3)
    assert r["xor"]["tanh"]["accuracy"] == 1.0


def test_activations_values(results):
    r = _run(results, "activations")
    z = r["z"]
    assert r["values"]["sigmoid"]["derivative"][z.index(0.0)] == 0.25
    assert r["values"]["relu"]["g"] == [max(0.0, v) for v in z]
    assert r["values"]["leaky_relu"]["derivative"][0] == pytest.approx(r["leaky_alpha"])
    assert r["values"]["step"]["derivative"] == [0.0] * len(z)
    assert "step function" in r["step_autograd"]
    assert r["softmax"]["sum"] == pytest.approx(1.0)
    assert r["softmax"]["diagonal"] == pytest.approx(r["softmax"]["formula"], rel=1e-12)


def test_gradient_lessons_show_their_effect(results):
    vanishing = _run(results, "vanishing-gradients")["networks"]
    sig, relu = vanishing["sigmoid"]["report"]["layers"], vanishing["relu"]["report"]["layers"]
    assert "vanishing" in sig[0]["flags"] and "vanishing" not in relu[0]["flags"]
    assert sig[0]["grad_norm"] < 1e-4 * relu[0]["grad_norm"]
    runs = _run(results, "exploding-gradients")["runs"]
    unclipped, clipped = runs.values()
    assert unclipped["diverged"] and clipped["diverged"] is None
    assert clipped["loss"][-1] < clipped["loss"][0] / 100
    dying = _run(results, "dying-relu")
    assert dying["course_unit"]["output"] == [0.0] * 4
    assert dying["course_unit"]["grad_w"] == [0.0, 0.0]
    calm, hot, leaky = dying["runs"]
    assert max(hot["mean_dead"]) > 0.25 and max(calm["mean_dead"]) < 0.1
    assert leaky["mean_dead"] == [0.0, 0.0]
    bn = _run(results, "batch-norm")["runs"]
    assert bn["with BatchNorm1d"]["loss"][-1] < 0.5 * bn["without"]["loss"][-1]
    gd = _run(results, "gd-variants")["runs"]
    assert [r["updates"][-1] for r in gd.values()] == [15, 15 * 128, 15 * 8]
