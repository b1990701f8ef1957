"""The benchmark grid: each case is a network, a loss, data and a batch size.

For every case, ``make_steps`` builds one closure per contender; calling a closure performs one
training step (forward, backward, update) on the next batch. Contenders:

* ``neuralab``    -- the eager API as users write it: ``model(x)``, ``loss.backward()``,
  ``opt.step()``;
* ``neuralab fit`` -- ``nl.fit`` over whole epochs (timed per update);
* ``numpy``       -- a hand-written NumPy step for this one network: what NumPy allows;
* ``pytorch``     -- PyTorch eager on the CPU (when installed), same threads;
* ``jax``         -- a ``jax.jit``-compiled update per step on the CPU (when installed);
* ``sklearn``     -- ``MLPClassifier`` epochs where its model is the same (timed per step).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from .reference import numpy_step


@dataclass
class Case:
    """One row group of the benchmark table."""

    name: str
    description: str
    sizes: list[int]
    activation: str  # "sigmoid", "relu" or "tanh"
    loss: str  # "bce_with_logits" or "cross_entropy"
    batch_size: int | str
    lr: float
    data: callable = field(repr=False)
    sklearn: bool = False

    def arrays(self, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        X, y = self.data(seed)
        return X.astype(np.float32), y


def _xor(seed):
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    return X, np.array([[0], [1], [1], [0]], dtype=np.float32)


def _digits(seed):
    from ..data import load_digits, standardize

    X, y = load_digits()
    return standardize(X), y


def _synthetic(n, features, classes):
    def make(seed):
        rng = np.random.default_rng(seed)
        X = rng.standard_normal((n, features), dtype=np.float32)
        return X, rng.integers(0, classes, n)

    return make


CASES = {
    "tiny": Case("tiny", "XOR, 2-4-1 sigmoid, BCE, full batch", [2, 4, 1], "sigmoid",
                 "bce_with_logits", "full", 0.5, _xor),
    "small": Case("small", "digits, 64-64-10 ReLU, batch 32", [64, 64, 10], "relu",
                  "cross_entropy", 32, 0.01, _digits, sklearn=True),
    "medium": Case("medium", "20,000 x 784, 784-256-128-10 ReLU, batch 128",
                   [784, 256, 128, 10], "relu", "cross_entropy", 128, 0.1,
                   _synthetic(20_000, 784, 10), sklearn=True),
    "deep": Case("deep", "20 x 64 tanh layers, batch 64", [64] * 21 + [10], "tanh",
                 "cross_entropy", 64, 0.01, _synthetic(4_096, 64, 10)),
}


def batches(case: Case, X: np.ndarray, y: np.ndarray, seed: int = 0) -> list[tuple]:
    """One epoch of shuffled batches, cut in advance so that every contender gets the same."""
    if case.batch_size == "full":
        return [(X, y)]
    order = np.random.default_rng(seed).permutation(len(X))
    size = case.batch_size
    return [(X[order[i:i + size]], y[order[i:i + size]]) for i in range(0, len(X), size)]


def _cycle(items):
    """An endless round-robin over ``items`` (the closures step through batches)."""
    while True:
        yield from items


def _eager_step(model, loss_fn, opt, batches):
    """A closure doing one training step on the next batch, written as users write it (the
    same text serves neuralab and PyTorch)."""
    feed = _cycle(batches)

    def step():
        xb, yb = next(feed)
        opt.zero_grad()
        loss_fn(model(xb), yb).backward()
        opt.step()

    return step


def neuralab_step(case: Case, data: list[tuple], seed: int = 0):
    """The eager loop: model(x), loss(...).backward(), opt.step()."""
    from .. import nn, optim

    model = nn.MLP(case.sizes, activation=case.activation, seed=seed)
    return _eager_step(model, nn.loss_module(case.loss),
                       optim.SGD(model.parameters(), lr=case.lr), data)


def neuralab_fit_calls(case: Case, X, y, seed: int = 0):
    """Calls of nl.fit (silent, with its default accuracy metric), each of enough epochs for
    at least 200 updates so that fit's set-up is spread thin; returns (call, updates per call)."""
    from .. import nn, optim
    from ..train import fit

    model = nn.MLP(case.sizes, activation=case.activation, seed=seed)
    opt = optim.SGD(model.parameters(), lr=case.lr)
    per_epoch = 1 if case.batch_size == "full" else -(-len(X) // case.batch_size)
    epochs = -(-200 // per_epoch)

    def call():
        fit(model, X, y, loss=case.loss, optimizer=opt, epochs=epochs,
            batch_size=case.batch_size, verbose=0, seed=seed)

    return call, epochs * per_epoch


def torch_step(case: Case, data: list[tuple], seed: int = 0):
    """The same step in PyTorch eager (weights laid out (out, in) as PyTorch does)."""
    import torch

    torch.manual_seed(seed)
    layers = []
    for n_in, n_out in pairwise(case.sizes):
        layers += [torch.nn.Linear(n_in, n_out), {"sigmoid": torch.nn.Sigmoid,
                                                  "relu": torch.nn.ReLU,
                                                  "tanh": torch.nn.Tanh}[case.activation]()]
    model = torch.nn.Sequential(*layers[:-1])
    loss_fn = (torch.nn.BCEWithLogitsLoss() if case.loss == "bce_with_logits"
               else torch.nn.CrossEntropyLoss())
    batches = [(torch.from_numpy(np.ascontiguousarray(xb)), torch.from_numpy(yb))
               for xb, yb in data]
    return _eager_step(model, loss_fn, torch.optim.SGD(model.parameters(), lr=case.lr), batches)


def jax_step(case: Case, data: list[tuple], seed: int = 0):
    """The same step as one ``jax.jit``-compiled update (``jax.grad`` of the loss, then SGD),
    from the NumPy reference's initial weights. The closure waits for each update to finish
    (JAX dispatches asynchronously), as the other contenders' steps do; its ``params``
    attribute returns the current ``[(W, b), ...]``."""
    import jax
    import jax.numpy as jnp

    activate = {"sigmoid": jax.nn.sigmoid, "relu": jax.nn.relu, "tanh": jnp.tanh}[case.activation]
    start = numpy_step(case.sizes, case.activation, case.loss, case.lr, data, seed)
    params = [(jnp.asarray(w), jnp.asarray(b))
              for w, b in zip(start.weights, start.biases, strict=True)]

    def loss(params, x, y):
        for w, b in params[:-1]:
            x = activate(x @ w + b)
        w, b = params[-1]
        logits = x @ w + b
        if case.loss == "bce_with_logits":  # mean of softplus(z) - z y
            return jnp.mean(jnp.logaddexp(0.0, logits) - logits * y)
        picked = jnp.take_along_axis(jax.nn.log_softmax(logits), y[:, None], axis=1)
        return -jnp.mean(picked)

    @jax.jit
    def update(params, x, y):
        grads = jax.grad(loss)(params, x, y)
        return jax.tree_util.tree_map(lambda p, g: p - case.lr * g, params, grads)

    feed = _cycle([(jnp.asarray(xb), jnp.asarray(yb)) for xb, yb in data])
    state = [params]

    def step():
        state[0] = jax.block_until_ready(update(state[0], *next(feed)))

    step.params = lambda: [(np.asarray(w), np.asarray(b)) for w, b in state[0]]
    return step


def reference_step(case: Case, data: list[tuple], seed: int = 0):
    """The hand-written NumPy step for this network."""
    return numpy_step(case.sizes, case.activation, case.loss, case.lr, data, seed)


def sklearn_epoch(case: Case, X, y, seed: int = 0):
    """One more epoch of MLPClassifier per call (same layers, SGD without momentum, warm
    start); returns (epoch, steps)."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    hidden = tuple(case.sizes[1:-1])
    model = MLPClassifier(hidden_layer_sizes=hidden, activation={"tanh": "tanh"}.get(
        case.activation, "relu" if case.activation == "relu" else "logistic"),
        solver="sgd", momentum=0.0, learning_rate_init=case.lr, batch_size=case.batch_size,
        max_iter=1, alpha=0.0, shuffle=True, random_state=seed, tol=0.0, warm_start=True)

    def epoch():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, y)

    return epoch, -(-len(X) // case.batch_size)
