"""scikit-learn estimators built on neuralab: ``NeuralabClassifier`` and ``NeuralabRegressor``.

Drop-in replacements for MLPClassifier and MLPRegressor: the same parameters (plus
``clip_grad_norm``, ``batch_norm`` and ``dropout``), the same rules, initial weights and
fitted attributes -- scikit-learn's own MLP test suite passes on them, and so do its
estimator checks -- trained by neuralab's engine (``nl.fit``, or L-BFGS over the packed
parameters). They work in pipelines, grid searches and cross-validation, pickle, and save with
``nl.save``.
"""

from .classifier import NeuralabClassifier
from .regressor import NeuralabRegressor

__all__ = ["NeuralabClassifier", "NeuralabRegressor"]
