"""Figures with matplotlib, safe without a display.

Every function returns a ``matplotlib.figure.Figure`` built without pyplot, so nothing opens a
window and nothing depends on the backend; save it with ``fig.savefig("file.png")``.

Modules: ``curves`` (loss curves), ``regions`` (decision boundaries, confusion matrices),
``graph`` (computational graphs), ``flow`` (gradient flow), ``activations`` (activation
functions).
"""

from .activations import activation_plot, activation_values
from .curves import estimator_history, loss_curves
from .flow import gradient_flow
from .graph import graph, render_graph, retain_grads
from .regions import class_codes, confusion_matrix, decision_boundary, estimator_regions

__all__ = [
    "activation_plot",
    "activation_values",
    "class_codes",
    "confusion_matrix",
    "decision_boundary",
    "estimator_history",
    "estimator_regions",
    "gradient_flow",
    "graph",
    "loss_curves",
    "render_graph",
    "retain_grads",
]
