"""Training with solver="lbfgs": SciPy's L-BFGS-B on the full-batch objective, as
MLPClassifier does (``optim.minimize_lbfgs``)."""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from ..optim import minimize_lbfgs
from ..optim.lbfgs import FlatObjective
from ._network import bind, packing_order
from ._objective import objective


def _problem(estimator, X, targets, weights):
    """``(parameters in MLPClassifier's packing order, closure, weight decay per parameter,
    objective)``: J = c·L + (α / 2n)‖W‖² over all n samples (n times their mean weight)."""
    scale = 1.0 if weights is None else float(np.mean(weights))
    weights = None if weights is None else weights / scale
    goal = objective(estimator.out_activation_, estimator.n_outputs_, targets, weights)
    model = estimator.model_.train()
    params = packing_order(model)
    rate = float(estimator.alpha) / (X.shape[0] * scale)
    decay = [rate if param.ndim == 2 else 0.0 for param in params]
    return params, (lambda: goal.loss(model(X), targets, weights)), decay, goal


def loss_and_gradient(estimator, theta, X, targets, weights):
    """J(θ) and ∇J(θ) for θ = every coefs_ raveled, then every intercepts_ (the parameters
    take the values θ)."""
    params, closure, decay, _ = _problem(estimator, X, targets, weights)
    flat = FlatObjective(params, closure, decay)
    try:
        return flat(np.asarray(theta, dtype=np.float64))
    finally:
        flat.close()
        estimator.model_.eval()


def fit_lbfgs(estimator, X, targets, weights, random_state) -> None:
    """Minimise the objective for at most ``max_iter`` iterations and ``max_fun`` evaluations,
    to a gradient below ``tol``; warn as MLPClassifier does when it did not converge."""
    bind(estimator, seed=int(random_state.randint(2**31 - 1)))
    params, closure, decay, goal = _problem(estimator, X, targets, weights)

    def reported(loss: float, penalty: float) -> float:  # MLPClassifier's loss from J's parts
        return goal.report(loss / goal.gradient_scale) + penalty

    first = len(estimator.loss_curve_)

    def record(loss: float, penalty: float) -> None:  # after each iteration
        value = reported(loss, penalty)
        estimator.loss_curve_.append(value)
        if estimator.verbose:
            print(f"Iteration {len(estimator.loss_curve_) - first}, loss = {value:.8f}")

    try:
        result = minimize_lbfgs(params, closure, weight_decay=decay, max_iter=estimator.max_iter,
                                max_fun=estimator.max_fun, gtol=estimator.tol, callback=record)
    finally:
        estimator.model_.eval()
    estimator.n_iter_ = min(int(result.nit), estimator.max_iter)
    estimator.loss_ = reported(float(result.fun) - result.penalty, result.penalty)
    if result.status != 0:
        advice = (f" Raise max_iter (it was {estimator.max_iter}) to train longer."
                  if estimator.n_iter_ == estimator.max_iter else "")
        warnings.warn(
            f"lbfgs failed to converge after {estimator.n_iter_} iteration(s) "
            f"(status={result.status}): {result.message}.{advice} Scaling the data (e.g. "
            "with StandardScaler) can help too.", ConvergenceWarning, stacklevel=4)
