"""Training one playground network with neuralab: the model, its loss and one epoch at a time.

The network is an ``nn.MLP`` from the selected features to its output units. Per update on a
batch B the objective is

    J(θ) = L_B(θ) + λ Ω(w),    Ω(w) = Σ|w| (L1) or Σ w² (L2)  over the weights, not the biases,

with L_B the mean over the batch of the problem's loss (:func:`loss_kind` names it as
``nl.fit`` does):

* two classes: the cross-entropy of the score z, p = σ(z) (``bce_with_logits``, whose gradient
  is σ(z) − y), or the squared error (p − y)² of a network that ends with a sigmoid (``mse``);
* several classes: the cross-entropy of the softmax of the K scores (``cross_entropy``, whose
  gradient is softmax(z) − onehot(y));
* regression: the squared error (ŷ − t)² of the output value itself (``mse``).

The engine differentiates J; the gradient may be clipped to a norm (``optim.clip_grad_norm_``)
before the optimizer's step. The gradient-descent variant is only the batch size: all training
points (batch), one point (stochastic) or ``batch_size`` points (mini-batch) per update.

Step units have no gradient (the derivative of the Heaviside step is 0, or undefined at 0), so:

* without hidden layers the network is Rosenblatt's perceptron, ŷ = H(w·x + b), trained by the
  perceptron rule  w ← w + η (y − ŷ) x,  b ← b + η (y − ŷ)  (averaged over the batch), and its
  loss is the error rate, the fraction of points on the wrong side (the mean squared error of
  its 0/1 outputs);
* with hidden step units, training stops with the engine's own NonDifferentiableError: the page
  shows that message, the network's (random) boundary, and what to change.

"Export as Python" writes this same loop into a script (:mod:`.export`).
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np

from .._config import no_grad
from ..autograd import NonDifferentiableError
from ..data import DataLoader
from ..nn.loss import LOSSES
from ..train import evaluate
from ..train.targets import loss_function
from .config import PlaygroundConfig
from .task import Task


class StepUnitsError(RuntimeError):
    """Training reached hidden step units, which gradient descent cannot train."""


def output_activation(config: PlaygroundConfig) -> str | None:
    """The MLP's output activation: a step for the perceptron, a sigmoid for two classes with
    squared error, none otherwise (scores z for cross-entropy, the value for regression)."""
    if config.is_perceptron:
        return "step"
    return "sigmoid" if config.problem == "binary" and config.loss == "mse" else None


def loss_kind(config: PlaygroundConfig) -> str:
    """The loss as ``nl.fit``, ``nl.evaluate``, ``nl.diagnostics`` and ``nl.explain`` name it.

    The perceptron's is "mse": on its 0/1 outputs the mean squared error is the error rate.
    """
    if config.problem == "multiclass":
        return "cross_entropy"
    if config.problem == "regression" or config.loss == "mse" or config.is_perceptron:
        return "mse"
    return "bce_with_logits"


def output_kind(config: PlaygroundConfig) -> str:
    """What the network outputs, in the words of ``nn.LOSSES`` (each loss's ``output``): for
    two classes a probability (through a sigmoid or the perceptron's step, whose decisions lie
    at bce's threshold 0.5) or a logit (bce_with_logits, threshold 0); else the output of its
    loss ("logits" for several classes, "value" for regression)."""
    if config.problem == "binary":
        return LOSSES["bce" if output_activation(config) else "bce_with_logits"].output
    return LOSSES[loss_kind(config)].output


def display_name(config: PlaygroundConfig) -> str:
    """The loss as the page names it."""
    if config.is_perceptron:
        return "error rate"
    return "cross-entropy" if config.loss == "cross_entropy" else "squared error"


def training_targets(config: PlaygroundConfig, y: np.ndarray) -> np.ndarray:
    """Targets as the loss takes them: class numbers (N,) for several classes, else a float32
    column (N, 1) for the one output unit."""
    return y if config.problem == "multiclass" else y.astype(np.float32)[:, None]


def build_model(config: PlaygroundConfig):
    """The configured MLP: features -> hidden layers -> output units."""
    from ..nn import MLP

    sizes = [len(config.features), *config.hidden, config.n_outputs]
    return MLP(sizes, activation=config.activation, batch_norm=config.batch_norm,
               output=output_activation(config), seed=config.seed)


def batch_size(config: PlaygroundConfig, n_train: int) -> int:
    """Points per update: all of them (batch), one (stochastic) or ``config.batch_size``."""
    return {"batch": n_train, "stochastic": 1}.get(config.variant, config.batch_size)


def drops_last_batch(config: PlaygroundConfig, n_train: int) -> bool:
    """Batch norm cannot normalise a last batch of one point: such a batch is skipped."""
    return config.batch_norm and n_train % batch_size(config, n_train) == 1


class Trainer:
    """One network and its training state for one playground session.

    Attributes
    ----------
    model : neuralab.nn.MLP
    epoch, updates : int
        Passes over the training points, and parameter updates, so far.
    kind : str
        The loss, as :func:`loss_kind` names it.
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
        n_train = len(task.X_train)
        self.loader = DataLoader(task.X_train, training_targets(config, task.y_train),
                                 batch_size=batch_size(config, n_train), shuffle=True,
                                 seed=config.seed, drop_last=drops_last_batch(config, n_train))
        self.kind = loss_kind(config)
        self.loss_name = display_name(config)
        self.epoch = 0
        self.updates = 0

    # -- the objective ------------------------------------------------------------------------
    def data_loss(self, outputs, targets):
        """Mean loss of the network's outputs against the targets (the page's loss)."""
        return loss_function(self.kind)(outputs, targets)

    def penalty(self):
        """λ Σ|w| or λ Σ w² over the weight matrices, as a tensor of the graph (None if off)."""
        if self.config.regularization == "none" or self.config.regularization_rate == 0:
            return None
        weights = [p for name, p in self.model.named_parameters()
                   if name.endswith("weight") and p.ndim == 2]
        if self.config.regularization == "l1":
            return sum(w.abs().sum() for w in weights) * self.config.regularization_rate
        return sum((w * w).sum() for w in weights) * self.config.regularization_rate

    def objective(self, X, y):
        """J = L_B + λ Ω on one batch, ready for ``backward()``."""
        loss = self.data_loss(self.model(X), y)
        penalty = self.penalty()
        return loss if penalty is None else loss + penalty

    # -- training -----------------------------------------------------------------------------
    def _gradient_update(self, X, y) -> None:
        from ..optim import clip_grad_norm_

        try:
            loss = self.objective(X, y)
            self.optimizer.zero_grad()
            loss.backward()
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
        with self.model.evaluating():
            yield self.model

    @property
    def outputs_probability(self) -> bool:
        """True if a two-class network outputs p itself (squared error, perceptron), False if
        it outputs the score z with p = σ(z) (cross-entropy); see :func:`output_kind`."""
        return output_kind(self.config) == "probability"

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The network's outputs for rows X (shape (n, outputs)), in evaluation mode."""
        with self.evaluating(), no_grad():
            return self.model(X).numpy()

    def losses(self) -> dict:
        """Train and test loss (without the penalty) and accuracy (None for regression), from
        ``nl.evaluate`` in evaluation mode."""
        metrics = () if self.config.problem == "regression" else ("accuracy",)
        result = {}
        for split, X, y in (("train", self.task.X_train, self.task.y_train),
                            ("test", self.task.X_test, self.task.y_test)):
            values = evaluate(self.model, X, y, loss=self.kind, metrics=metrics)
            result[f"{split}_loss"] = values["loss"]
            result[f"{split}_accuracy"] = values.get("accuracy")
        return result
