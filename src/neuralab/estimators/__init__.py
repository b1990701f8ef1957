"""scikit-learn estimators built on neuralab: ``NeuralabClassifier`` and ``NeuralabRegressor``.

They take MLPClassifier's parameters (plus ``clip_grad_norm``, ``batch_norm`` and ``dropout``),
train an ``nl.nn.MLP`` with ``nl.fit``, and pass scikit-learn's estimator checks, so they work
in pipelines, grid searches and cross-validation, pickle, and save with ``nl.save``.
"""

from .classifier import NeuralabClassifier
from .regressor import NeuralabRegressor

__all__ = ["NeuralabClassifier", "NeuralabRegressor"]
