"""explain.trace: each chain's product equals autograd; the course's factors for the 2-2-1 net."""

import json

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn
from neuralab.lessons.backprop_221 import network


def test_course_chain_for_w11_factor_by_factor():
    t = nl.explain.trace(network(), [1.0, 0.0], 1.0)
    row = t["w11"]
    assert row.name == "0.weight[0,0]"
    assert [f.symbol for f in row.factors] == ["dz1/dw11", "da1/dz1", "dz/da1", "dŷ/dz", "dL/dŷ"]
    assert [f.formula for f in row.factors] == ["x1", "a1(1-a1)", "w1", "ŷ(1-ŷ)",
                                               "-(y-ŷ)/(ŷ(1-ŷ))"]
    a1 = 1 / (1 + np.exp(-2.0))
    z = 5 * a1 - 5 * (1 / (1 + np.exp(2.0))) - 2
    y_hat = 1 / (1 + np.exp(-z))
    expected = [1.0, a1 * (1 - a1), 5.0, y_hat * (1 - y_hat),
                -(1 - y_hat) / (y_hat * (1 - y_hat))]
    np.testing.assert_allclose([f.value for f in row.factors], expected, rtol=1e-12)
    assert row.product == pytest.approx(-1 * 5 * a1 * (1 - a1) * (1 - y_hat), rel=1e-12)


@pytest.mark.parametrize("x", [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)])
@pytest.mark.parametrize("y", [0.0, 1.0])
def test_every_chain_of_the_221_net_equals_autograd(x, y):
    t = nl.explain.trace(network(), x, y)
    assert len(t.rows) == 9
    for row in t.rows:
        assert row.product == pytest.approx(row.autograd, abs=1e-9)
    symbols = {row.symbol for row in t.rows}
    assert symbols == {"w11", "w12", "w21", "w22", "b1", "b2", "w1", "w2", "b"}
    assert [f.symbol for f in t["b"].factors] == ["dz/db", "dŷ/dz", "dL/dŷ"]
    assert [f.symbol for f in t["w2"].factors] == ["dz/dw2", "dŷ/dz", "dL/dŷ"]


@pytest.mark.parametrize(("activation", "output", "loss", "y"), [
    ("tanh", None, "cross_entropy", 2),
    ("relu", None, "bce_with_logits", 1.0),
    ("leaky_relu", "sigmoid", "bce", 0.0),
    ("sigmoid", None, "mse", [0.3, -1.2, 2.0]),
])
def test_deep_and_wide_chains_end_in_the_backprop_sum_and_equal_autograd(activation, output,
                                                                         loss, y):
    width_out = 3 if loss in ("cross_entropy", "mse") else 1
    with nl.config(dtype="float64"):
        net = nn.MLP([3, 5, 4, width_out], activation=activation, output=output, seed=1)
    t = nl.explain.trace(net, [0.5, -1.0, 2.0], y, loss=loss)
    assert len(t.rows) == net.num_parameters()
    assert t.max_error < 1e-9
    first = t["0.weight[2,1]"]
    assert first.factors[0].value == 2.0
    branch = first.factors[-1]  # a1 of unit 2 feeds all 4 units of layer 2: Σ_k w_2k δ_k
    assert branch.symbol == "dL/da[1]_2"
    assert branch.formula == ("w[2]_21·dL/dz[2]_1 + w[2]_22·dL/dz[2]_2 + w[2]_23·dL/dz[2]_3 + "
                              "w[2]_24·dL/dz[2]_4")


def test_float32_models_agree_to_float32_rounding():
    net = nn.MLP([2, 3, 1], activation="sigmoid", output="sigmoid", seed=0)
    t = nl.explain.trace(net, [0.2, 0.7], 1.0)
    for row in t.rows:
        assert row.product == pytest.approx(row.autograd, rel=1e-4, abs=1e-6)


def test_param_selection_and_state_left_alone():
    net = network()
    net[0].weight.grad = np.full((2, 2), 7.0)
    net.train()
    t = nl.explain.trace(net, [1.0, 1.0], 0.0, param="0.weight")
    assert [row.name for row in t.rows] == ["0.weight[0,0]", "0.weight[0,1]", "0.weight[1,0]",
                                            "0.weight[1,1]"]
    assert [row.name for row in nl.explain.trace(net, [1, 1], 0, param="b").rows] == [
        "2.bias[0]"]
    assert (net[0].weight.grad == 7.0).all() and net.training
    with pytest.raises(ValueError, match="No parameter matches 'w99'"):
        nl.explain.trace(net, [1, 1], 0, param="w99")


def test_trace_works_inside_no_grad():
    with nl.no_grad():
        t = nl.explain.trace(network(), [1.0, 0.0], 1.0)
    assert t.max_error < 1e-12


def test_to_dict_is_json_and_documented_shape():
    data = json.loads(json.dumps(nl.explain.trace(network(), [1.0, 0.0], 1.0).to_dict()))
    assert set(data) == {"loss", "target", "forward", "parameters", "max_error"}
    assert data["forward"][0] == {"layer": 0, "kind": "input", "symbols": ["x1", "x2"],
                                  "values": [1.0, 0.0]}
    assert [s["kind"] for s in data["forward"]] == ["input", "linear", "sigmoid", "linear",
                                                    "sigmoid"]
    entry = data["parameters"][0]
    assert set(entry) == {"name", "symbol", "factors", "product", "autograd", "error"}
    assert set(entry["factors"][0]) == {"symbol", "formula", "value"}


def test_str_is_a_readable_report():
    text = str(nl.explain.trace(network(), [1.0, 0.0], 1.0, param="w11"))
    assert "dL/dw11 = dz1/dw11 · da1/dz1 · dz/da1 · dŷ/dz · dL/dŷ" in text
    assert "= x1 · a1(1-a1) · w1 · ŷ(1-ŷ) · -(y-ŷ)/(ŷ(1-ŷ))" in text
    assert "autograd: -0.0739593" in text


def test_unsupported_models_and_inputs_are_refused():
    with pytest.raises(TypeError, match=r"nn\.Sequential"):
        nl.explain.trace(nn.Linear(2, 1), [1, 0], 1)
    bn = nn.MLP([2, 3, 1], batch_norm=True, seed=0)
    with pytest.raises(TypeError, match="BatchNorm1d"):
        nl.explain.trace(bn, [1, 0], 1)
    soft = nn.MLP([2, 3, 2], output="softmax", seed=0)
    with pytest.raises(TypeError, match="Drop the Softmax"):
        nl.explain.trace(soft, [1, 0], 1)
    with pytest.raises(ValueError, match="one example with 2 features"):
        nl.explain.trace(network(), [1, 0, 1], 1)
    with pytest.raises(ValueError, match=r"class label must be an integer in 0\.\.2"):
        nl.explain.trace(nn.MLP([2, 3], seed=0), [1, 0], 5)
    with pytest.raises(ValueError, match="needs a known loss"):
        nl.explain.trace(network(), [1, 0], 1, loss=lambda out, y: out.sum())


def test_symbols_for_a_neuron_and_a_multi_output_net():
    neuron = nn.Sequential(nn.Linear(2, 1, seed=0), nn.Sigmoid())
    t = nl.explain.trace(neuron, [1.0, 2.0], 1.0)
    assert [row.symbol for row in t.rows] == ["w1", "w2", "b"]
    assert [f.symbol for f in t["w2"].factors] == ["dz/dw2", "dŷ/dz", "dL/dŷ"]
    wide = nn.MLP([2, 3, 2], activation="tanh", seed=0)
    t = nl.explain.trace(wide, [1.0, 2.0], 1)
    symbols = [row.symbol for row in t.rows]
    assert symbols[:2] == ["w11", "w12"] and "w[2]_31" in symbols and "b[2]_2" in symbols
    assert t.forward[3].symbols == ["z[2]_1", "z[2]_2"]
    assert len(set(symbols)) == len(symbols)


def test_dropout_is_passed_through_in_evaluation_mode():
    with nl.config(dtype="float64"):
        net = nn.MLP([2, 4, 1], activation="relu", dropout=0.5, seed=0)
    t = nl.explain.trace(net, [0.3, -0.7], 1.0)
    assert t.max_error < 1e-12
    assert net.training


def test_a_long_backprop_sum_is_shortened_but_keeps_its_value():
    with nl.config(dtype="float64"):
        net = nn.MLP([2, 3, 6, 1], activation="leaky_relu", seed=2)
    t = nl.explain.trace(net, [0.4, -0.9], 0.0)
    row = t["0.weight[0,0]"]
    assert row.symbol == "w[1]_11"
    assert row.factors[-1].formula == ("w[2]_11·dL/dz[2]_1 + w[2]_12·dL/dz[2]_2 + … + "
                                       "w[2]_16·dL/dz[2]_6")
    assert row.factors[1].formula == "1 if z[1]_1 > 0 else 0.01"
    assert t.max_error < 1e-15
