"""The input features the playground offers, computed from a point's two coordinates (x1, x2).

Each feature is one input unit of the network. With only x1 and x2 a network needs hidden
layers to draw a curved boundary; the products and sines let even a network without hidden
layers separate circles (x1² + x2² is a radius) or XOR (x1·x2 has the sign of the quadrant).
"""

from __future__ import annotations

import numpy as np

#: feature id -> (label shown in the page, function of the coordinates x1 and x2)
FEATURES = {
    "x1": ("x₁", lambda x1, x2: x1),
    "x2": ("x₂", lambda x1, x2: x2),
    "x1sq": ("x₁²", lambda x1, x2: x1 * x1),
    "x2sq": ("x₂²", lambda x1, x2: x2 * x2),
    "x1x2": ("x₁x₂", lambda x1, x2: x1 * x2),
    "sinx1": ("sin x₁", lambda x1, x2: np.sin(x1)),
    "sinx2": ("sin x₂", lambda x1, x2: np.sin(x2)),
}


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
    columns = [FEATURES[name][1](x1, x2) for name in features]
    return np.stack(columns, axis=1).astype(np.float32)
