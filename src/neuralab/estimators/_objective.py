"""The loss an estimator minimises, on MLPClassifier's and MLPRegressor's scale.

The network outputs raw scores z, and neuralab's fused losses take them with the link built
in (sigmoid or softmax for the classifier, exp for the Poisson regressor), averaged over all
their terms. scikit-learn's objective for k outputs differs from that mean by a factor c per
loss, on the gradient, and reports its loss with a factor r (and, for Poisson, a constant)::

    out_activation_   neuralab loss L (mean)     sklearn's gradient   sklearn's reported loss
    "softmax"         cross_entropy               ∇L        (c = 1)     L        (r = 1)
    "logistic"        bce_with_logits             k ∇L      (c = k)     k L      (r = k)
    "identity"        mse: (ŷ - y)²               (k/2) ∇L  (c = k/2)   L / 2    (r = 1/2)
    "exp"             poisson_nll: e^z - y z      k ∇L      (c = k)     k L + Σ_j mean(y ln y - y)

(for several targets MLPRegressor's squared error averages over them, but its gradient sums:
c and r differ there). Training minimises c·L + (α / 2n)‖W‖², whose gradient is exactly
scikit-learn's, and logs r·L (+ the constant) + the penalty, which is scikit-learn's loss.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import xlogy

from ..train.targets import loss_function, weighted_loss

#: out_activation_ -> the neuralab loss of the network's raw outputs
LOSS_KINDS = {"softmax": "cross_entropy", "logistic": "bce_with_logits", "identity": "mse",
              "exp": "poisson_nll"}


@dataclass(frozen=True)
class Objective:
    """One estimator's loss: neuralab's ``kind`` and the factors above.

    Attributes
    ----------
    kind : str
        The ``nl.fit`` loss name.
    gradient_scale : float
        c: scikit-learn's data-loss gradient is c times that of neuralab's loss.
    report_scale : float
        r: scikit-learn's reported data loss is r times neuralab's loss, plus ``offset``.
    offset : float
        The Poisson deviance's constant Σ_j mean_i (y_ij ln y_ij - y_ij), else 0.
    """

    kind: str
    gradient_scale: float
    report_scale: float
    offset: float = 0.0

    def report(self, loss: float) -> float:
        """scikit-learn's data loss from neuralab's mean loss ``loss``."""
        return self.report_scale * loss + self.offset

    def loss(self, output, targets, weights=None):
        """c·L of the outputs (a Tensor), weighted by mean-1 ``weights`` when given."""
        if weights is None:
            value = loss_function(self.kind)(output, targets)
        else:
            value = weighted_loss(self.kind)(output, targets, weights)
        return value * self.gradient_scale


def objective(out_activation: str, n_outputs: int, targets=None, weights=None) -> Objective:
    """The objective of a network with ``n_outputs`` outputs and this output link; ``targets``
    (and mean-1 ``weights``) give the Poisson constant."""
    kind = LOSS_KINDS[out_activation]
    if kind == "cross_entropy":
        return Objective(kind, 1.0, 1.0)
    if kind == "mse":
        return Objective(kind, n_outputs / 2, 0.5)
    offset = 0.0
    if kind == "poisson_nll" and targets is not None:
        terms = xlogy(targets, targets) - targets
        offset = float(np.sum(np.average(terms, axis=0, weights=weights)))
    return Objective(kind, float(n_outputs), float(n_outputs), offset)
