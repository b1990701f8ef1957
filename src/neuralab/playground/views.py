"""What the page draws, computed from the model: heat maps, neuron maps and the weights.

Maps are sent compactly: a square grid of values, row by row from the top (x2 = hi) down,
x1 from left to right, as base64 bytes:

* the output map depends on the problem: for two classes the probability p of class 1 (or the
  perceptron's 0/1 output) as uint8, p · 255; for several classes one such map per class, the
  softmax probability p_k (the page colours each point by its likeliest class, paler where the
  network is unsure); for regression the output value relative to the task's colour scale
  (the largest |target|) as int8, clipped to −127 … 127;
* each hidden neuron's map is its output divided by the largest |output| on the grid as int8
  (−127 … 127), with that largest value sent as ``scale``: the colour shows the sign and the
  relative size, the scale the absolute size.
"""

from __future__ import annotations

import base64

import numpy as np

from .._config import no_grad
from .features import feature_matrix

#: grid points per side of the decision-boundary heat map
GRID = 50
#: grid points per side of the small per-neuron maps (every other point of the big grid)
NEURON_GRID = 25


def grid_points(extent: tuple[float, float], size: int = GRID) -> np.ndarray:
    """The (size², 2) grid over [lo, hi]², top row (x2 = hi) first, x1 increasing in a row."""
    lo, hi = extent
    axis = np.linspace(lo, hi, size)
    x1, x2 = np.meshgrid(axis, axis[::-1])
    return np.stack([x1.ravel(), x2.ravel()], axis=1)


def _b64(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def _finite(values: np.ndarray) -> np.ndarray:
    """Values with NaN as 0 and infinities as the largest float64s (a blown-up network's map
    is then drawn saturated instead of failing to encode)."""
    return np.nan_to_num(values.astype(np.float64), nan=0.0, posinf=1e300, neginf=-1e300)


def encode_signed(values: np.ndarray) -> dict:
    """A map as int8 relative to its largest magnitude, with that magnitude as ``scale``."""
    values = _finite(values)
    scale = float(np.max(np.abs(values))) if values.size else 0.0
    relative = values / scale if scale > 0 else np.zeros_like(values)
    return {"scale": round(scale, 5), "data": _b64(np.round(relative * 127).astype(np.int8))}


def encode_probability(values: np.ndarray) -> str:
    """Probabilities in [0, 1] as uint8 (p · 255), base64."""
    return _b64(np.round(np.clip(values, 0.0, 1.0) * 255).astype(np.uint8))


def _subsample(column: np.ndarray) -> np.ndarray:
    """The neuron grid's values from one column of the big grid's values."""
    step = (GRID - 1) // (NEURON_GRID - 1)
    return column.reshape(GRID, GRID)[::step, ::step].ravel()


def feature_maps(features, extent) -> list[dict]:
    """Each input feature over the neuron grid (they do not change while training)."""
    X = feature_matrix(grid_points(extent, NEURON_GRID), features)
    return [encode_signed(X[:, j]) for j in range(X.shape[1])]


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def output_map(out: np.ndarray, problem: str, outputs_probability: bool, scale: float) -> dict:
    """The output layer's values over the grid, encoded for the problem (see the module)."""
    out = _finite(out)
    if problem == "regression":
        relative = np.clip(out[:, 0] / scale, -1.0, 1.0)
        return {"kind": "values", "scale": scale,
                "data": _b64(np.round(relative * 127).astype(np.int8))}
    if problem == "multiclass":
        return {"kind": "classes",
                "data": [encode_probability(p) for p in _softmax(out).T]}
    p = out[:, 0] if outputs_probability else 1.0 / (1.0 + np.exp(-np.clip(out[:, 0], -60, 60)))
    return {"kind": "probability", "data": encode_probability(p)}


def network_maps(model, features, task, outputs_probability: bool) -> dict:
    """The output map and every hidden neuron's map over the grid (call in evaluation mode).

    Returns
    -------
    dict
        ``{"output": output_map(...), "neurons": [[{"scale", "data"}, ...] per layer]}``.
    """
    from ..nn import Activation

    h = feature_matrix(grid_points(task.extent), features)
    layers = []
    with no_grad():
        for index, layer in enumerate(model):
            h = layer(h)
            if isinstance(layer, Activation) and index < len(model) - 1:
                values = h.numpy()
                layers.append([encode_signed(_subsample(values[:, j]))
                               for j in range(values.shape[1])])
    return {"output": output_map(h.numpy(), task.problem, outputs_probability, task.scale),
            "neurons": layers}


def linear_layers(model) -> list:
    """The Linear layers of the network, input side first."""
    from ..nn import Linear

    return [layer for layer in model if isinstance(layer, Linear)]


def weights(model) -> list[dict]:
    """Each Linear layer's weights W (in, out) and biases b, with their last gradients."""
    def rounded(array):
        return None if array is None else np.round(array.astype(np.float64), 5).tolist()

    return [{"weight": rounded(layer.weight.data), "bias": rounded(layer.bias.data),
             "weight_grad": rounded(layer.weight.grad), "bias_grad": rounded(layer.bias.grad)}
            for layer in linear_layers(model)]
