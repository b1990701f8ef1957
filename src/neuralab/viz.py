"""Figures with matplotlib, safe without a display.

Every function returns a ``matplotlib.figure.Figure`` built without pyplot, so nothing opens a
window and nothing depends on the backend; save it with ``fig.savefig("file.png")``.
"""

from __future__ import annotations


def _figure(width: float = 6.4, height: float = 4.0):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def loss_curves(history, title: str | None = None, metrics=None):
    """Training (and validation) loss per epoch, with accuracy beside it when recorded.

    Parameters
    ----------
    history : History, dict, or a fitted NeuralabClassifier / NeuralabRegressor
        What ``nl.fit`` returned, or its ``.history`` dict; for an estimator, its
        ``loss_curve_``, ``validation_loss_curve_`` and ``validation_scores_`` (see
        :func:`estimator_history`).
    metrics : sequence of str, optional
        Drawn beside the loss when recorded (as "name" and/or "val_name"). Default:
        ("accuracy",), or the estimator's score ("accuracy" or "r2").
    """
    if hasattr(history, "loss_curve_"):
        logs = estimator_history(history)
        default = ("accuracy",) if "val_accuracy" in logs else ("r2",)
    else:
        logs, default = getattr(history, "history", history), ("accuracy",)
    if "loss" not in logs:
        raise ValueError("loss_curves needs a history with a 'loss' entry (what nl.fit returns).")
    shown = [m for m in (default if metrics is None else metrics)
             if m in logs or f"val_{m}" in logs]
    figure = _figure(6.4 * (1 + 0.8 * bool(shown)), 4.0)
    axes = figure.subplots(1, 1 + bool(shown), squeeze=False)[0]
    total = len(logs["loss"])

    def plot(ax, key, label):
        values = logs[key]  # validation may cover only the last epochs (warm starts)
        ax.plot(range(total - len(values) + 1, total + 1), values, label=label)

    plot(axes[0], "loss", "train")
    if "val_loss" in logs:
        plot(axes[0], "val_loss", "validation")
    axes[0].set(xlabel="epoch", ylabel="loss", title="loss")
    axes[0].legend()
    for metric in shown:
        if metric in logs:
            plot(axes[1], metric, f"train {metric}")
        if f"val_{metric}" in logs:
            plot(axes[1], f"val_{metric}", f"validation {metric}")
    if shown:
        axes[1].set(xlabel="epoch", title=", ".join(shown))
        axes[1].legend()
    if title:
        figure.suptitle(title)
    return figure


# ---------------------------------------------------------------------- estimators
def estimator_history(estimator) -> dict:
    """The per-epoch curves of a fitted NeuralabClassifier / NeuralabRegressor, keyed as
    ``nl.fit`` keys its history: "loss" (``loss_curve_``), and with early stopping "val_loss"
    (``validation_loss_curve_``) and "val_accuracy" or "val_r2" (``validation_scores_``, the
    estimator's ``score``: accuracy for classifiers, R² for regressors).
    """
    from sklearn.base import is_classifier

    if not hasattr(estimator, "loss_curve_"):
        raise ValueError(
            f"{type(estimator).__name__} has no loss_curve_: fit the estimator first (a "
            "NeuralabClassifier, NeuralabRegressor or MLPClassifier records one)."
        )
    logs = {"loss": list(estimator.loss_curve_)}
    if getattr(estimator, "validation_loss_curve_", None) is not None:
        logs["val_loss"] = list(estimator.validation_loss_curve_)
    if getattr(estimator, "validation_scores_", None) is not None:
        score = "accuracy" if is_classifier(estimator) else "r2"
        logs[f"val_{score}"] = list(estimator.validation_scores_)
    return logs


def _module_predictions(model, X):
    """Class decisions of an ``nn.Module`` classifier on ``X`` and its class indices.

    Several outputs: the argmax (cross-entropy); one output: a threshold at 0.5 after a final
    Sigmoid, else at 0 (a logit), as ``nl.fit`` decides accuracy.
    """
    import numpy as np

    from ._config import no_grad
    from .nn import Sigmoid
    from .train.targets import predicted_labels

    was_training = model.training
    model.eval()
    try:
        with no_grad():
            output = model(np.asarray(X, dtype=next(model.parameters()).dtype)).data
    finally:
        model.train(was_training)
    if output.ndim == 2 and output.shape[1] > 1:
        return predicted_labels(output, "cross_entropy"), np.arange(output.shape[1])
    kind = "bce" if isinstance(list(model.modules())[-1], Sigmoid) else "bce_with_logits"
    return predicted_labels(output, kind).reshape(len(output)), np.arange(2)


def class_codes(classifier, y):
    """``y`` as indices into ``classifier.classes_`` (0 … K-1), the numbers a plot colours by.

    Objects without ``classes_`` (``nn`` models) take integer labels 0 … K-1 already; they are
    returned as they are.

    Raises
    ------
    ValueError
        For labels that are not among the classifier's classes.
    """
    import numpy as np

    y = np.asarray(y).reshape(-1)
    classes = getattr(classifier, "classes_", None)
    if classes is None:
        return y
    unknown = ~np.isin(y, classes)
    if unknown.any():
        raise ValueError(
            f"y has labels {np.unique(y[unknown]).tolist()!r} that the classifier does not know; "
            f"its classes_ are {np.asarray(classes).tolist()!r}."
        )
    return np.searchsorted(classes, y)


def estimator_regions(classifier, points):
    """What a decision-boundary plot shades for a fitted scikit-learn-style classifier.

    Returns ``(values, kind)`` over the (M, 2) ``points``: for two classes and a
    ``predict_proba``, P(``classes_[1]``) with kind "probability"; otherwise the predicted
    class's index in ``classes_`` with kind "class", from ``predict_proba``,
    ``decision_function`` (a score > 0 is ``classes_[1]`` for two classes) or ``predict``.
    Colour the data with :func:`class_codes` so that points and regions agree.
    """
    import numpy as np

    if hasattr(classifier, "predict_proba"):
        proba = np.asarray(classifier.predict_proba(points))
        if proba.shape[1] == 2:
            return proba[:, 1], "probability"
        return proba.argmax(axis=1), "class"
    if hasattr(classifier, "decision_function"):
        scores = np.asarray(classifier.decision_function(points))
        if scores.ndim == 1:
            return (scores > 0).astype(np.int64), "class"
        return scores.argmax(axis=1), "class"
    return class_codes(classifier, classifier.predict(points)), "class"


def confusion_matrix(model, X, y, *, normalize: str | None = None, title: str | None = None,
                     ax=None):
    """How often each true class (rows) is predicted as each class (columns).

    Parameters
    ----------
    model : fitted classifier (anything with ``predict``) or ``nn.Module``
        An ``nn`` model's class is the argmax of its outputs, or for one output a threshold
        (0.5 after a Sigmoid, 0 on a logit); its labels are then 0 … K-1.
    X : array-like of shape (N, features)
    y : array-like of shape (N,)
        True labels.
    normalize : None, "true", "pred" or "all"
        Counts, or fractions of each true class, of each predicted class, of all samples
        (as ``sklearn.metrics.confusion_matrix``).
    title : str, optional
    ax : matplotlib Axes, optional
        Draw there instead of on a new figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from sklearn.metrics import confusion_matrix as count_matrix

    from .nn import Module

    y = np.asarray(y).reshape(-1)
    if isinstance(model, Module):
        predicted, labels = _module_predictions(model, X)
    else:
        predicted = np.asarray(model.predict(X)).reshape(-1)
        labels = getattr(model, "classes_", None)
        if labels is None:
            labels = np.unique(np.concatenate([y, predicted]))
    matrix = count_matrix(y, predicted, labels=labels, normalize=normalize)
    size = 2.2 + 0.45 * len(labels)
    figure = ax.figure if ax is not None else _figure(size + 1.2, size)
    ax = ax if ax is not None else figure.subplots()
    image = ax.imshow(matrix, cmap="Blues", vmin=0)
    if ax.figure is figure and len(figure.axes) == 1:
        figure.colorbar(image, ax=ax, label="fraction" if normalize else "samples")
    form = "{:.2f}" if normalize else "{:d}"
    high = matrix.max() / 2 if matrix.size else 0
    for (row, col), value in np.ndenumerate(matrix):
        ax.text(col, row, form.format(value.item()), ha="center", va="center",
                color="white" if value > high else "black")
    names = [str(label) for label in labels]
    ax.set_xticks(range(len(names)), names, rotation=45 if len(names) > 6 else 0)
    ax.set_yticks(range(len(names)), names)
    ax.set(xlabel="predicted class", ylabel="true class", title=title or "confusion matrix")
    return figure
