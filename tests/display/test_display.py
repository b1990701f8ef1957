"""Notebook displays: every object's _repr_html_ shows its table or figure; __repr__ stays short."""

import json
import re
from types import SimpleNamespace

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn, viz
from neuralab.lessons.backprop_221 import network


def _text(html: str) -> str:
    """The visible text of an HTML fragment (tags dropped)."""
    return re.sub(r"<[^>]+>", " ", html)


def test_module_html_lists_layers_output_shapes_and_parameter_counts():
    net = nn.MLP([2, 16, 8, 1], batch_norm=True, dropout=0.1, seed=0)
    net[1].eval()  # a mixed state, which the display must leave as it was
    modes = [m.training for m in net.modules()]
    html = net._repr_html_()
    text = _text(html)
    assert "MLP: 2 → 16 → 8 → 1" in text and f"{net.num_parameters():,} parameters" in text
    assert "(N, 16)" in text and "(N, 8)" in text and "(N, 1)" in text
    assert "weight (2, 16), bias (16,)" in text and "BatchNorm1d" in text
    assert [m.training for m in net.modules()] == modes
    assert len(repr(net).splitlines()) == len(net._tree())  # the plain repr is the tree


def test_module_html_of_a_custom_module_lists_its_parameters_without_shapes():
    class Affine(nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = nn.Parameter(np.ones(3))
            self.inner = nn.Linear(3, 2)

        def forward(self, x):
            return self.inner(x * self.scale)

    text = _text(Affine()._repr_html_())
    assert "scale (3,)" in text and "inner" in text and "output shape" not in text


def test_module_html_keeps_eval_mode_and_survives_a_layer_that_fails_on_zeros():
    class Picky(nn.Module):
        def forward(self, x):
            raise ValueError("no zeros here")

    net = nn.Sequential(nn.Linear(2, 3), Picky()).eval()
    text = _text(net._repr_html_())
    assert "Picky" in text and "output shape" not in text and not net.training


def test_history_html_has_the_curves_and_a_first_last_best_table():
    X, y = nl.data.moons(80, seed=0)
    net = nn.MLP([2, 8, 1], seed=0)
    history = nl.fit(net, X, y, loss="bce_with_logits", optimizer="adam", epochs=5,
                     validation_split=0.25, verbose=0, seed=0)
    html = history._repr_html_()
    assert "data:image/png;base64," in html
    text = _text(html)
    assert "History: 5 epochs" in text and "val_loss" in text and "best epoch" in text
    assert repr(history).startswith("History(epochs=5")
    assert "no epoch recorded" in nl.History()._repr_html_()


def test_history_summary_picks_lowest_loss_and_highest_accuracy():
    from neuralab._display.history import summary_rows

    rows = {row[0]: row for row in summary_rows({"loss": [3.0, 1.0, 2.0],
                                                 "accuracy": [0.5, 0.9, 0.9],
                                                 "lr": [0.1, 0.1, 0.1]})}
    assert rows["loss"][3:] == [1.0, 2] and rows["accuracy"][3:] == [0.9, 2]
    assert rows["lr"][3:] == [None, None]


def test_trace_display_reads_only_the_public_rows():
    """The display must survive a rewrite of explain.py: it may use rows only."""
    from neuralab._display.trace import trace_html, trace_repr

    factor = SimpleNamespace(symbol="dz/dw", formula="x", value=2.0)
    row = SimpleNamespace(name="0.weight[0,0]", symbol="w", factors=[factor], product=2.0,
                          autograd=2.0)
    fake = SimpleNamespace(rows=[row])
    assert "dz/dw" in trace_html(fake) and "1 parameter gradient" in trace_repr(fake)


def test_trace_html_shows_each_factor_with_formula_and_number():
    trace = nl.explain.trace(network(), [1.0, 0.0], 1.0)
    text = _text(trace._repr_html_())
    for piece in ("dz1/dw11", "a1(1-a1)", "dL/dŷ", "0.105", "autograd"):
        assert piece in text
    assert len(repr(trace)) < 200 and "9 parameter" in repr(trace)
    assert "backward pass" in str(trace)  # the printed report is unchanged


def test_report_display_flags_and_advice_and_a_short_repr():
    X, y = nl.data.moons(60, seed=0)
    deep = nl.diagnostics.report(nn.MLP([2] + [8] * 8 + [1], activation="sigmoid", seed=0), X, y)
    assert "vanishing in layers 1" in repr(deep) and len(repr(deep)) < 200
    text = _text(deep._repr_html_())
    assert "vanishing" in text and "Advice" in text and "use ReLU" in text
    healthy = nl.diagnostics.report(nn.MLP([2, 8, 1], seed=0), X, y)
    assert "healthy" in repr(healthy) and "Healthy" in healthy._repr_html_()


def test_lesson_result_is_a_dict_that_shows_its_tables_and_figure():
    result = nl.lessons.sigmoid_derivative.run()
    assert isinstance(result, dict) and json.loads(json.dumps(result)) == dict(result)
    assert result.name == "sigmoid-derivative" and "σ'(z)" in result.text()
    html = result._repr_html_()
    assert "data:image/png;base64," in html and "finite diff" in _text(html)
    assert len(repr(result)) < 400 and "sigmoid-derivative" in repr(result)
    table = result.tables()[0]
    assert "<table" in table._repr_html_()


def _graph():
    w = nl.tensor(0.5, requires_grad=True, name="w")
    loss = (w * 2.0).sigmoid()
    viz.retain_grads(loss)
    loss.backward()
    return viz.graph(loss)


def test_graph_keeps_the_dot_text_and_a_short_repr():
    g = _graph()
    assert str(g) == g.source and g.source.startswith("digraph computation {")
    assert "grad 0.3932" in g.source and g.n_nodes == 4
    assert repr(g).startswith("<Graph of 4 nodes")


def test_graph_draws_inline_svg_with_graphviz(tmp_path):
    import shutil

    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed")
    g = _graph()
    assert g._repr_svg_().lstrip().startswith("<?xml") and "<svg" in g.svg()
    html = g._repr_html_()
    assert html.startswith('<div style="overflow-x: auto"><svg') and "sigmoid" in html
    assert g.save(tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"
    assert g.save(tmp_path / "g.dot").read_text() == g.source
    with pytest.raises(ValueError, match=r"\.svg, \.png, \.pdf or \.dot"):
        g.save(tmp_path / "g.gif")


def test_graph_without_graphviz_shows_the_dot_text_and_how_to_install(monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: None)
    g = _graph()
    assert g._repr_svg_() is None
    html = g._repr_html_()
    assert "not installed" in html and "apt-get install graphviz" in html
    assert "digraph computation" in html
    with pytest.raises(FileNotFoundError, match="Install Graphviz"):
        g.svg()
