"""The course's views of a training network, from neuralab's teaching modules.

* :func:`diagnostics_report` -- per-layer gradient norms and dead/saturated units, from
  ``nl.diagnostics.report`` on the training points;
* :func:`trace_point` -- the chain of local derivatives for one data point, from
  ``nl.explain.trace``;
* :func:`perceptron_notice` -- why a perceptron does not settle: no line separates its classes.

The first two run in evaluation mode (batch norm uses its running statistics, so one point can
be traced and nothing is updated). Both need gradients, so step networks get an explanation
instead of numbers. Each returns a dict with ``available`` (bool) and either the module's
``to_dict()`` or a ``message``.
"""

from __future__ import annotations

import numpy as np

from .. import diagnostics, explain
from .trainer import loss_kind

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
        report = diagnostics.report(model, task.X_train, task.y_train,
                                    loss=loss_kind(trainer.config))
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
            trace = explain.trace(model, X[index:index + 1], y[index:index + 1],
                                  loss=loss_kind(trainer.config))
        except TypeError as err:  # a layer the trace cannot derive by hand (batch norm)
            return {"available": False, "message": str(err)}
    return {"available": True, "trace": trace.to_dict()}


#: epochs a perceptron gets before the page hears why it does not settle
PERCEPTRON_PATIENCE = 25


def linearly_separable(X: np.ndarray, y: np.ndarray) -> bool:
    """Whether a hyperplane w·x + b = 0 puts the classes 0 and 1 of ``y`` on its two sides.

    It does exactly when the linear program "find w, b with s_i (w·x_i + b) ≥ 1 for every
    point", s_i = ±1 the point's side, is feasible (scale any separating w, b until the nearest
    point has margin 1); SciPy's HiGHS solver decides it.
    """
    from scipy.optimize import linprog

    sides = np.where(y > 0.5, 1.0, -1.0)
    rows = -sides[:, None] * np.hstack([X.astype(np.float64), np.ones((len(X), 1))])
    result = linprog(np.zeros(rows.shape[1]), A_ub=rows, b_ub=-np.ones(len(X)),
                     bounds=(None, None), method="highs")
    return result.status != 2  # 2: infeasible


def perceptron_notice(epoch: int, error_rate: float) -> str:
    """Why a perceptron whose training points no line separates never settles (as
    ``nl.Perceptron`` warns); for the page once it has had :data:`PERCEPTRON_PATIENCE`
    epochs."""
    return (
        f"After {epoch} epochs the perceptron still gets {100 * error_rate:.0f}% of the "
        "training points wrong, and it never will get them all right: no straight line "
        "w·x + b = 0 separates the two classes in its inputs (XOR is the classic case), so the "
        "perceptron rule keeps moving the line. Add a hidden layer with a differentiable "
        "activation (e.g. tanh), or an input feature that makes the classes separable (for XOR, "
        "x₁x₂)."
    )
