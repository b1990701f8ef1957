"""nl.explain.trace(loss) on any recorded graph: the course's hand-built neuron, micrograd-style
expressions of numbers, an MLP. Each factor equals the derivative autograd computes for that
one step, and each chain's product equals autograd's gradient, to 1e-12 in float64."""

from __future__ import annotations

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn
from neuralab.autograd.function import Op
from neuralab.autograd.tensor import apply
from neuralab.explain.graph import Graph
from neuralab.explain.symbols import GraphNames
from neuralab.lessons.backprop_221 import network

F = nl.functional


def _scalar(value, name):
    return nl.tensor(value, dtype="float64", requires_grad=True, name=name)


def _step_by_autograd(node, parent, out_index, in_index) -> float:
    """d node[out_index] / d parent[in_index] by backward, on fresh copies of node's inputs."""
    copies = [nl.tensor(p.data, dtype="float64", requires_grad=True) for p in node.parents]
    out = apply(node._op, *copies, **node._params)
    seed = np.zeros(out.shape)
    seed[out_index] = 1.0
    out.backward(seed)
    position = next(k for k, p in enumerate(node.parents) if p is parent)
    return float(copies[position].grad[in_index])


def assert_each_factor_is_autograds(loss, trace):
    """Every factor dB/dA is dB/dA by autograd; every backprop sum dL/dA is A's gradient."""
    graph = Graph(loss)
    names = GraphNames(loss, graph.nodes)
    where = {names(n, i): (n, i) for n in graph.nodes for i in np.ndindex(n.shape)}
    for node in graph.nodes:
        if not node.is_leaf:
            node.retain_grad()
    loss.backward(retain_graph=True)
    checked = 0
    for row in trace.rows:
        for factor in row.factors:
            top, bottom = factor.symbol[1:].split("/d", 1)
            (node, out_index), (tensor, in_index) = where[top], where[bottom]
            if "dL/d" in factor.formula:  # a backprop sum: the gradient backward found there
                want = float(tensor.grad[in_index])
            else:
                want = _step_by_autograd(node, tensor, out_index, in_index)
            assert factor.value == pytest.approx(want, rel=1e-12, abs=1e-12), factor
            checked += 1
        leaf, index = where[row.name]
        assert row.autograd == float(leaf.grad[index])
        assert row.product == pytest.approx(row.autograd, rel=1e-12, abs=1e-12)
    return checked


@pytest.mark.parametrize(("x1", "x2", "y", "w1", "w2", "b"), [
    (1.0, 0.0, 1.0, 0.3, 0.6, 0.1),
    (0.5, -2.0, 0.0, -1.2, 0.4, 0.7),
])
def test_the_courses_hand_built_neuron_with_bce(x1, x2, y, w1, w2, b):
    x = nl.tensor([[x1, x2]], dtype="float64", name="x")
    w = nl.tensor([[w1], [w2]], dtype="float64", requires_grad=True, name="w")
    bias = nl.tensor([b], dtype="float64", requires_grad=True, name="b")
    z = x @ w + bias
    z.name = "z"
    y_hat = z.sigmoid()
    y_hat.name = "ŷ"
    loss = F.binary_cross_entropy(y_hat, [[y]])
    t = nl.explain.trace(loss)

    assert [row.name for row in t.rows] == ["w[0,0]", "w[1,0]", "b"]
    row = t["w[0,0]"]
    assert row.chain() == "dL/dw[0,0] = dmatmul/dw[0,0] · dz/dmatmul · dŷ/dz · dL/dŷ"
    assert [f.formula for f in row.factors] == ["x[0,0]", "1", "ŷ(1-ŷ)", "-(y-ŷ)/(ŷ(1-ŷ))"]
    p = 1 / (1 + np.exp(-(w1 * x1 + w2 * x2 + b)))
    np.testing.assert_allclose([f.value for f in row.factors],
                               [x1, 1.0, p * (1 - p), -(y - p) / (p * (1 - p))], rtol=1e-12)
    assert row.product == pytest.approx(-(y - p) * x1, rel=1e-12)  # the course's simplification
    assert t["b"].product == pytest.approx(-(y - p), rel=1e-12)
    assert t.loss == "binary_cross_entropy" and t.target == [y]
    assert [step.kind for step in t.forward] == ["input", "parameter", "parameter", "matmul",
                                                 "add", "sigmoid"]
    assert assert_each_factor_is_autograds(loss, t) == 4 + 4 + 3


def test_a_micrograd_expression_of_numbers():
    """L = (a·b + c)·f, the expression micrograd's walkthrough differentiates by hand."""
    a, b, c, f = _scalar(2.0, "a"), _scalar(-3.0, "b"), _scalar(10.0, "c"), _scalar(-2.0, "f")
    e = a * b
    e.name = "e"
    d = e + c
    d.name = "d"
    loss = d * f
    t = nl.explain.trace(loss)
    assert t["a"].chain() == "dL/da = de/da · dd/de · dL/dd"
    assert [fa.formula for fa in t["a"].factors] == ["b", "1", "f"]
    assert [r.autograd for r in t.rows] == [6.0, -4.0, -2.0, 4.0]
    assert [fa.formula for fa in t["f"].factors] == ["d"]
    assert assert_each_factor_is_autograds(loss, t) == 3 + 3 + 2 + 1


def test_micrograds_tanh_neuron_and_a_constant():
    x1, x2, w1, w2 = (_scalar(v, n) for v, n in [(2.0, "x1"), (0.0, "x2"), (-3.0, "w1"),
                                                  (1.0, "w2")])
    bias = _scalar(6.8813735870195432, "b")
    n = x1 * w1 + x2 * w2 + bias
    n.name = "n"
    out = (2 * n).tanh() * 0.5
    t = nl.explain.trace(out)
    assert [f.symbol for f in t["w1"].factors] == ["dmul/dw1", "dadd/dmul", "dn/dadd",
                                                   "dmul3/dn", "dtanh/dmul3", "dL/dtanh"]
    assert t["w1"].factors[3].formula == "2" and t["w1"].factors[-1].formula == "0.5"
    assert t["x2"].factors[0].formula == "w2"
    assert assert_each_factor_is_autograds(out, t) == 4 * 6 + 4  # b skips mul, add


def test_a_value_used_several_times_ends_its_chain_in_the_backprop_sum():
    x = _scalar(0.7, "x")
    loss = (2 * x * x + x.tanh()) ** 2
    t = nl.explain.trace(loss)
    (branch,) = t["x"].factors
    assert branch.symbol == "dL/dx"
    assert branch.formula == "2·dL/dmul + mul·dL/dmul2 + (1-tanh²)·dL/dtanh"
    assert assert_each_factor_is_autograds(loss, t) == 1


@pytest.mark.parametrize(("activation", "output", "kind"), [
    ("sigmoid", "sigmoid", "bce"),
    ("tanh", None, "cross_entropy"),
    ("relu", None, "mse"),
])
def test_an_mlp_graph_equals_the_network_trace_factor_by_factor(activation, output, kind):
    width = 1 if kind == "bce" else 3
    with nl.config(dtype="float64"):
        net = nn.MLP([3, 4, 2, width], activation=activation, output=output, seed=3)
    for name, param in net.named_parameters():
        param.name = name
    x, y = np.array([[0.5, -1.0, 2.0]]), 1
    target = {"bce": np.array([[1.0]]), "cross_entropy": np.array([y]),
              "mse": np.array([[0.3, -1.2, 2.0]])}[kind]
    loss = {"bce": F.binary_cross_entropy, "cross_entropy": F.cross_entropy,
            "mse": F.mse_loss}[kind](net(x), target)
    graph_trace = nl.explain.trace(loss)
    net_trace = nl.explain.trace(net, x[0], target[0] if kind != "cross_entropy" else y,
                                 loss=kind)
    assert [r.name for r in graph_trace.rows][:3] == [r.name for r in net_trace.rows][:3]
    assert len(graph_trace.rows) == net.num_parameters()
    for ours, course in zip(graph_trace.rows, net_trace.rows, strict=True):
        assert [f.value for f in ours.factors] == pytest.approx(
            [f.value for f in course.factors], rel=1e-12, abs=1e-15)
        assert ours.autograd == course.autograd
    assert assert_each_factor_is_autograds(loss, graph_trace) > net.num_parameters()


def test_param_selects_a_tensor_or_one_element():
    w = nl.tensor([[0.3], [0.6]], dtype="float64", requires_grad=True, name="w")
    bias = nl.tensor([0.1], dtype="float64", requires_grad=True, name="b")
    loss = F.mse_loss(nl.tensor([[1.0, 2.0]], dtype="float64") @ w + bias, [[1.0]])
    assert [r.name for r in nl.explain.trace(loss, param="w").rows] == ["w[0,0]", "w[1,0]"]
    assert [r.name for r in nl.explain.trace(loss, param="w[1,0]").rows] == ["w[1,0]"]
    with pytest.raises(ValueError, match=r"No parameter matches 'v'.*\['w', 'b'\]"):
        nl.explain.trace(loss, param="v")


def test_the_graph_and_every_grad_are_left_as_they_were():
    w = nl.tensor([1.5, -0.5], dtype="float64", requires_grad=True, name="w")
    w.grad = np.array([7.0, 7.0])
    h = (w * 3.0).tanh()
    loss = h.sum()
    nl.explain.trace(loss)
    assert (w.grad == 7.0).all() and h.grad is None
    loss.backward()  # the graph is still usable once
    np.testing.assert_allclose(w.grad, 7.0 + 3 * (1 - np.tanh(w.data * 3) ** 2))


def test_what_cannot_be_traced_is_refused_with_the_fix():
    w = _scalar(0.5, "w")
    loss = (w * 2.0).sigmoid()
    loss.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        nl.explain.trace(loss)
    with pytest.raises(ValueError, match=r"one-element.*shape \(2,\)"):
        nl.explain.trace(nl.tensor([1.0, 2.0], requires_grad=True) * 2.0)
    with pytest.raises(ValueError, match="records no graph"):
        nl.explain.trace(nl.tensor(1.0))
    with pytest.raises(TypeError, match="x, y and loss= are for a model"):
        nl.explain.trace((w * 2.0).sigmoid(), [1.0], 1.0)
    with pytest.raises(TypeError, match="needs one example x and its target y"):
        nl.explain.trace(network(), [1.0, 0.0])

    class Cube(Op):
        name = "cube"

        @staticmethod
        def forward(a):
            return a ** 3, a

        @staticmethod
        def backward(a, grad, needs):
            return (grad * 3 * a * a,)

    with pytest.raises(TypeError, match=r"op 'cube'.*local"):
        nl.explain.trace(apply(Cube, w))


def test_a_batch_norm_network_in_evaluation_mode_through_its_loss():
    with nl.config(dtype="float64"):
        net = nn.MLP([2, 3, 1], activation="tanh", batch_norm=True, seed=0)
    bn = net[1]
    bn.running_mean[...] = [0.2, -0.4, 1.0]
    bn.running_var[...] = [0.5, 2.0, 1.5]
    with pytest.raises(TypeError, match=r"with model\.evaluating\(\): nl\.explain\.trace"):
        nl.explain.trace(net, [0.3, -0.8], 1.0)
    with net.evaluating():
        loss = F.binary_cross_entropy_with_logits(net(np.array([[0.3, -0.8]])), [[1.0]])
        t = nl.explain.trace(loss)
    assert len(t.rows) == net.num_parameters()
    assert [f.formula for f in t.rows[0].factors][:2] == ["x[0,0]", "γ/√(σ²+ε)"]
    # W1, b1: 5 factors each; γ, β: 4; W2, b2: 2
    assert assert_each_factor_is_autograds(loss, t) == 9 * 5 + 6 * 4 + 4 * 2
