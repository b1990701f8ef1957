"""The course's views of a training network, from neuralab's teaching modules.

* :func:`diagnostics_report` -- per-layer gradient norms and dead/saturated units, from
  ``nl.diagnostics.report`` on the training points;
* :func:`trace_point` -- the chain of local derivatives for one data point, from
  ``nl.explain.trace``.

Both run in evaluation mode (batch norm uses its running statistics, so one point can be traced
and nothing is updated). Both need gradients, so step networks get an explanation instead of
numbers. Each returns a dict with ``available`` (bool) and either the module's ``to_dict()`` or
a ``message``.
"""

from __future__ import annotations

from .. import diagnostics, explain
from .trainer import loss_name

#: why step networks have neither report nor trace
NO_GRADIENT = ("Step units have no gradient (the step's derivative is 0 everywhere except at 0, "
               "where it does not exist), so there is no gradient flow to report or trace.")


def diagnostics_report(trainer) -> dict:
    """``{"available": True, **report.to_dict()}`` from ``nl.diagnostics.report`` on the
    training points (loss, healthy, and per layer: index, name, activation, grad_norm,
    weight_norm, dead/inactive/saturated fractions, flags, advice), or
    ``{"available": False, "message": ...}`` for step units."""
    if trainer.config.activation == "step":
        return {"available": False, "message": NO_GRADIENT}
    task = trainer.task
    with trainer.evaluating() as model:
        report = diagnostics.report(model, task.X_train, task.y_train[:, None],
                                    loss=loss_name(trainer.config))
    return {"available": True, **report.to_dict()}


def trace_point(trainer, split: str, index: int) -> dict:
    """``{"available": True, "trace": trace.to_dict()}`` from ``nl.explain.trace`` for one
    point (forward values; per scalar parameter its factors, their product and autograd's
    gradient), or ``{"available": False, "message": ...}`` for step units and for layers
    ``nl.explain`` cannot derive by hand (batch norm: its message says so)."""
    if trainer.config.activation == "step":
        return {"available": False, "message": NO_GRADIENT}
    task = trainer.task
    X, y = (task.X_train, task.y_train) if split == "train" else (task.X_test, task.y_test)
    with trainer.evaluating() as model:
        try:
            trace = explain.trace(model, X[index:index + 1], y[index:index + 1, None],
                                  loss=loss_name(trainer.config))
        except TypeError as err:  # a layer the trace cannot derive by hand (batch norm)
            return {"available": False, "message": str(err)}
    return {"available": True, "trace": trace.to_dict()}
