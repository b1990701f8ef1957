"""The input features the playground offers, computed from a point's two coordinates (x1, x2).

Each feature is one input unit of the network. With only x1 and x2 a network needs hidden
layers to draw a curved boundary; the products and sines let even a network without hidden
layers separate circles (x1² + x2² is a radius) or XOR (x1·x2 has the sign of the quadrant).

Each feature is written once, as a NumPy expression of ``x1`` and ``x2``: the playground
evaluates it, and "Export as Python" writes the same text into the script, so that the script
computes exactly the playground's inputs.
"""

from __future__ import annotations

import numpy as np

#: feature id -> (label shown in the page, NumPy expression of the coordinates x1 and x2)
FEATURES = {
    "x1": ("x₁", "x1"),
    "x2": ("x₂", "x2"),
    "x1sq": ("x₁²", "x1 * x1"),
    "x2sq": ("x₂²", "x2 * x2"),
    "x1x2": ("x₁x₂", "x1 * x2"),
    "sinx1": ("sin x₁", "np.sin(x1)"),
    "sinx2": ("sin x₂", "np.sin(x2)"),
}

# The expressions are constants of this module (never text from a page), compiled once.
_COMPILED = {name: compile(expression, f"<feature {name}>", "eval")
             for name, (_, expression) in FEATURES.items()}


def evaluate_expression(code, x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """The value of a compiled expression of ``x1``, ``x2`` and ``np`` (nothing else in scope)."""
    return eval(code, {"__builtins__": {}, "np": np}, {"x1": x1, "x2": x2})


def feature_matrix(points: np.ndarray, features) -> np.ndarray:
    """The network's input rows for 2-D ``points``: one column per feature id, in order.

    Parameters
    ----------
    points : ndarray, shape (n, 2)
        Coordinates (x1, x2).
    features : sequence of str
        Feature ids, keys of :data:`FEATURES`.

    Returns
    -------
    ndarray of float32, shape (n, len(features))
    """
    x1, x2 = points[:, 0], points[:, 1]
    columns = [evaluate_expression(_COMPILED[name], x1, x2) for name in features]
    return np.stack(columns, axis=1).astype(np.float32)
