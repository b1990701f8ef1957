"""Is the network healthy? Gradient flow, dead ReLU units and saturated sigmoid/tanh units.

:func:`report` runs one batch forward and backward (in evaluation mode unless asked otherwise;
nothing is updated) and looks at every layer (a Linear and the activation after it):

* the gradient norm ‖dL/dW‖ of its weights. A layer whose norm is below
  ``VANISHING_RATIO`` times the largest layer's is flagged **vanishing**: with sigmoid units each
  layer multiplies the backward signal by σ'(z) <= 0.25, so the first layers of a deep stack
  hardly learn. A norm above ``EXPLODING_RATIO`` times the norm of the weights themselves (or
  NaN/inf) is flagged **exploding**: one step would throw the weights far away.
* the fraction of **dead** ReLU units: units whose output is 0 for every sample, so their
  gradient is 0 and they never recover (the course's w1 = w2 = -0.5 example).
* the fraction of **saturated** sigmoid/tanh units: units whose output lies within
  ``SATURATION_MARGIN`` of a bound (0 or 1; -1 or 1) on at least ``SATURATED_SAMPLES`` of the
  samples, where the derivative is nearly 0.

A fraction above ``FLAG_FRACTION`` raises the "dead" or "saturated" flag. Each flag comes with
advice in plain words. :class:`DiagnosticsCallback` records a report per epoch during ``fit``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ._config import enable_grad
from ._stages import loss_function, split_stages
from ._text import format_table
from .autograd.tensor import Tensor
from .nn import LeakyReLU, ReLU, Sigmoid, Tanh
from .train.callbacks import Callback

#: a layer whose gradient norm is below this fraction of the largest layer's is "vanishing"
VANISHING_RATIO = 1e-3
#: a layer whose gradient norm exceeds this many times its weights' norm is "exploding"
EXPLODING_RATIO = 10.0
#: a sigmoid (tanh) output within this distance of 0 or 1 (-1 or 1) is saturated
SATURATION_MARGIN = 0.01
#: a unit is saturated when its output is saturated on at least this fraction of the samples
SATURATED_SAMPLES = 0.9
#: a dead or saturated fraction above this raises the flag
FLAG_FRACTION = 0.25


@dataclass
class LayerReport:
    """The health of one layer (a Linear and what follows it).

    Attributes
    ----------
    index : int
        1 for the first layer.
    name : str
        The Linear's name in the model ("0", "2", ...).
    activation : str
        The activation after it ("ReLU", "Sigmoid", ...; "linear" if none).
    grad_norm, weight_norm : float
        ‖dL/dW‖ and ‖W‖ (Frobenius norms).
    dead_fraction : float or None
        Share of ReLU units that output 0 for every sample (0 for LeakyReLU, whose units keep a
        gradient α; None for other activations).
    inactive_fraction : float or None
        Share of ReLU/LeakyReLU units whose input z <= 0 for every sample.
    saturated_fraction : float or None
        Share of sigmoid/tanh units saturated on most samples (None for other activations).
    flags : list of str
        Any of "vanishing", "exploding", "dead", "saturated".
    advice : list of str
        One sentence per flag.
    """

    index: int
    name: str
    activation: str
    grad_norm: float
    weight_norm: float
    dead_fraction: float | None = None
    inactive_fraction: float | None = None
    saturated_fraction: float | None = None
    flags: list[str] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"index": self.index, "name": self.name, "activation": self.activation,
                "grad_norm": self.grad_norm, "weight_norm": self.weight_norm,
                "dead_fraction": self.dead_fraction, "inactive_fraction": self.inactive_fraction,
                "saturated_fraction": self.saturated_fraction, "flags": list(self.flags),
                "advice": list(self.advice)}


@dataclass
class Report:
    """What :func:`report` returns: one :class:`LayerReport` per layer and the loss.

    ``str(report)`` is a table followed by the advice; :meth:`to_dict` is JSON-ready.
    """

    loss_name: str
    loss: float
    layers: list[LayerReport]

    @property
    def healthy(self) -> bool:
        """True when no layer has a flag."""
        return not any(layer.flags for layer in self.layers)

    @property
    def advice(self) -> list[str]:
        return [line for layer in self.layers for line in layer.advice]

    def to_dict(self) -> dict:
        """JSON-serialisable form (a stable schema, read by the playground)::

            {"loss": {"name": "bce_with_logits", "value": 0.69},
             "healthy": false,
             "layers": [{"index": 1, "name": "0", "activation": "Sigmoid",
                         "grad_norm": 2e-07, "weight_norm": 3.1, "dead_fraction": null,
                         "inactive_fraction": null, "saturated_fraction": 0.0,
                         "flags": ["vanishing"], "advice": ["layer 1: ..."]}, ...]}
        """
        return {"loss": {"name": self.loss_name, "value": self.loss},
                "healthy": self.healthy,
                "layers": [layer.to_dict() for layer in self.layers]}

    def __repr__(self) -> str:
        from ._display.report import report_repr

        return report_repr(self)

    def _repr_html_(self) -> str:
        """In a notebook: the layer table with coloured flags, then the advice."""
        from ._display.report import report_html

        return report_html(self)

    def __str__(self) -> str:
        rows = [[layer.index, layer.activation, layer.grad_norm, layer.weight_norm,
                 _percent(layer.dead_fraction), _percent(layer.saturated_fraction),
                 ", ".join(layer.flags) or "ok"] for layer in self.layers]
        table = format_table(
            ["layer", "activation", "grad norm", "weight norm", "dead", "saturated", "flags"],
            rows, title=f"diagnostics ({self.loss_name} loss {self.loss:.4g})", digits=3)
        verdict = "\n".join(self.advice) if self.advice else "healthy: no layer flagged"
        return f"{table}\n{verdict}"


def _percent(fraction: float | None) -> str | None:
    return None if fraction is None else f"{100 * fraction:.0f}%"


def _unit_fractions(activation, z: np.ndarray, a: np.ndarray) -> dict:
    """Dead / inactive / saturated shares of the units of one layer over a batch."""
    if isinstance(activation, ReLU | LeakyReLU):
        inactive = float(np.mean(np.all(z <= 0, axis=0)))
        return {"dead_fraction": inactive if isinstance(activation, ReLU) else 0.0,
                "inactive_fraction": inactive}
    if isinstance(activation, Sigmoid):
        near = (a < SATURATION_MARGIN) | (a > 1 - SATURATION_MARGIN)
    elif isinstance(activation, Tanh):
        near = np.abs(a) > 1 - SATURATION_MARGIN
    else:
        return {}
    return {"saturated_fraction": float(np.mean(np.mean(near, axis=0) >= SATURATED_SAMPLES))}


def _flag(layer: LayerReport, largest: float) -> None:
    """Set the layer's flags and advice."""
    where = f"layer {layer.index}"
    if not math.isfinite(layer.grad_norm):
        layer.flags.append("exploding")
        layer.advice.append(
            f"{where}: the gradient is {layer.grad_norm} — training has diverged; lower the "
            "learning rate, clip gradients (clip_grad_norm=1.0) and check the inputs for NaN")
    elif layer.grad_norm > EXPLODING_RATIO * layer.weight_norm > 0:
        layer.flags.append("exploding")
        layer.advice.append(
            f"{where}: gradient norm {layer.grad_norm:.3g} is "
            f"{layer.grad_norm / layer.weight_norm:.0f}x its weights' norm — gradients explode; "
            "clip them (clip_grad_norm=1.0), lower the learning rate or start from smaller "
            "weights")
    elif largest > 0 and layer.grad_norm < VANISHING_RATIO * largest:
        layer.flags.append("vanishing")
        layer.advice.append(
            f"{where}: gradient norm {layer.grad_norm:.2g} is {layer.grad_norm / largest:.1e} "
            "of the largest layer's — gradients vanish before they reach it; use ReLU or "
            "LeakyReLU, batch normalization or fewer layers")
    if layer.dead_fraction is not None and layer.dead_fraction > FLAG_FRACTION:
        layer.flags.append("dead")
        layer.advice.append(
            f"{where}: {100 * layer.dead_fraction:.0f}% of units dead (output 0 for every "
            "sample) — lower the learning rate or use LeakyReLU")
    if layer.saturated_fraction is not None and layer.saturated_fraction > FLAG_FRACTION:
        layer.flags.append("saturated")
        layer.advice.append(
            f"{where}: {100 * layer.saturated_fraction:.0f}% of units saturated (derivative near "
            "0) — standardize the inputs, start from smaller weights, or use batch "
            "normalization or ReLU")


def _forward(model, stages, X: np.ndarray):
    """Run the layers one by one; return the output and each layer's (z, a) as arrays."""
    out = Tensor(X)
    values = []
    for stage in stages:
        out = stage.linear(out)
        z = out.data
        for _, module in stage.after:
            out = module(out)
        values.append((z, out.data))
    return out, values


def report(model, X, y, loss=None, *, training: bool = False) -> Report:
    """Gradient norms, dead and saturated units of every layer of ``model`` on ``(X, y)``.

    Parameters
    ----------
    model : nn.Sequential or nn.MLP
        Starting with a Linear; BatchNorm1d and Dropout may sit between the layers (the report
        runs in evaluation mode by default, so Dropout is off and BatchNorm uses its running
        statistics).
    X : array-like of shape (N, features)
        The samples to look at: dead units are those silent for all of them.
    y : array-like
        Their targets, as ``fit`` takes them.
    loss : str or loss module, optional
        Default: "bce" after a final Sigmoid, "bce_with_logits" for one raw output,
        "cross_entropy" for several.
    training : bool
        Run in training mode instead: BatchNorm1d normalises with the statistics of ``X`` (as
        during training; its running statistics are restored afterwards) and Dropout is on.

    Returns
    -------
    Report
        The model's parameters, gradients, buffers and mode are left as they were.
    """
    from .train.checks import check_features, check_targets
    from .train.targets import prepare_targets

    stages = split_stages(model, "diagnostics.report")
    loss_fn, kind = loss_function(loss, stages)
    X = check_features(X).astype(stages[0].linear.weight.dtype, copy=False)
    saved = [(p, p.grad) for p in model.parameters()]
    buffers = [(array, array.copy()) for array in model.buffers()]
    try:
        for param, _ in saved:
            param.grad = None
        with model.mode(training), enable_grad():
            out, values = _forward(model, stages, X)
            target = prepare_targets(check_targets(y, len(X)), kind, out)
            batch_loss = loss_fn(out, target)
            batch_loss.backward()
        grads = [np.asarray(stage.linear.weight.grad, dtype=np.float64) for stage in stages]
    finally:
        for param, grad in saved:
            param.grad = grad
        for array, copy in buffers:
            array[...] = copy
    layers = []
    for stage, (z, a), grad in zip(stages, values, grads, strict=True):
        activation = stage.activation
        layers.append(LayerReport(
            index=stage.number, name=stage.name,
            activation=type(activation).__name__ if activation is not None else "linear",
            grad_norm=float(np.linalg.norm(grad)),
            weight_norm=float(np.linalg.norm(stage.linear.weight.data.astype(np.float64))),
            **_unit_fractions(activation, z, a),
        ))
    largest = max((layer.grad_norm for layer in layers if math.isfinite(layer.grad_norm)),
                  default=0.0)
    for layer in layers:
        _flag(layer, largest)
    return Report(kind, float(batch_loss.data), layers)


class DiagnosticsCallback(Callback):
    """Record a :func:`report` on ``(X, y)`` after every ``every`` epochs of ``fit``.

    Each report's ``to_dict()``, with its "epoch" (counted from 0) added, is appended to
    ``history.history["diagnostics"]`` (a list of dicts, JSON-ready like the rest of the
    history); the :class:`Report` objects are kept in ``callback.reports``.

    Parameters
    ----------
    X, y : array-like
        A (small) batch to diagnose, e.g. the first 256 training samples.
    loss : str or loss module, optional
        As for :func:`report`.
    every : int >= 1
        Diagnose every this many epochs (the last epoch always).

    Examples
    --------
    >>> diag = DiagnosticsCallback(X[:256], y[:256])
    >>> history = nl.fit(net, X, y, loss="bce_with_logits", optimizer="adam", epochs=20,
    ...                  callbacks=[diag])
    >>> history.history["diagnostics"][-1]["layers"][0]["grad_norm"]
    """

    def __init__(self, X, y, loss=None, every: int = 1) -> None:
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ValueError(
                f"The 'every' parameter of DiagnosticsCallback must be an int >= 1. Got "
                f"{every!r} instead."
            )
        self.X, self.y, self.loss, self.every = X, y, loss, every
        self.reports: list[Report] = []

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        last = epoch + 1 == self.run.epochs
        if (epoch + 1) % self.every and not last:
            return
        result = report(self.run.model, self.X, self.y, self.loss)
        self.reports.append(result)
        self.run.history.history.setdefault("diagnostics", []).append(
            {"epoch": epoch, **result.to_dict()})
