"""The "what NumPy allows" line: one MLP training step written by hand for a fixed network.

No graph, no objects: forward, the loss gradient the course derives (prediction minus truth),
backpropagation through each layer and an in-place SGD update, all in float32. The general
engine is judged by how close it comes to this.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from scipy.special import expit


def _activate(name: str, z: np.ndarray) -> np.ndarray:
    if name == "relu":
        return np.maximum(z, 0, out=z)
    if name == "tanh":
        return np.tanh(z, out=z)
    return expit(z, out=z)  # σ(z), stable (SciPy's logistic ufunc, as in the engine)


def _local_derivative(name: str, a: np.ndarray) -> np.ndarray:
    """σ' = a(1 - a), tanh' = 1 - a², ReLU' = [a > 0], all from the layer's output a."""
    if name == "relu":
        return a > 0
    if name == "tanh":
        return 1 - a * a
    return a * (1 - a)


def numpy_step(sizes, activation: str, loss: str, lr: float, data: list[tuple], seed: int = 0):
    """A closure doing one SGD step of the ``sizes`` MLP on the next batch of ``data``.

    The closure's ``weights`` and ``biases`` attributes are the lists it updates in place (the
    tests check a step against the engine's).
    """
    rng = np.random.default_rng(seed)
    weights, biases = [], []
    for n_in, n_out in pairwise(sizes):
        limit = np.sqrt(6 / (n_in + n_out))
        weights.append(rng.uniform(-limit, limit, (n_in, n_out)).astype(np.float32))
        biases.append(np.zeros(n_out, np.float32))
    position = [0]

    def step():
        xb, yb = data[position[0] % len(data)]
        position[0] += 1
        outputs = [xb]
        for i, (w, b) in enumerate(zip(weights, biases, strict=True)):
            z = outputs[-1] @ w
            z += b
            outputs.append(z if i == len(weights) - 1 else _activate(activation, z))
        logits = outputs[-1]
        if loss == "cross_entropy":
            delta = np.exp(logits - logits.max(axis=1, keepdims=True))
            delta /= delta.sum(axis=1, keepdims=True)
            delta[np.arange(len(yb)), yb] -= 1
        else:
            delta = _activate("sigmoid", logits.copy()) - yb
        delta /= len(xb)
        for i in range(len(weights) - 1, -1, -1):
            grad_w = outputs[i].T @ delta
            grad_b = delta.sum(axis=0)
            if i:
                delta = delta @ weights[i].T
                delta *= _local_derivative(activation, outputs[i])
            grad_w *= lr
            weights[i] -= grad_w
            grad_b *= lr
            biases[i] -= grad_b

    step.weights, step.biases = weights, biases
    return step
