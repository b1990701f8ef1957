"""NeuralabClassifier: a drop-in MLPClassifier trained by neuralab."""

from __future__ import annotations

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.metrics import accuracy_score
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets, type_of_target, unique_labels
from sklearn.utils.validation import column_or_1d, validate_data

from ._base import FLOATS, SPARSE_FORMATS, NeuralabEstimator, has_partial_fit
from ._docs import ATTRIBUTES_DOC, NOTES_DOC, PARAMETERS_DOC


def _log_sigmoid(z: np.ndarray) -> np.ndarray:
    """ln σ(z) = -ln(1 + e^(-z)), without overflow for any z."""
    return -np.logaddexp(0, -z)


class NeuralabClassifier(ClassifierMixin, NeuralabEstimator):
    __doc__ = f"""A multilayer-perceptron classifier with MLPClassifier's parameters, rules and
    attributes, trained by neuralab (scikit-learn's own MLP test suite passes on it).

    Labels may be any sortable values (strings included), or a 0/1 indicator matrix for
    multilabel targets. Two classes (or one, or several labels at once): one logit per
    output with binary cross-entropy, L = max(z, 0) - z y + ln(1 + e^(-|z|)), summed over
    the outputs, and P = σ(z). More classes: one logit per class with softmax
    cross-entropy, L = -log softmax(z)[y].

    Parameters
    ----------
{PARAMETERS_DOC}
    Attributes
    ----------
    classes_ : ndarray
        The class labels, sorted (for multilabel targets: 0 .. n_labels - 1).
{ATTRIBUTES_DOC}
    Notes
    -----
{NOTES_DOC}
    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> clf = make_pipeline(StandardScaler(), NeuralabClassifier(random_state=0))
    >>> clf.fit(X_train, y_train).score(X_test, y_test)
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags

    @available_if(has_partial_fit)
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """One epoch over ``(X, y)``, continuing from the current weights and optimizer.

        ``classes`` (all the labels that will ever occur) is required on the first call.
        """
        if not hasattr(self, "classes_"):
            if classes is None:
                raise ValueError(
                    "classes must be passed on the first call to partial_fit: all the labels "
                    "that will ever occur, e.g. classes=np.unique(y_all)."
                )
            self._label_binarizer = LabelBinarizer().fit(
                y if type_of_target(y).startswith("multilabel") else classes)
            self.classes_ = unique_labels(classes)
        elif classes is not None and not np.array_equal(unique_labels(classes), self.classes_):
            raise ValueError(
                f"classes={unique_labels(classes).tolist()!r} differs from the classes of the "
                f"earlier calls, {self.classes_.tolist()!r}; pass the same classes or None."
            )
        return self._fit(X, y, sample_weight, incremental=True)

    # ------------------------------------------------------------------ targets
    def _validate_input(self, X, y, *, incremental: bool, reset: bool):
        """``(X, Y)``: the checked features and the binarized labels (n, n_outputs) as bools,
        with ``classes_`` set (afresh) or checked against the earlier fits."""
        X, y = validate_data(self, X, y, accept_sparse=SPARSE_FORMATS, multi_output=True,
                             dtype=FLOATS, reset=reset)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        if not hasattr(self, "classes_") or not (self.warm_start or incremental):
            self._label_binarizer = LabelBinarizer().fit(y)
            self.classes_ = self._label_binarizer.classes_
        elif not incremental:  # a warm start: the same classes
            classes = unique_labels(y)
            if set(classes) != set(self.classes_):
                raise ValueError(
                    "warm_start can only be used where `y` has the same classes as in the "
                    f"previous call to fit. Previously got {self.classes_}, `y` has {classes}"
                )
        else:
            unknown = np.setdiff1d(unique_labels(y), self.classes_)
            if len(unknown):
                raise ValueError(
                    f"y has labels {unknown.tolist()!r} that are not among the classes "
                    f"{self.classes_.tolist()!r}. Pass all labels as classes= on the first "
                    "partial_fit, or fit afresh."
                )
        return X, self._label_binarizer.transform(y).astype(bool)

    def _output_activation(self, Y) -> str:
        return "softmax" if self._label_binarizer.y_type_ == "multiclass" else "logistic"

    def _training_targets(self, Y) -> np.ndarray:
        """Class indices for softmax, the 0/1 columns for the logistic outputs."""
        return Y.argmax(axis=1) if self.out_activation_ == "softmax" else Y

    def _strata(self, Y):
        """The early-stopping split is stratified for one output only, as in MLPClassifier."""
        return Y if Y.shape[1] == 1 else None

    def _decisions(self, outputs: np.ndarray) -> np.ndarray:
        """Class indices (softmax) or 0/1 decisions per output (logit > 0, i.e. P > 1/2)."""
        if self.out_activation_ == "softmax":
            return outputs.argmax(axis=1)
        decisions = (outputs > 0).astype(np.int64)
        return decisions.ravel() if decisions.shape[1] == 1 else decisions

    def _score_outputs(self, outputs, targets, weights) -> float:
        truth = targets.astype(np.int64)
        truth = truth.ravel() if truth.ndim == 2 and truth.shape[1] == 1 else truth
        return float(accuracy_score(truth, self._decisions(outputs), sample_weight=weights))

    # ------------------------------------------------------------------ prediction
    def decision_function(self, X) -> np.ndarray:
        """The logits: shape (n,) for one output (z > 0 predicts ``classes_[1]``), else
        (n, n_outputs). (neuralab's; MLPClassifier has none.)"""
        outputs = self._outputs(X)
        return outputs[:, 0] if outputs.shape[1] == 1 else outputs

    def predict(self, X) -> np.ndarray:
        """The most probable class of each row (for multilabel targets, the 0/1 matrix)."""
        outputs = self._outputs(X)
        if outputs.shape[1] == 1:
            outputs = outputs.ravel()
        return self._label_binarizer.inverse_transform(outputs, threshold=0.0)

    def predict_proba(self, X) -> np.ndarray:
        """P(class | x), shape (n, n_classes), columns in ``classes_`` order: softmax of the
        logits, (1 - σ(z), σ(z)) for one output, σ(z) per label for multilabel targets (whose
        rows need not sum to 1). Computed from log P without overflow for any logit."""
        logits = self._outputs(X)
        if self.out_activation_ == "softmax":
            shifted = logits - logits.max(axis=1, keepdims=True)
            log_proba = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        elif logits.shape[1] == 1:
            log_proba = np.hstack([_log_sigmoid(-logits), _log_sigmoid(logits)])
        else:
            log_proba = _log_sigmoid(logits)
        return np.exp(log_proba)

    def predict_log_proba(self, X) -> np.ndarray:
        """log of :meth:`predict_proba`, as MLPClassifier computes it (so that both rank the
        classes alike even where probabilities round to 1; -inf where one rounds to 0)."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))
