"""Backpropagation traced by hand: the chain of local derivatives for one example, with numbers.

For a parameter of an MLP the chain rule writes dL/dθ as a product of local derivatives, one
per step from θ to the loss. For the course's 2-2-1 network and the weight w11::

    dL/dw11 = dz1/dw11 · da1/dz1 · dz/da1 · dŷ/dz · dL/dŷ
            = x1 · a1(1 - a1) · w1 · ŷ(1 - ŷ) · -(y - ŷ)/(ŷ(1 - ŷ))

:func:`trace` computes each factor from the forward values with the hand-derived formula,
multiplies them, and puts the product next to the gradient that autograd computed for the same
example: the two agree to rounding.

Where a unit feeds several units of the next layer, the chain branches; the trace then stops
at the backprop sum

    dL/da_j = Σ_k w_jk δ_k,      δ_k = dL/dz_k (the next layer's deltas)

so every factor is still one number you can check.

Symbols follow the course. One hidden layer: inputs x1, x2, ..., hidden z1, a1, ..., weights
w11 (input 1 to hidden unit 1), w21, ..., biases b1, ...; a single output unit: z, ŷ, weights
w1, w2, ... and bias b. Deeper networks put the layer in brackets: z[2]_1, a[2]_1, w[2]_12.
Parameter names are the model's: "0.weight[1,0]" is the weight from input 2 to unit 1 of the
first Linear (weights are stored (in, out)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ._config import enable_grad
from ._stages import Stage, loss_function, split_stages
from .autograd.tensor import Tensor
from .nn import Dropout, Identity, LeakyReLU, ReLU, Sigmoid, Tanh

_ACTIVATIONS = (Sigmoid, Tanh, ReLU, LeakyReLU, Identity)


@dataclass
class Factor:
    """One local derivative of a chain: its symbol ("da1/dz1"), formula ("a1(1-a1)"), value."""

    symbol: str
    formula: str
    value: float

    def to_dict(self) -> dict:
        return {"symbol": self.symbol, "formula": self.formula, "value": self.value}


@dataclass
class ParameterTrace:
    """The chain for one scalar parameter.

    Attributes
    ----------
    name : str
        The model's name with the element, e.g. "0.weight[0,0]".
    symbol : str
        The course's symbol, e.g. "w11".
    factors : list of Factor
    product : float
        The product of the factors: the hand-derived dL/dθ.
    autograd : float
        dL/dθ from ``loss.backward()``.
    """

    name: str
    symbol: str
    factors: list[Factor]
    product: float
    autograd: float

    @property
    def error(self) -> float:
        """|product - autograd|."""
        return abs(self.product - self.autograd)

    def chain(self) -> str:
        """"dL/dw11 = dz1/dw11 · da1/dz1 · ...": the chain in symbols."""
        return f"dL/d{self.symbol} = " + " · ".join(f.symbol for f in self.factors)

    def to_dict(self) -> dict:
        return {"name": self.name, "symbol": self.symbol,
                "factors": [f.to_dict() for f in self.factors],
                "product": self.product, "autograd": self.autograd, "error": self.error}


@dataclass
class ForwardStep:
    """Values of one step of the forward pass: the input, a layer's z, or its activation a."""

    layer: int
    kind: str  # "input", "linear", or the activation's name ("sigmoid", ...)
    symbols: list[str]
    values: list[float]

    def to_dict(self) -> dict:
        return {"layer": self.layer, "kind": self.kind, "symbols": self.symbols,
                "values": self.values}


@dataclass
class Trace:
    """What :func:`trace` returns: the forward values, the loss and the chains.

    ``str(trace)`` is a readable report; :meth:`to_dict` the same as JSON-ready data.

    Attributes
    ----------
    forward : list of ForwardStep
    loss : str
        The loss kind: "bce", "bce_with_logits", "mse" or "cross_entropy".
    loss_value : float
    target : list of float
    rows : list of ParameterTrace
        One per traced scalar parameter, in the model's parameter order.
    """

    forward: list[ForwardStep]
    loss: str
    loss_value: float
    target: list[float]
    rows: list[ParameterTrace] = field(default_factory=list)

    def __getitem__(self, key: str) -> ParameterTrace:
        """The row whose name ("0.weight[0,0]") or symbol ("w11") is ``key``."""
        for row in self.rows:
            if key in (row.name, row.symbol):
                return row
        raise KeyError(f"No traced parameter {key!r}; traced: {[r.name for r in self.rows]}.")

    @property
    def max_error(self) -> float:
        """The largest |product - autograd| over the rows."""
        return max((row.error for row in self.rows), default=0.0)

    def to_dict(self) -> dict:
        """JSON-serialisable form (a stable schema, read by the playground)::

            {"loss": {"name": "bce", "value": 0.52},
             "target": [1.0],
             "forward": [{"layer": 0, "kind": "input", "symbols": ["x1", "x2"],
                          "values": [1.0, 0.0]},
                         {"layer": 1, "kind": "linear", "symbols": ["z1", "z2"], ...},
                         {"layer": 1, "kind": "sigmoid", "symbols": ["a1", "a2"], ...}, ...],
             "parameters": [{"name": "0.weight[0,0]", "symbol": "w11",
                             "factors": [{"symbol": "dz1/dw11", "formula": "x1",
                                          "value": 1.0}, ...],
                             "product": -0.021, "autograd": -0.021, "error": 1e-17}, ...],
             "max_error": 1e-17}
        """
        return {
            "loss": {"name": self.loss, "value": self.loss_value},
            "target": self.target,
            "forward": [step.to_dict() for step in self.forward],
            "parameters": [row.to_dict() for row in self.rows],
            "max_error": self.max_error,
        }

    def __repr__(self) -> str:
        from ._display.trace import trace_repr

        return trace_repr(self)

    def _repr_html_(self) -> str:
        """In a notebook: the chain table, each factor's formula and number, next to autograd."""
        from ._display.trace import trace_html

        return trace_html(self)

    def __str__(self) -> str:
        lines = ["forward pass"]
        for step in self.forward:
            values = ", ".join(f"{s} = {_fmt(v)}" for s, v in zip(step.symbols, step.values,
                                                                 strict=True))
            lines.append(f"  {step.kind:<8} {values}")
        lines.append(f"  loss ({self.loss}) L = {_fmt(self.loss_value)}"
                     f"   target y = {', '.join(_fmt(v) for v in self.target)}")
        lines.append("")
        lines.append("backward pass: each gradient as a chain of local derivatives")
        for row in self.rows:
            lines.append(f"  {row.name}:  {row.chain()}")
            pad = " " * (len(row.name) + 5 + len(row.symbol) + 5)
            lines.append(pad + "= " + " · ".join(_paren(f.formula) for f in row.factors))
            lines.append(pad + "= " + " · ".join(_fmt(f.value) for f in row.factors))
            lines.append(f"{pad}= {_fmt(row.product)}   autograd: {_fmt(row.autograd)}"
                         f"   |difference| = {row.error:.1e}")
        return "\n".join(lines)


def _fmt(value: float) -> str:
    return f"{value + 0.0:.6g}"  # + 0.0 turns -0.0 into 0.0


def _paren(formula: str) -> str:
    """The formula ready to sit in a product: parenthesised if it has spaces."""
    return f"({formula})" if " " in formula else formula


class _Symbols:
    """The course's names for the units and parameters of a network with these layer widths."""

    def __init__(self, widths: list[int]) -> None:
        self.widths = widths  # [n_in, n_1, ..., n_L]
        self.depth = len(widths) - 1
        self.sep = "," if max(widths) > 9 else ""

    def _layer(self, layer: int) -> str:
        """"" where the course writes no layer (a single neuron, the hidden layer of a one-hidden-
        layer net, a single output unit), else "[l]"."""
        output = layer == self.depth
        plain = (self.depth == 1 or (output and self.widths[-1] == 1)
                 or (self.depth == 2 and not output))
        return "" if plain else f"[{layer}]"

    def _unit(self, layer: int, j: int, letter: str) -> str:
        if layer == self.depth and self.widths[-1] == 1:
            return letter
        tag = self._layer(layer)
        return f"{letter}{tag}_{j + 1}" if tag else f"{letter}{j + 1}"

    def x(self, i: int) -> str:
        return f"x{i + 1}"

    def z(self, layer: int, j: int) -> str:
        return self._unit(layer, j, "z")

    def a(self, layer: int, j: int) -> str:
        if layer == self.depth:
            return "ŷ" if self.widths[-1] == 1 else f"ŷ{j + 1}"
        return self._unit(layer, j, "a")

    def inp(self, layer: int, i: int) -> str:
        """The symbol of input i of ``layer`` (x_i for the first, a of the previous else)."""
        return self.x(i) if layer == 1 else self.a(layer - 1, i)

    def w(self, layer: int, i: int, j: int) -> str:
        tag = self._layer(layer)
        if layer == self.depth and self.widths[-1] == 1:
            return f"w{tag}{'_' if tag else ''}{i + 1}"
        return f"w{tag}{'_' if tag else ''}{i + 1}{self.sep}{j + 1}"

    def b(self, layer: int, j: int) -> str:
        if layer == self.depth and self.widths[-1] == 1:
            return "b"
        tag = self._layer(layer)
        return f"b{tag}_{j + 1}" if tag else f"b{j + 1}"


def _check_traceable(stages: list[Stage]) -> None:
    for stage in stages:
        activations = 0
        for name, module in stage.after:
            if isinstance(module, Dropout):
                continue
            if not isinstance(module, _ACTIVATIONS):
                hint = (" Train with it, then trace a copy without it, or use "
                        "nl.diagnostics.report." if type(module).__name__ == "BatchNorm1d" else
                        " Drop the Softmax: trace works on logits with loss='cross_entropy'."
                        if type(module).__name__ == "Softmax" else "")
                raise TypeError(
                    f"trace supports Linear layers followed by one element-wise activation "
                    f"(Sigmoid, Tanh, ReLU, LeakyReLU, Identity) and Dropout; module {name!r} is "
                    f"a {type(module).__name__}.{hint}"
                )
            activations += 1
        if activations > 1:
            raise TypeError(
                f"trace supports one activation per layer; layer {stage.number} has {activations}."
            )


def _derivative(activation, z: np.ndarray, a: np.ndarray, z_sym, a_sym):
    """(values of da/dz, formula) for the activation module, from the forward values."""
    if isinstance(activation, Sigmoid):
        return a * (1 - a), f"{a_sym}(1-{a_sym})"
    if isinstance(activation, Tanh):
        return 1 - a * a, f"(1-{a_sym}²)"
    if isinstance(activation, ReLU):
        return (z > 0).astype(np.float64), f"[{z_sym} > 0]"
    slope = activation.alpha
    return np.where(z > 0, 1.0, slope), f"1 if {z_sym} > 0 else {slope:g}"


def _loss_gradient(kind: str, out: np.ndarray, y: np.ndarray, out_sym: str):
    """(dL/d(output) values, formula) for one example of the network's last layer ``out``."""
    k = out.size
    per = f" / {k}" if k > 1 else ""
    if kind == "bce":
        return -(y - out) / (out * (1 - out)) / k, f"-(y-{out_sym})/({out_sym}(1-{out_sym})){per}"
    if kind == "bce_with_logits":
        return (1 / (1 + np.exp(-out)) - y) / k, f"σ({out_sym}) - y{per}"
    if kind == "mse":
        return 2 * (out - y) / k, f"2({out_sym} - y){per}"
    shifted = np.exp(out - out.max())
    return shifted / shifted.sum() - y, "softmax(z)_k - [k = y]"


def _targets(y, kind: str, width: int) -> np.ndarray:
    """The example's target as a float vector of the output's width (one-hot for classes)."""
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    if kind == "cross_entropy" and y.size == 1:
        label = int(y[0])
        if not 0 <= label < width or label != y[0]:
            raise ValueError(f"The class label must be an integer in 0..{width - 1}; got {y[0]}.")
        return np.eye(width)[label]
    if y.size != width:
        raise ValueError(
            f"The target needs {width} value(s), one per output unit; got {y.size}."
        )
    return y


class _Tracer:
    """Runs the forward pass keeping every z and a, the backward pass, and builds the chains."""

    def __init__(self, model, x, y, loss) -> None:
        self.stages = split_stages(model, "trace")
        _check_traceable(self.stages)
        self.loss_fn, self.kind = loss_function(loss, self.stages)
        if self.kind == "custom":
            raise ValueError(
                "trace derives dL/d(output) by hand, so it needs a known loss: 'bce', "
                "'bce_with_logits', 'mse' or 'cross_entropy' (or their nn modules)."
            )
        self.model = model
        dtype = self.stages[0].linear.weight.dtype
        x = np.asarray(x.data if isinstance(x, Tensor) else x, dtype=dtype).reshape(1, -1)
        if x.shape[1] != self.stages[0].linear.in_features:
            raise ValueError(
                f"trace needs one example with {self.stages[0].linear.in_features} features; got "
                f"{x.shape[1]} values. Pass a single row, e.g. X[0]."
            )
        self.x = x
        self.widths = [x.shape[1]] + [s.width for s in self.stages]
        self.sym = _Symbols(self.widths)
        self.y = _targets(y, self.kind, self.widths[-1])

    def run(self, wanted) -> Trace:
        was_training = self.model.training
        saved = [(p, p.grad) for p in self.model.parameters()]
        self.model.eval()
        try:
            for param, _ in saved:
                param.grad = None
            loss = self._forward_backward()
            grads = {name: p.grad for name, p in self.model.named_parameters()}
        finally:
            for param, grad in saved:
                param.grad = grad
            self.model.train(was_training)
        self._deltas()
        trace = Trace(self._forward_steps(), self.kind, float(loss), self.y.tolist())
        for stage in self.stages:
            trace.rows += self._rows(stage, grads, wanted)
        if wanted is not None and not trace.rows:
            names = [f"{n}[i,j]" for n, _ in self.model.named_parameters()]
            raise ValueError(
                f"No parameter matches {wanted!r}. Give a name such as {names[0]!r} with an "
                f"element index, a whole parameter ({', '.join(n[:-5] for n in names)}), or a "
                "course symbol such as 'w11'."
            )
        return trace

    def _forward_backward(self) -> float:
        out = Tensor(self.x)
        self.z, self.a = [], []  # float64 values per layer, each of shape (width,)
        for stage in self.stages:
            out = stage.linear(out)
            self.z.append(out.data[0].astype(np.float64))
            for _, module in stage.after:
                out = module(out)
            self.a.append(out.data[0].astype(np.float64))
        if self.kind == "cross_entropy":
            target = Tensor(np.array([int(np.argmax(self.y))]))
        else:  # a Tensor: a loss module would turn a float64 array into float32
            target = Tensor(self.y.reshape(1, -1).astype(out.dtype))
        loss = self.loss_fn(out, target)
        loss.backward()
        return loss.item()

    def _is_linear(self, stage: Stage) -> bool:
        return stage.activation is None or isinstance(stage.activation, Identity)

    def _out_sym(self, layer: int, j: int) -> str:
        """The symbol of unit j's output: a (or ŷ), or z when the layer has no activation."""
        stage = self.stages[layer - 1]
        return self.sym.z(layer, j) if self._is_linear(stage) else self.sym.a(layer, j)

    def _deltas(self) -> None:
        """δ_l = dL/dz_l by the backprop recursion, and the activation derivatives."""
        depth = len(self.stages)
        self.dadz: list[tuple[np.ndarray, list[str]]] = []
        for layer, stage in enumerate(self.stages, start=1):
            z, a = self.z[layer - 1], self.a[layer - 1]
            if self._is_linear(stage):
                self.dadz.append((np.ones_like(z), ["1"] * z.size))
                continue
            forms = []
            for j in range(z.size):
                _, form = _derivative(stage.activation, z[j:j + 1], a[j:j + 1],
                                      self.sym.z(layer, j), self.sym.a(layer, j))
                forms.append(form)
            self.dadz.append((_derivative(stage.activation, z, a, "", "")[0], forms))
        out_syms = [self._out_sym(depth, j) for j in range(self.widths[-1])]
        self.dlda_out, form = _loss_gradient(self.kind, self.a[-1], self.y, out_syms[0])
        self.loss_forms = [form.replace(out_syms[0], s) for s in out_syms]
        self.delta = [np.empty(0)] * depth
        self.dlda = [np.empty(0)] * depth
        self.dlda[-1] = self.dlda_out
        self.delta[-1] = self.dadz[-1][0] * self.dlda_out
        for layer in range(depth - 1, 0, -1):
            weight = self.stages[layer].linear.weight.data.astype(np.float64)
            self.dlda[layer - 1] = weight @ self.delta[layer]
            self.delta[layer - 1] = self.dadz[layer - 1][0] * self.dlda[layer - 1]

    def _unit_chain(self, layer: int, j: int) -> list[Factor]:
        """The factors from unit j's z in ``layer`` to the loss."""
        stage = self.stages[layer - 1]
        z_sym, out_sym = self.sym.z(layer, j), self._out_sym(layer, j)
        factors = []
        if not self._is_linear(stage):
            factors.append(Factor(f"d{out_sym}/d{z_sym}", self.dadz[layer - 1][1][j],
                                  float(self.dadz[layer - 1][0][j])))
        if layer == len(self.stages):
            factors.append(Factor(f"dL/d{out_sym}", self.loss_forms[j],
                                  float(self.dlda_out[j])))
        elif self.widths[layer + 1] == 1:
            w = float(self.stages[layer].linear.weight.data[j, 0])
            factors.append(Factor(f"d{self.sym.z(layer + 1, 0)}/d{out_sym}",
                                  self.sym.w(layer + 1, j, 0), w))
            factors += self._unit_chain(layer + 1, 0)
        else:
            n_next = self.widths[layer + 1]
            formula = f"Σ_k w[{layer + 1}]_{j + 1}k · δ[{layer + 1}]_k (k = 1..{n_next})"
            factors.append(Factor(f"dL/d{out_sym}", formula, float(self.dlda[layer - 1][j])))
        return factors

    def _rows(self, stage: Stage, grads: dict, wanted) -> list[ParameterTrace]:
        layer = stage.number
        rows = []
        entries = [(f"{stage.name}.weight[{i},{j}]", self.sym.w(layer, i, j), "weight", (i, j))
                   for i in range(self.widths[layer - 1]) for j in range(self.widths[layer])]
        if stage.linear.bias is not None:
            entries += [(f"{stage.name}.bias[{j}]", self.sym.b(layer, j), "bias", (j,))
                        for j in range(self.widths[layer])]
        for name, symbol, kind, index in entries:
            if wanted is not None and wanted not in (name, symbol, f"{stage.name}.{kind}"):
                continue
            j = index[-1]
            z_sym = self.sym.z(layer, j)
            if kind == "weight":
                i = index[0]
                value = float(self.x[0, i]) if layer == 1 else float(self.a[layer - 2][i])
                first = Factor(f"d{z_sym}/d{symbol}", self.sym.inp(layer, i), value)
            else:
                first = Factor(f"d{z_sym}/d{symbol}", "1", 1.0)
            factors = [first, *self._unit_chain(layer, j)]
            product = math.prod(f.value for f in factors)
            autograd = float(grads[f"{stage.name}.{kind}"][index])
            rows.append(ParameterTrace(name, symbol, factors, product, autograd))
        return rows

    def _forward_steps(self) -> list[ForwardStep]:
        steps = [ForwardStep(0, "input", [self.sym.x(i) for i in range(self.widths[0])],
                             self.x[0].astype(np.float64).tolist())]
        for layer, stage in enumerate(self.stages, start=1):
            width = range(self.widths[layer])
            steps.append(ForwardStep(layer, "linear", [self.sym.z(layer, j) for j in width],
                                     self.z[layer - 1].tolist()))
            if not self._is_linear(stage):
                steps.append(ForwardStep(layer, type(stage.activation).__name__.lower(),
                                         [self.sym.a(layer, j) for j in width],
                                         self.a[layer - 1].tolist()))
        return steps


def trace(model, x, y, loss=None, param: str | None = None) -> Trace:
    """The chain rule for one example, factor by factor, next to autograd's gradient.

    Parameters
    ----------
    model : nn.Sequential or nn.MLP
        Linear layers, each followed by at most one element-wise activation (Sigmoid, Tanh,
        ReLU, LeakyReLU, Identity) and optionally Dropout (the trace runs in evaluation mode,
        where Dropout passes values through). BatchNorm1d, Softmax and Step are refused.
    x : array-like of shape (n_in,) or (1, n_in)
        One example.
    y : number or array-like
        Its target: 0/1 (or one per output unit) for "bce"/"bce_with_logits", numbers for
        "mse", the class index for "cross_entropy".
    loss : str or loss module, optional
        Default: "bce" if the network ends with a Sigmoid (the course's network),
        "bce_with_logits" for one raw output, "cross_entropy" for several.
    param : str, optional
        Trace only this parameter: a name with its element ("0.weight[0,0]", "2.bias[0]"), a
        whole parameter ("0.weight") or a course symbol ("w11", "b"). Default: all.

    Returns
    -------
    Trace
        ``str(trace)`` prints the report; ``trace.rows`` are the chains; ``trace.to_dict()`` is
        JSON-ready. The model, its mode and its gradients are left as they were.

    Examples
    --------
    >>> t = nl.explain.trace(net, [1.0, 0.0], 1.0, param="w11")
    >>> row = t["w11"]; row.product, row.autograd     # equal
    """
    with enable_grad():  # the autograd side needs a graph even inside no_grad()
        return _Tracer(model, x, y, loss).run(param)
