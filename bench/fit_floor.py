"""The floor under ``nl.fit``: the same work as fit's update, written by hand for one network.

``neuralab bench`` compares ``nl.fit`` with the hand-written NumPy step of
``neuralab/bench/reference.py``. That step does not do all the work of a fit update. It
updates the weights and nothing else: it computes no loss value, no accuracy and no gradient
norm, checks nothing, and cycles through batches cut once. An update of ``nl.fit`` does all
of these:

* it draws the batches of each epoch from a new permutation of X (a gather of rows);
* it computes the loss value and the accuracy of each batch, which go into the history;
* it computes the global gradient norm ‖g‖ and checks that the loss and ‖g‖ are finite
  before it changes any weight;
* it updates the weights with one rule over all of them (the parameter pack).

This script writes that update as tightly as NumPy allows for one network of the grid. It
uses a flat array of weights and one of gradients, so the norm and the update take one
call each, and as few calls as possible for the rest. Then it times three things in
interleaved rounds, each given as its median time per update: the bare reference step, this
hand-written fit update, and ``nl.fit``. The gap between the last two is the engine's own
cost: the generic ops, the replay, the training step and the epoch loop. The gap between the
first two is the cost of the extra work itself.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/fit_floor.py tiny small
"""

from __future__ import annotations

import argparse
import math
from itertools import pairwise

import numpy as np
from scipy.special import expit

from neuralab.bench import cases
from neuralab.bench.reference import _activate, _local_derivative
from neuralab.bench.runner import blas_description, set_threads
from neuralab.bench.timing import interleaved
from neuralab.optim.packing import split


def _flat_layers(sizes, seed: int):
    """Weights (Glorot-uniform, like the reference) and zero biases as views of one flat array,
    and their gradients as views of another: ``(flat, grads, [(W, b)], [(dW, db)])``."""
    shapes = [shape for n_in, n_out in pairwise(sizes) for shape in ((n_in, n_out), (n_out,))]
    flat = np.zeros(sum(math.prod(s) for s in shapes), np.float32)
    grads = np.zeros_like(flat)
    rng = np.random.default_rng(seed)
    layers, grad_layers = ([*zip(views[::2], views[1::2], strict=True)]  # [(W, b), ...]
                           for views in (split(flat, shapes), split(grads, shapes)))
    for weight, _ in layers:
        n_in, n_out = weight.shape
        limit = np.sqrt(6 / (n_in + n_out))
        weight[...] = rng.uniform(-limit, limit, (n_in, n_out))
    return flat, grads, layers, grad_layers


def fit_update(case: cases.Case, X: np.ndarray, y: np.ndarray, seed: int = 0):
    """A closure doing one update of fit's work on the next batch (see the module docstring);
    its ``history`` attribute holds the (loss sum, correct decisions, norm sum) so far and its
    ``layers`` the [(W, b)] it trains (views of one flat array)."""
    flat, grads, layers, grad_layers = _flat_layers(case.sizes, seed)
    scratch = np.empty_like(flat)
    rate = np.array(case.lr, np.float32)
    size = len(X) if case.batch_size == "full" else case.batch_size
    binary = case.loss == "bce_with_logits"
    targets = y.astype(np.float32).reshape(-1, 1) if binary else y
    truth = targets > 0.5 if binary else targets  # the label decisions, drawn once
    rng = np.random.default_rng(seed)
    state = {"order": None, "start": len(X)}
    history = [0.0, 0, 0.0]

    def next_batch():
        if size == len(X):
            return X, targets, truth
        if state["start"] >= len(X):  # a new epoch: a new permutation
            state["order"], state["start"] = rng.permutation(len(X)), 0
        rows = state["order"][state["start"]:state["start"] + size]
        state["start"] += size
        return X[rows], targets[rows], truth[rows]

    def update():
        xb, yb, tb = next_batch()
        n = len(xb)
        outputs = [xb]
        for i, (w, b) in enumerate(layers):
            z = np.dot(outputs[-1], w)
            z += b
            outputs.append(z if i == len(layers) - 1 else _activate(case.activation, z))
        logits = outputs[-1]
        if binary:  # mean softplus(z) - z y (per element: the sums would cancel), σ(z) - y
            losses = np.logaddexp(0, logits)
            losses -= logits * yb
            loss = np.add.reduce(losses, axis=None) / n
            correct = np.count_nonzero((logits > 0) == tb)
            delta = expit(logits)
            delta -= yb
        else:  # mean log Σ e^(z - m) + m - z_y per row, and softmax(z) - onehot(y)
            top = logits.max(axis=1, keepdims=True)
            delta = np.exp(logits - top)
            total = delta.sum(axis=1, keepdims=True)
            picked = np.arange(n), yb
            losses = np.log(total[:, 0])
            losses += top[:, 0]
            losses -= logits[picked]
            loss = np.add.reduce(losses, axis=None) / n
            correct = np.count_nonzero(logits.argmax(axis=1) == tb)
            delta /= total
            delta[picked] -= 1
        delta *= 1 / n
        for i in range(len(layers) - 1, -1, -1):
            grad_w, grad_b = grad_layers[i]
            np.dot(outputs[i].T, delta, out=grad_w)
            np.add.reduce(delta, axis=0, out=grad_b)
            if i:
                delta = np.dot(delta, layers[i][0].T)
                delta *= _local_derivative(case.activation, outputs[i])
        norm = math.sqrt(np.dot(grads, grads))
        if not (math.isfinite(loss) and math.isfinite(norm)):
            raise ArithmeticError(f"loss {loss}, gradient norm {norm}")
        np.multiply(grads, rate, out=scratch)
        np.subtract(flat, scratch, out=flat)
        history[0] += float(loss) * n
        history[1] += correct
        history[2] += norm

    update.history, update.layers = history, layers
    return update


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", default=list(cases.CASES))
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    set_threads(args.threads)
    print(f"BLAS: {blas_description()}; medians of {args.rounds} interleaved rounds, "
          "µs per update")
    print(f"{'case':8} {'bare step':>10} {'fit work':>10} {'nl.fit':>10} "
          f"{'bare/fit work':>14} {'bare/nl.fit':>12}")
    for name in args.cases:
        case = cases.CASES[name]
        X, y = case.arrays()
        call, updates = cases.neuralab_fit_calls(case, X, y)
        runners = {"bare": (cases.reference_step(case, cases.batches(case, X, y)), 1),
                   "work": (fit_update(case, X, y), 1), "fit": (call, updates)}
        samples = interleaved(runners, args.rounds, 0.3)
        us = {key: float(np.median(values)) * 1e6 for key, values in samples.items()}
        print(f"{name:8} {us['bare']:10.1f} {us['work']:10.1f} {us['fit']:10.1f} "
              f"{us['bare'] / us['work']:13.2f}x {us['bare'] / us['fit']:11.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
