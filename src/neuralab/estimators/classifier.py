"""NeuralabClassifier: an MLP classifier with scikit-learn's interface."""

from __future__ import annotations

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.metrics import accuracy_score
from sklearn.utils.multiclass import check_classification_targets

from .. import functional as F
from ..autograd import Tensor
from ..train.targets import predicted_labels
from ._base import NeuralabEstimator
from ._params import ATTRIBUTES_DOC, PARAMETERS_DOC


class NeuralabClassifier(ClassifierMixin, NeuralabEstimator):
    __doc__ = f"""A multilayer-perceptron classifier trained by ``nl.fit``, usable wherever
    scikit-learn takes a classifier (``Pipeline``, ``GridSearchCV``, ``cross_val_score``).

    Two classes: one output logit z with binary cross-entropy,
    L = max(z, 0) - z y + ln(1 + e^(-|z|)) and P(classes_[1]) = σ(z). More classes: one logit
    per class with softmax cross-entropy, L = -log softmax(z)[y]. Labels may be any sortable
    values (strings included); they are encoded as their index in ``classes_``.

    Parameters
    ----------
{PARAMETERS_DOC}
    Attributes
    ----------
    classes_ : ndarray
        The class labels, sorted.
{ATTRIBUTES_DOC}
    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> clf = make_pipeline(StandardScaler(), NeuralabClassifier(random_state=0))
    >>> clf.fit(X_train, y_train).score(X_test, y_test)
    """

    _multi_output = False

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """One epoch over ``(X, y)``, continuing from the current weights and optimizer.

        ``classes`` (all the labels that will ever occur) is required on the first call.
        """
        if classes is None and not hasattr(self, "classes_"):
            raise ValueError(
                "classes must be passed on the first call to partial_fit: all the labels that "
                "will ever occur, e.g. classes=np.unique(y_all)."
            )
        return self._fit(X, y, sample_weight, incremental=True, classes=classes)

    @property
    def _loss(self) -> str:
        return "bce_with_logits" if len(self.classes_) == 2 else "cross_entropy"

    def _encode_targets(self, y, *, reset: bool, classes):
        """``(codes, strata, output units)``: each label's index in ``classes_``."""
        check_classification_targets(y)
        if classes is not None:
            classes = np.unique(np.asarray(classes))
            if hasattr(self, "classes_") and not reset and not np.array_equal(
                    classes, self.classes_):
                raise ValueError(
                    f"classes={classes.tolist()!r} differs from the classes of the earlier "
                    f"calls, {self.classes_.tolist()!r}; pass the same classes or None."
                )
        if reset:
            self.classes_ = np.unique(y) if classes is None else classes
            if len(self.classes_) < 2:
                only = self.classes_.tolist()[0]
                raise ValueError(
                    f"y has only one class ({only!r}); a classifier needs at least two. Check "
                    "the labels, or pass classes= (all of them) to partial_fit."
                )
        unknown = ~np.isin(y, self.classes_)
        if unknown.any():
            raise ValueError(
                f"y has labels {np.unique(y[unknown]).tolist()!r} that are not among the classes "
                f"{self.classes_.tolist()!r}. Pass all labels as classes= on the first "
                "partial_fit, or fit afresh."
            )
        codes = np.searchsorted(self.classes_, y)
        width = 1 if len(self.classes_) == 2 else len(self.classes_)
        return codes, codes, width

    def _codes(self, outputs: np.ndarray) -> np.ndarray:
        """Each row's predicted class index from the network's logits."""
        return predicted_labels(outputs, self._loss).reshape(len(outputs))

    def _validation_score(self, X, codes, sample_weight) -> float:
        return float(accuracy_score(codes, self._codes(self._forward(X)),
                                    sample_weight=sample_weight))

    def decision_function(self, X) -> np.ndarray:
        """The logits: shape (n,) for two classes (z > 0 predicts ``classes_[1]``), else
        (n, n_classes)."""
        outputs = self._outputs(X)
        return outputs[:, 0] if outputs.shape[1] == 1 else outputs

    def predict(self, X) -> np.ndarray:
        """The most probable class of each row."""
        codes = self._codes(self._outputs(X))
        return self.classes_[codes]

    def predict_log_proba(self, X) -> np.ndarray:
        """log P(class | x), shape (n, n_classes): log-softmax of the logits (of [0, z] for two
        classes, which gives log(1 - σ(z)) and log σ(z) without overflow)."""
        logits = self._outputs(X)
        if logits.shape[1] == 1:
            logits = np.hstack([np.zeros_like(logits), logits])
        return F.log_softmax(Tensor(logits)).data

    def predict_proba(self, X) -> np.ndarray:
        """P(class | x), shape (n, n_classes), rows summing to 1, columns in ``classes_`` order."""
        return np.exp(self.predict_log_proba(X))
