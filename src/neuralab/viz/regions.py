"""What a classifier decides: decision regions over 2-D data and the confusion matrix."""

from __future__ import annotations

from ._figure import _figure


def _class_scores(model, points, output: str):
    """(values, kind) of ``model`` on ``points``: kind "probability" (one column) or "class"."""
    import numpy as np

    from ..nn import Module, Sigmoid, Softmax

    if not isinstance(model, Module):
        return estimator_regions(model, points)
    from .._config import no_grad

    with model.evaluating(), no_grad():
        dtype = next((p.dtype for p in model.parameters()), np.float32)
        out = np.asarray(model(points.astype(dtype)).data, dtype=np.float64)
    if out.ndim == 2 and out.shape[1] > 1:
        return out.argmax(axis=1), "class"
    out = out.reshape(len(points))
    if output == "auto":
        last = list(model.modules())[-1]
        output = "probabilities" if isinstance(last, Sigmoid | Softmax) else "logits"
    if output == "logits":
        out = 1 / (1 + np.exp(-np.clip(out, -500, 500)))
    elif output != "probabilities":
        raise ValueError(
            f"output must be 'auto', 'logits' or 'probabilities'. Got {output!r} instead."
        )
    return out, "probability"


def decision_boundary(model, X, y, *, output: str = "auto", resolution: int = 150,
                      title: str | None = None, feature_names=None, class_names=None, ax=None):
    """The regions a classifier assigns to each class over 2-D data, with the data on top.

    Parameters
    ----------
    model : nn.Module, or a fitted classifier (e.g. ``nl.Perceptron``, a scikit-learn-style
        estimator such as ``NeuralabClassifier``)
        One output: a probability (after a Sigmoid) or a logit, shaded by P(class 1) with the
        0.5 line drawn; several outputs: the argmax class. A classifier is read by
        :func:`estimator_regions` (``predict_proba``, ``decision_function`` or ``predict``).
    X : array-like of shape (N, 2)
    y : array-like of shape (N,)
        Class labels, used to colour the points (a classifier's ``classes_``, strings
        included, are coloured by their index, see :func:`class_codes`).
    output : "auto", "logits" or "probabilities"
        How to read a one-unit output; "auto" takes probabilities after a final Sigmoid or
        Softmax module, logits otherwise.
    resolution : int
        Grid points along each axis.
    title : str, optional
    feature_names : sequence of two str, optional
        The axis labels (default "x1" and "x2"), e.g. a CSV file's column names.
    class_names : sequence of str, optional
        The name of each class code 0 … K-1, shown in a legend (and, for one output, in the
        colour bar's "P(name)"); default: the codes themselves.
    ax : matplotlib Axes, optional
        Draw there instead of on a new figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np

    X = np.asarray(X, dtype=np.float64)
    y = class_codes(model, y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(
            f"decision_boundary draws 2-D data: X must have shape (N, 2); got {X.shape}."
        )
    feature_names = _check_names(feature_names, 2, "feature_names", ["x1", "x2"])
    if class_names is not None:
        class_names = _check_names(class_names, int(y.max()) + 1 if len(y) else 0,
                                   "class_names", None, at_least=True)
    low, high = X.min(axis=0), X.max(axis=0)
    margin = 0.1 * np.maximum(high - low, 1e-9) + 0.1
    g1, g2 = np.meshgrid(np.linspace(low[0] - margin[0], high[0] + margin[0], resolution),
                         np.linspace(low[1] - margin[1], high[1] + margin[1], resolution))
    points = np.column_stack([g1.ravel(), g2.ravel()])
    values, kind = _class_scores(model, points, output)
    values = values.reshape(g1.shape)
    figure = ax.figure if ax is not None else _figure(5.0, 4.4)
    ax = ax if ax is not None else figure.subplots()
    if kind == "probability":
        shade = ax.contourf(g1, g2, values, levels=np.linspace(0, 1, 11), cmap="RdBu_r",
                            alpha=0.45)
        ax.contour(g1, g2, values, levels=[0.5], colors="k", linewidths=1.2)
        if ax.figure is figure and len(figure.axes) == 1:
            named = class_names is not None and len(class_names) > 1
            positive = class_names[1] if named else "class 1"
            figure.colorbar(shade, ax=ax, label=f"P({positive})")
    else:
        classes = np.unique(np.concatenate([values.ravel(), y]))
        ax.contourf(g1, g2, values, levels=np.append(classes - 0.5, classes[-1] + 0.5),
                    cmap="tab10", alpha=0.3, vmin=0, vmax=9)
    points = ax.scatter(X[:, 0], X[:, 1], c=y,
                        cmap="RdBu_r" if kind == "probability" else "tab10",
                        vmin=0 if kind == "class" else None, vmax=9 if kind == "class" else None,
                        edgecolors="k", s=28)
    if class_names is not None:
        handles, _ = points.legend_elements()
        shown = np.unique(y)
        ax.legend(handles, [str(class_names[int(code)]) for code in shown[:len(handles)]],
                  loc="best", fontsize="small", framealpha=0.8)
    ax.set(xlabel=feature_names[0], ylabel=feature_names[1], title=title or "decision boundary")
    return figure


def _check_names(names, count: int, what: str, default, *, at_least: bool = False) -> list:
    """``names`` as a list of ``count`` labels (at least ``count`` with ``at_least``)."""
    if names is None:
        return default
    names = [str(name) for name in names]
    if len(names) < count or (not at_least and len(names) != count):
        raise ValueError(
            f"decision_boundary needs {'at least ' if at_least else ''}{count} {what}, one "
            f"per {'class' if what == 'class_names' else 'column of X'}. Got {len(names)}: "
            f"{names!r}."
        )
    return names



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
                     class_names=None, ax=None):
    """How often each true class (rows) is predicted as each class (columns).

    Parameters
    ----------
    model : fitted classifier (anything with ``predict``) or ``nn.Module``
        An ``nn`` model's class is the argmax of its outputs, or for one output
        P(class 1) > 0.5 (a Sigmoid's output, or σ of a logit), as :func:`decision_boundary`
        reads it; its labels are integers 0 … K-1.
    X : array-like of shape (N, features)
    y : array-like of shape (N,)
        True labels.
    normalize : None, "true", "pred" or "all"
        Counts, or fractions of each true class, of each predicted class, of all samples
        (as ``sklearn.metrics.confusion_matrix``).
    title : str, optional
    class_names : sequence, optional
        The name of each class code 0 … K-1 (e.g. the classes of a CSV file encoded with
        ``nl.data.encode_labels``), shown on the axes instead of the codes.
    ax : matplotlib Axes, optional
        Draw there instead of on a new figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from sklearn.metrics import confusion_matrix as count_matrix

    from ..nn import Module

    y = np.asarray(y).reshape(-1)
    if isinstance(model, Module):
        values, kind = _class_scores(model, np.asarray(X), "auto")
        predicted = (values > 0.5).astype(np.int64) if kind == "probability" else values
        labels = np.unique(np.concatenate([y, predicted]))
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
    if class_names is not None:
        if not all(float(label).is_integer() and 0 <= label < len(class_names)
                   for label in labels):
            raise ValueError(
                f"class_names names the class codes 0..{len(class_names) - 1}, but the labels "
                f"here are {names}. Pass class_names only with labels encoded as 0..K-1."
            )
        names = [str(class_names[int(label)]) for label in labels]
    ax.set_xticks(range(len(names)), names, rotation=45 if len(names) > 6 else 0)
    ax.set_yticks(range(len(names)), names)
    ax.set(xlabel="predicted class", ylabel="true class", title=title or "confusion matrix")
    return figure
