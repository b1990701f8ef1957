"""The stochastic solvers' learning-rate rules: what MLPClassifier keeps as ``_optimizer``."""

from __future__ import annotations

from ..optim import SGD, Adam, RMSprop

#: the smallest learning rate the "adaptive" schedule goes down to before it stops training
MIN_ADAPTIVE_RATE = 1e-6


def build_solver(estimator, params, gradient_scale: float) -> StochasticSolver:
    """The solver of ``estimator.solver`` over ``params``, for a loss whose gradient is
    ``gradient_scale`` (c) times smaller than scikit-learn's (see ``_objective.py``)."""
    eta = float(estimator.learning_rate_init)
    if estimator.solver == "sgd":
        momentum = float(estimator.momentum)
        optimizer = SGD(params, lr=eta * gradient_scale, momentum=momentum,
                        nesterov=bool(estimator.nesterovs_momentum) and momentum > 0)
        return StochasticSolver(optimizer, eta, estimator.learning_rate, estimator.power_t,
                                gradient_scale)
    # Adam and RMSprop divide by the gradient's root mean square: a gradient c times smaller
    # gives the same steps when ε is c times smaller too
    eps = float(estimator.epsilon) / gradient_scale
    if estimator.solver == "adam":
        optimizer = Adam(params, lr=eta, betas=(estimator.beta_1, estimator.beta_2), eps=eps,
                         eps_hat=True)
    else:
        optimizer = RMSprop(params, lr=eta, eps=eps)
    return StochasticSolver(optimizer, eta, "constant", estimator.power_t, 1.0)


class StochasticSolver:
    """A neuralab optimizer and scikit-learn's learning-rate schedule around it.

    The attributes and methods are those of MLPClassifier's ``_optimizer`` (its
    ``SGDOptimizer`` / ``AdamOptimizer``): ``learning_rate`` is the current η,
    :meth:`iteration_ends` runs after each epoch and :meth:`trigger_stopping` when the
    stopping rule fires. Schedules apply to "sgd" only, as in scikit-learn.

    scikit-learn keeps SGD's velocity in parameter units, v = μv - ηg (the step is v, or
    μv - ηg with Nesterov), so when the schedule changes η the velocity keeps the old rate.
    neuralab's SGD keeps it in gradient units, b = μb + g (the step is -ηb, or -η(μb + g)),
    which is the same as v = -ηb for a constant η; :meth:`set_learning_rate` rescales b by
    η_old / η_new when η changes, which keeps the two rules identical.

    Parameters
    ----------
    optimizer : neuralab.optim.Optimizer
    learning_rate_init : float
    lr_schedule : {"constant", "invscaling", "adaptive"}
    power_t : float
    scale : float
        The optimizer's lr is ``scale`` times η (the loss-scale factor c for SGD).
    """

    def __init__(self, optimizer, learning_rate_init: float, lr_schedule: str, power_t: float,
                 scale: float) -> None:
        self.optimizer = optimizer
        self.learning_rate_init = learning_rate_init
        self.lr_schedule = lr_schedule
        self.power_t = power_t
        self.scale = scale
        self.learning_rate = learning_rate_init

    def set_learning_rate(self, value: float) -> None:
        """Change η (and the optimizer's lr), keeping the momentum of the steps so far."""
        for buffer in self.optimizer.state.get("momentum_buffer", ()):
            buffer *= self.learning_rate / value
        self.learning_rate = value
        self.optimizer.lr = value * self.scale

    def iteration_ends(self, time_step: int) -> None:
        """After an epoch, with ``time_step`` training samples seen: "invscaling" sets
        η = learning_rate_init / (time_step + 1)^power_t."""
        if self.lr_schedule == "invscaling":
            self.set_learning_rate(
                float(self.learning_rate_init) / (time_step + 1) ** self.power_t)

    def trigger_stopping(self, message: str, verbose: bool) -> bool:
        """The stopping rule fired (``message`` says why): True to stop training; "adaptive"
        divides η by 5 and goes on instead, until η <= 1e-6."""
        if self.lr_schedule != "adaptive":
            if verbose:
                print(message + " Stopping.")
            return True
        if self.learning_rate <= MIN_ADAPTIVE_RATE:
            if verbose:
                print(message + " Learning rate too small. Stopping.")
            return True
        self.set_learning_rate(self.learning_rate / 5.0)
        if verbose:
            print(message + f" Setting learning rate to {self.learning_rate:f}")
        return False
