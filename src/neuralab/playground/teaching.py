"""The course's views of a training network, from neuralab's teaching modules.

* :func:`diagnostics_report` -- per-layer gradient norms and dead/saturated units, from
  ``nl.diagnostics.report`` on the training points;
* :func:`trace_point` -- the chain of local derivatives for one data point, from
  ``nl.explain.trace``.

Both run in evaluation mode (batch norm uses its running statistics, so one point can be traced
and nothing is updated). Both need gradients, so step networks get an explanation instead of
numbers. Each returns a
dict with ``available`` (bool) and either the module's ``to_dict()`` or a ``message``.
"""

from __future__ import annotations

import importlib

#: why step networks have neither report nor trace
NO_GRADIENT = ("Step units have no gradient (the step's derivative is 0 everywhere except at 0, "
               "where it does not exist), so there is no gradient flow to report or trace.")


def _teaching_module(name: str):
    """``neuralab.<name>``, or None when this neuralab has no such module yet."""
    try:
        return importlib.import_module(f"neuralab.{name}")
    except ModuleNotFoundError as err:
        if err.name != f"neuralab.{name}":
            raise
        return None


def _missing(name: str) -> dict:
    return {"available": False,
            "message": f"This neuralab has no nl.{name} module, which this view needs."}


def diagnostics_report(trainer) -> dict:
    """``{"available": True, "layers": [...]}`` from ``nl.diagnostics.report`` on the training
    points (each layer: index, name, grad_norm, flags, dead_fraction, saturated_fraction,
    advice), or ``{"available": False, "message": ...}``."""
    if trainer.config.activation == "step":
        return {"available": False, "message": NO_GRADIENT}
    module = _teaching_module("diagnostics")
    if module is None:
        return _missing("diagnostics")
    task = trainer.task
    with trainer.evaluating() as model:
        report = module.report(model, task.X_train, task.y_train[:, None],
                               loss=trainer.data_loss).to_dict()
    layers = report["layers"] if isinstance(report, dict) else report
    return {"available": True, "layers": layers}


def trace_point(trainer, split: str, index: int) -> dict:
    """``{"available": True, "trace": {...}}`` from ``nl.explain.trace`` for one point (forward
    values per layer; per parameter its factors, their product and autograd's gradient), or
    ``{"available": False, "message": ...}``."""
    if trainer.config.activation == "step":
        return {"available": False, "message": NO_GRADIENT}
    module = _teaching_module("explain")
    if module is None:
        return _missing("explain")
    task = trainer.task
    X, y = (task.X_train, task.y_train) if split == "train" else (task.X_test, task.y_test)
    with trainer.evaluating() as model:
        trace = module.trace(model, X[index:index + 1], y[index:index + 1, None],
                             loss=trainer.data_loss)
    return {"available": True, "trace": trace.to_dict()}
