"""What a trace is made of: factors, chains (one per parameter element), forward steps."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    """Values of one step of the forward pass: the input, a layer's z, or its activation a.

    For a traced graph (``trace(loss)``) a step is one tensor: ``layer`` counts the steps in
    the order they were computed and ``kind`` is "input", "parameter" or the op's name.
    """

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
        The loss kind: "bce", "bce_with_logits", "mse" or "cross_entropy" for a network;
        the loss op's name ("binary_cross_entropy", "mse_loss", ...) for a traced graph.
    loss_value : float
    target : list of float
        The example's target (empty when the loss has none).
    rows : list of ParameterTrace
        One per traced scalar parameter, in the model's parameter order (for a graph: the
        order in which its parameters were created).
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
        from .._display.trace import trace_repr

        return trace_repr(self)

    def _repr_html_(self) -> str:
        """In a notebook: the chain table, each factor's formula and number, next to autograd."""
        from .._display.trace import trace_html

        return trace_html(self)

    def __str__(self) -> str:
        from .report import report

        return report(self)
