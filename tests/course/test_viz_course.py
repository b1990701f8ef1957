"""viz: computational graphs as DOT, decision boundaries, gradient flow, activation plots."""

import numpy as np
import pytest
from matplotlib.figure import Figure

import neuralab as nl
from neuralab import nn, viz
from neuralab.diagnostics import report


def _small_graph():
    w = nl.tensor(0.5, requires_grad=True, name="w")
    x = nl.tensor(2.0, name="x")
    y = (w * x).sigmoid()
    return w, y


def test_graph_shows_ops_values_and_gradients():
    _, y = _small_graph()
    viz.retain_grads(y)
    y.backward()
    dot = viz.graph(y).source
    assert dot.startswith("digraph computation {")
    assert 'label="w\\nvalue 0.5\\ngrad 0.3932"' in dot
    assert 'label="x\\nvalue 2"' in dot
    assert 'label="mul\\nvalue 1\\ngrad 0.1966"' in dot
    assert 'label="sigmoid\\nvalue 0.7311\\ngrad 1"' in dot
    assert dot.count("->") == 3


def test_graph_without_backward_has_values_only_and_large_arrays_by_shape():
    x = nl.tensor(np.ones((3, 5)), name="X")
    w = nl.tensor(np.ones((5, 1)), requires_grad=True)
    dot = viz.graph((x @ w).relu()).source
    assert "grad" not in dot
    assert "float32 array (3, 5)" in dot and "parameter" in dot and "relu" in dot


def test_render_graph_without_dot_says_what_to_do(monkeypatch, tmp_path):
    _, y = _small_graph()
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(FileNotFoundError, match=r"[Ii]nstall Graphviz"):
        viz.render_graph(y, tmp_path / "g.svg")
    with pytest.raises(ValueError, match=r"\.svg, \.png or \.pdf"):
        viz.render_graph(y, tmp_path / "g.gif")


def test_render_graph_with_dot(tmp_path):
    import shutil

    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed")
    _, y = _small_graph()
    viz.render_graph(y, tmp_path / "g.svg")
    assert "<svg" in (tmp_path / "g.svg").read_text()


@pytest.mark.parametrize(("output", "sizes"), [("sigmoid", [2, 4, 1]), (None, [2, 4, 1]),
                                               (None, [2, 4, 3])])
def test_decision_boundary_for_probabilities_logits_and_classes(output, sizes, tmp_path):
    X, y = nl.data.moons(40, seed=0)
    figure = viz.decision_boundary(nn.MLP(sizes, output=output, seed=0), X, y, resolution=30)
    assert isinstance(figure, Figure)
    figure.savefig(tmp_path / "b.png")
    assert (tmp_path / "b.png").stat().st_size > 1000


def test_decision_boundary_of_a_perceptron_and_bad_data():
    X, y = nl.data.gates("and")
    assert isinstance(viz.decision_boundary(nl.Perceptron().fit(X, y), X, y), Figure)
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        viz.decision_boundary(nn.MLP([3, 1], seed=0), np.ones((4, 3)), y)
    with pytest.raises(ValueError, match="'auto', 'logits' or 'probabilities'"):
        viz.decision_boundary(nn.MLP([2, 1], seed=0), X, y, output="odds")


@pytest.mark.parametrize("sizes", [[2, 4, 1], [2, 4, 3]])
def test_decision_boundary_names_the_axes_and_the_classes(sizes):
    X, y = nl.data.spiral(60, arms=sizes[-1] if sizes[-1] > 1 else 2, seed=0)
    names = ["cat", "dog", "owl"][:len(np.unique(y))]
    figure = viz.decision_boundary(nn.MLP(sizes, seed=0), X, y, resolution=20,
                                   feature_names=["width", "height"], class_names=names)
    ax = figure.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("width", "height")
    assert [text.get_text() for text in ax.get_legend().get_texts()] == names
    if sizes[-1] == 1:
        assert figure.axes[1].get_ylabel() == "P(dog)"
    with pytest.raises(ValueError, match="needs 2 feature_names"):
        viz.decision_boundary(nn.MLP(sizes, seed=0), X, y, feature_names=["width"])
    with pytest.raises(ValueError, match=f"needs at least {len(names)} class_names"):
        viz.decision_boundary(nn.MLP(sizes, seed=0), X, y, class_names=names[:1])


def test_gradient_flow_single_and_compared():
    X, y = nl.data.moons(40, seed=0)
    deep = report(nn.MLP([2] + [8] * 6 + [1], activation="sigmoid", seed=0), X, y)
    assert isinstance(viz.gradient_flow(deep), Figure)
    figure = viz.gradient_flow({"sigmoid": deep, "dict": deep.to_dict()})
    assert len(figure.axes[0].lines) == 2
    with pytest.raises(TypeError, match="diagnostics Report"):
        viz.gradient_flow({"x": 3})


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "softmax", "step"])
def test_activation_plot_derivative_is_autograd(name):
    z = np.array([-2.0, -0.5, 0.5, 2.0])
    _, slope = viz.activation_values(name, z)
    s = 1 / (1 + np.exp(-z))
    expected = {"sigmoid": s * (1 - s), "tanh": 1 - np.tanh(z) ** 2,
                "relu": (z > 0) * 1.0, "leaky_relu": np.where(z > 0, 1.0, 0.01),
                "softmax": s * (1 - s), "step": np.zeros(4)}[name]
    np.testing.assert_allclose(slope, expected, rtol=1e-9)
    assert isinstance(viz.activation_plot(name), Figure)
