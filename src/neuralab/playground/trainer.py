"""Training one playground network with neuralab: the model, its loss and one epoch at a time.

The network is an ``nn.MLP`` from the selected features to one output unit, read as the
probability p of class 1. Per update on a batch B the objective is

    J(θ) = L_B(θ) + λ Ω(w),    Ω(w) = Σ|w| (L1) or Σ w² (L2)  over the weights, not the biases,

with L_B the mean cross-entropy (the network outputs the score z and p = σ(z); the loss is
``binary_cross_entropy_with_logits``, whose gradient is σ(z) − y) or the mean squared error
(p − y)² (the network ends with a sigmoid). The engine differentiates J; the gradient may be
clipped to a norm (``optim.clip_grad_norm_``) before the optimizer's step. The gradient-descent
variant is only the batch size: all training points (batch), one point (stochastic) or
``batch_size`` points (mini-batch) per update.

Step units have no gradient (the derivative of the Heaviside step is 0, or undefined at 0), so:

* without hidden layers the network is Rosenblatt's perceptron, ŷ = H(w·x + b), trained by the
  perceptron rule  w ← w + η (y − ŷ) x,  b ← b + η (y − ŷ)  (averaged over the batch), and its
  loss is the error rate, the fraction of points on the wrong side;
* with hidden step units, training stops with the engine's own NonDifferentiableError: the page
  shows that message, the network's (random) boundary, and what to change.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np

from .. import functional as F
from .._config import no_grad
from ..autograd import NonDifferentiableError, Tensor
from ..data import DataLoader
from .config import PlaygroundConfig
from .task import Task


class StepUnitsError(RuntimeError):
    """Training reached hidden step units, which gradient descent cannot train."""


def output_activation(config: PlaygroundConfig) -> str | None:
    """The MLP's output activation: a step for the perceptron, a sigmoid for squared error,
    none (the score z) for cross-entropy."""
    if config.is_perceptron:
        return "step"
    return "sigmoid" if config.loss == "mse" else None


def loss_name(config: PlaygroundConfig) -> str:
    """The loss as ``nl.fit``, ``nl.diagnostics`` and ``nl.explain`` name it."""
    return "mse" if config.loss == "mse" else "bce_with_logits"


def build_model(config: PlaygroundConfig):
    """The configured MLP: features -> hidden layers -> one output unit."""
    from ..nn import MLP

    sizes = [len(config.features), *config.hidden, 1]
    return MLP(sizes, activation=config.activation, batch_norm=config.batch_norm,
               output=output_activation(config), seed=config.seed)


def _batch_size(config: PlaygroundConfig, n_train: int) -> int:
    return {"batch": n_train, "stochastic": 1}.get(config.variant, config.batch_size)


class Trainer:
    """One network and its training state for one playground session.

    Attributes
    ----------
    model : neuralab.nn.MLP
    epoch, updates : int
        Passes over the training points, and parameter updates, so far.
    loss_name : str
        What :meth:`losses` measures: "cross-entropy", "squared error" or "error rate".
    """

    def __init__(self, config: PlaygroundConfig, task: Task, model=None) -> None:
        from ..optim import build_optimizer

        self.config = config
        self.task = task
        self.model = build_model(config) if model is None else model
        self.model.train()
        self.optimizer = build_optimizer(config.optimizer, self.model.parameters(),
                                         lr=config.learning_rate)
        size = _batch_size(config, len(task.X_train))
        # batch norm cannot normalise a last batch of one point: skip it in that case
        drop_last = config.batch_norm and len(task.X_train) % size == 1
        self.loader = DataLoader(task.X_train, task.y_train[:, None], batch_size=size,
                                 shuffle=True, seed=config.seed, drop_last=drop_last)
        self.epoch = 0
        self.updates = 0
        if config.is_perceptron:
            self.loss_name = "error rate"
        else:
            self.loss_name = "cross-entropy" if config.loss == "cross_entropy" else "squared error"

    # -- the objective ------------------------------------------------------------------------
    def data_loss(self, outputs: Tensor, targets) -> Tensor:
        """Mean loss of the network's outputs against the targets y (the page's loss)."""
        if self.config.loss == "cross_entropy":
            return F.binary_cross_entropy_with_logits(outputs, targets)
        return F.mse_loss(outputs, targets)

    def penalty(self) -> Tensor | None:
        """λ Σ|w| or λ Σ w² over the weight matrices, as a tensor of the graph (None if off)."""
        if self.config.regularization == "none" or self.config.regularization_rate == 0:
            return None
        weights = [p for name, p in self.model.named_parameters() if name.endswith("weight")
                   and p.ndim == 2]
        terms = [w.abs().sum() if self.config.regularization == "l1" else (w * w).sum()
                 for w in weights]
        total = terms[0]
        for term in terms[1:]:
            total = total + term
        return total * self.config.regularization_rate

    def objective(self, X, y) -> Tensor:
        """J = L_B + λ Ω on one batch, ready for ``backward()``."""
        loss = self.data_loss(self.model(X), y)
        penalty = self.penalty()
        return loss if penalty is None else loss + penalty

    # -- training -----------------------------------------------------------------------------
    def _gradient_update(self, X, y) -> None:
        from ..optim import clip_grad_norm_

        self.optimizer.zero_grad()
        try:
            self.objective(X, y).backward()
        except NonDifferentiableError as err:
            raise StepUnitsError(
                f"{err} The hidden units here use the step activation: remove the hidden layers "
                "to train a single perceptron with its learning rule, or switch to sigmoid."
            ) from err
        if self.config.clip is not None:
            clip_grad_norm_(self.model.parameters(), self.config.clip)
        self.optimizer.step()

    def _perceptron_update(self, X, y) -> None:
        """w ← w + η/|B| Σ (y − ŷ) x,  b ← b + η/|B| Σ (y − ŷ)."""
        linear = self.model[0]
        with no_grad():
            error = y - self.model(X).numpy()  # (B, 1), entries -1, 0 or 1
        step = self.config.learning_rate / len(X)
        linear.weight.data += step * (X.T @ error).astype(linear.weight.dtype)
        linear.bias.data += step * error.sum(axis=0).astype(linear.bias.dtype)

    def train_epoch(self) -> None:
        """One pass over the training points: one update per batch.

        Raises
        ------
        StepUnitsError
            If the network has hidden step units (see the module docstring).
        """
        update = self._perceptron_update if self.config.is_perceptron else self._gradient_update
        self.model.train()
        for X, y in self.loader:
            update(X, y)
            self.updates += 1
        self.epoch += 1

    # -- measuring ----------------------------------------------------------------------------
    @contextmanager
    def evaluating(self):
        """Evaluation mode for the block: batch norm uses (and keeps) its running statistics."""
        self.model.eval()
        try:
            yield self.model
        finally:
            self.model.train()

    @property
    def outputs_probability(self) -> bool:
        """True if the network's output is p itself (squared error, perceptron), False if it is
        the score z with p = σ(z) (cross-entropy)."""
        return output_activation(self.config) is not None

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The network's outputs for rows X (shape (n, 1)), in evaluation mode."""
        with self.evaluating(), no_grad():
            return self.model(X).numpy()

    def losses(self) -> dict:
        """Train and test loss and accuracy, in evaluation mode, without the penalty."""
        result = {}
        for split, X, y in (("train", self.task.X_train, self.task.y_train),
                            ("test", self.task.X_test, self.task.y_test)):
            outputs = self.predict(X)
            threshold = 0.5 if self.outputs_probability else 0.0
            predicted = (outputs[:, 0] > threshold).astype(np.float32)
            if self.config.is_perceptron:
                loss = float(np.mean(predicted != y))
            else:
                with no_grad():
                    loss = self.data_loss(Tensor(outputs), y[:, None]).item()
            result[f"{split}_loss"] = loss
            result[f"{split}_accuracy"] = float(np.mean(predicted == y))
        return result
