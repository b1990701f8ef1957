"""L-BFGS: full-batch quasi-Newton minimisation with SciPy's L-BFGS-B, over the parameters
packed into one flat vector (``packing.py``).

Gradient descent steps along -∇J with one learning rate for every direction. L-BFGS also
steps along a direction d = -H ∇J, where H approximates the inverse Hessian from the last m
steps s_k = θ_{k+1} - θ_k and gradient changes y_k = ∇J_{k+1} - ∇J_k (the two-loop recursion,
m = 10), and picks the step length by a line search that asks for sufficient decrease. There is
no learning rate to tune, and on small full-batch problems it converges in far fewer
iterations than SGD; each iteration costs one or a few evaluations of J and ∇J on all the data.
"""

from __future__ import annotations

import numpy as np

from .optimizer import _check_params, check_weight_decay
from .packing import ParameterPack


class FlatObjective:
    """J(θ) and ∇J(θ) in float64 for θ = the parameters packed into one vector, in the order
    given: J = closure() + Σ_i (λ_i / 2)‖θ_i‖².

    While it is open the parameters' ``data`` are views of one flat array (a
    :class:`~neuralab.optim.packing.ParameterPack`), which each call fills with θ; ``close()``
    gives them their own arrays back, holding the last θ.

    Parameters
    ----------
    params : list of Tensor
        All of one dtype.
    closure : callable
        ``closure() -> Tensor``: the loss at the current parameter values, a scalar whose
        graph reaches the parameters.
    weight_decay : float >= 0, or one per parameter
        λ.
    """

    def __init__(self, params, closure, weight_decay=0.0) -> None:
        self.params = _check_params(params, "minimize_lbfgs")
        rates = check_weight_decay(weight_decay, "minimize_lbfgs", len(self.params))
        self.pack = ParameterPack.pack(self.params)
        if self.pack is None:
            dtypes = sorted({str(p.data.dtype) for p in self.params})
            raise TypeError(
                "minimize_lbfgs needs parameters of one dtype (they are packed into one "
                f"vector); got {dtypes}. Convert them to one dtype first."
            )
        self.closure = closure
        self.decay = np.repeat(np.broadcast_to(rates, len(self.params)), self.pack.sizes)

    def penalty(self, theta: np.ndarray) -> float:
        """Σ_i (λ_i / 2)‖θ_i‖²."""
        return 0.5 * float((self.decay * theta) @ theta)

    def __call__(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        np.copyto(self.pack.data, theta, casting="same_kind")
        for param in self.params:
            param.grad = None
        loss = self.closure()
        loss.backward()
        for param, view in zip(self.params, self.pack.grad_views, strict=True):
            view[...] = 0 if param.grad is None else param.grad
        return float(loss.data) + self.penalty(theta), self.pack.grad + self.decay * theta

    def close(self) -> None:
        for param in self.params:
            param.grad = None
        self.pack.unpack()


def minimize_lbfgs(params, closure, *, weight_decay=0.0, max_iter: int = 15000,
                   max_fun: int = 15000, gtol: float = 1e-5, callback=None):
    """Minimise J(θ) = closure() + Σ_i (λ_i / 2) ‖θ_i‖² over the parameters θ_i, in place.

    Parameters
    ----------
    params : iterable of Tensor
        The parameters (``model.parameters()``), all of one dtype; they are packed into one
        vector θ for SciPy (which works in float64) and hold the result when this returns.
    closure : callable
        ``closure() -> Tensor``: the loss for the current parameter values, as a scalar whose
        graph reaches the parameters (this function calls its ``backward()``).
    weight_decay : float >= 0, or one per parameter
        λ: the L2 penalty (λ/2)‖θ‖², added to the value and λθ to the gradient, in float64.
    max_iter, max_fun : int
        Most iterations, and most evaluations of J (SciPy's ``maxiter`` and ``maxfun``).
    gtol : float
        Stop when the largest component of the gradient is below this.
    callback : callable, optional
        ``callback(loss, penalty)`` after each iteration: the closure's loss and the L2 term
        at the new point (J is their sum).

    Returns
    -------
    scipy.optimize.OptimizeResult
        ``x`` (θ), ``fun`` (J), ``penalty`` (the L2 term of J), ``nit`` (iterations),
        ``nfev`` (evaluations), ``status`` (0 when converged) and ``message``.

    Raises
    ------
    TypeError
        When the parameters do not share one dtype.
    """
    import scipy.optimize  # (SciPy loads only when L-BFGS is used)

    flat = FlatObjective(params, closure, weight_decay)

    def report(intermediate_result) -> None:
        penalty = flat.penalty(intermediate_result.x)
        callback(float(intermediate_result.fun) - penalty, penalty)

    try:
        # a diverging network overflows: J becomes inf or NaN, which the line search rejects
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            result = scipy.optimize.minimize(
                flat, flat.pack.data.astype(np.float64), method="L-BFGS-B", jac=True,
                callback=None if callback is None else report,
                options={"maxiter": max_iter, "maxfun": max_fun, "gtol": gtol})
        np.copyto(flat.pack.data, result.x, casting="same_kind")
        result.penalty = flat.penalty(result.x)
    finally:
        flat.close()
    return result
