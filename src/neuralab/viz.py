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


# ---------------------------------------------------------------------- computational graphs
def _graph_nodes(root) -> list:
    """Every tensor ``root`` was computed from (and root itself), each once, inputs first."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        stack.extend((parent, False) for parent in node.parents if id(parent) not in seen)
    return order


def retain_grads(tensor) -> None:
    """Keep ``.grad`` on every intermediate tensor of ``tensor``'s graph after ``backward()``.

    Call it before ``loss.backward()`` so that :func:`graph` can show every node's gradient,
    not only the leaves'.
    """
    for node in _graph_nodes(tensor):
        if not node.is_leaf:
            node.retain_grad()


def _short(array) -> str:
    """A number, a short list of numbers, or the shape of a larger array."""
    import numpy as np

    array = np.asarray(array)
    if array.size == 1:
        return f"{array.item():.4g}"
    if array.size <= 4:
        return "[" + ", ".join(f"{v:.4g}" for v in array.ravel()) + "]"
    return f"{array.dtype.name} array {array.shape}"


def graph(tensor) -> str:
    """The computational graph that produced ``tensor``, as Graphviz DOT text.

    Each node is a tensor: a leaf shows its name (or "input"/"parameter") and value, an
    intermediate result shows the op that made it ("matmul", "sigmoid", ...) and its value;
    every node whose ``.grad`` is known shows ``grad`` too (leaves after ``backward()``; call
    :func:`retain_grads` before ``backward()`` to keep the intermediate ones). Arrows point
    from inputs to results, the direction of the forward pass. Render the text with Graphviz
    (:func:`render_graph`, ``dot -Tsvg``) or any DOT viewer.

    Examples
    --------
    >>> w = nl.tensor(0.5, requires_grad=True, name="w")
    >>> loss = (w * 3.0).sigmoid()
    >>> viz.retain_grads(loss); loss.backward()
    >>> print(viz.graph(loss))   # digraph { ... "sigmoid" ... "grad 0.2..." ... }
    """
    nodes = _graph_nodes(tensor)
    ids = {id(node): f"n{k}" for k, node in enumerate(nodes)}
    lines = ["digraph computation {", "  rankdir=LR;",
             '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];']
    for node in nodes:
        if node.is_leaf:
            title = node.name or ("parameter" if node.requires_grad else "constant")
            color = "#cfe2ff" if node.requires_grad else "#eeeeee"
        else:
            title = f"{node.op}" + (f" ({node.name})" if node.name else "")
            color = "#fff3cd" if node is not tensor else "#f8d7da"
        label = [title, f"value {_short(node.data)}"]
        if node.grad is not None:
            label.append(f"grad {_short(node.grad)}")
        text = "\\n".join(part.replace('"', "'") for part in label)
        lines.append(f'  {ids[id(node)]} [label="{text}", fillcolor="{color}"];')
    for node in nodes:
        lines += [f"  {ids[id(parent)]} -> {ids[id(node)]};" for parent in node.parents]
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_graph(tensor, path) -> None:
    """Write :func:`graph` as an image; the format follows the suffix (.svg, .png, .pdf).

    Needs Graphviz's ``dot`` program (``apt-get install graphviz``, ``brew install graphviz``).

    Raises
    ------
    FileNotFoundError
        If ``dot`` is not installed; the message says how to install it or to use the DOT text.
    ValueError
        For a suffix Graphviz does not write.
    """
    import shutil
    import subprocess
    from pathlib import Path

    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in ("svg", "png", "pdf"):
        raise ValueError(f"render_graph writes .svg, .png or .pdf files; got {str(path)!r}.")
    dot = shutil.which("dot")
    if dot is None:
        raise FileNotFoundError(
            "Graphviz's 'dot' program is not installed, so the graph cannot be drawn as an image. "
            "Install Graphviz (apt-get install graphviz / brew install graphviz / conda install "
            "graphviz), or write the DOT text of nl.viz.graph(tensor) to a .dot file and open it "
            "in any DOT viewer."
        )
    subprocess.run([dot, f"-T{fmt}", "-o", str(path)], input=graph(tensor), text=True,
                   check=True, capture_output=True)


# ---------------------------------------------------------------------- decision boundaries
def _class_scores(model, points, output: str):
    """(values, kind) of ``model`` on ``points``: kind "probability" (one column) or "class"."""
    import numpy as np

    from .nn import Module, Sigmoid, Softmax

    if not isinstance(model, Module):
        return estimator_regions(model, points)
    from ._config import no_grad

    was_training = model.training
    model.eval()
    try:
        with no_grad():
            dtype = next((p.dtype for p in model.parameters()), np.float32)
            out = np.asarray(model(points.astype(dtype)).data, dtype=np.float64)
    finally:
        model.train(was_training)
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
                      title: str | None = None, ax=None):
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
            figure.colorbar(shade, ax=ax, label="P(class 1)")
    else:
        classes = np.unique(np.concatenate([values.ravel(), y]))
        ax.contourf(g1, g2, values, levels=np.append(classes - 0.5, classes[-1] + 0.5),
                    cmap="tab10", alpha=0.3, vmin=0, vmax=9)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu_r" if kind == "probability" else "tab10",
               vmin=0 if kind == "class" else None, vmax=9 if kind == "class" else None,
               edgecolors="k", s=28)
    ax.set(xlabel="x1", ylabel="x2", title=title or "decision boundary")
    return figure


# ---------------------------------------------------------------------- gradient flow
def gradient_flow(report, *, title: str | None = None, ax=None):
    """Gradient norm of each layer on a log scale, flagged layers in red.

    Parameters
    ----------
    report : diagnostics.Report, its ``to_dict()``, or a dict {label: report}
        Several labelled reports are drawn as one line each, to compare networks (sigmoid
        against ReLU, with and without batch norm).
    title : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    def layers_of(item):
        data = item.to_dict() if hasattr(item, "to_dict") else item
        if not isinstance(data, dict) or "layers" not in data:
            raise TypeError(
                "gradient_flow takes a diagnostics Report (nl.diagnostics.report(...)), its "
                f"to_dict(), or a dict of them by label. Got {type(item).__name__}."
            )
        return data["layers"]

    single = hasattr(report, "to_dict") or (isinstance(report, dict) and "layers" in report)
    series = {"": report} if single else dict(report)
    figure = ax.figure if ax is not None else _figure(6.4, 4.0)
    ax = ax if ax is not None else figure.subplots()
    for label, item in series.items():
        layers = layers_of(item)
        index = [layer["index"] for layer in layers]
        norms = [max(layer["grad_norm"], 1e-30) for layer in layers]
        ax.plot(index, norms, marker="o", label=label or None)
        flagged = [(i, n) for i, n, layer in zip(index, norms, layers, strict=True)
                   if layer["flags"]]
        if flagged:
            ax.scatter(*zip(*flagged, strict=True), s=90, facecolors="none",
                       edgecolors="red", linewidths=1.5, zorder=3)
    ax.set_yscale("log")
    ax.set(xlabel="layer (1 = next to the input)", ylabel="‖dL/dW‖",
           title=title or "gradient flow (red rings: flagged layers)")
    if not single:
        ax.legend()
    return figure


# ---------------------------------------------------------------------- activations
def activation_values(name: str, z, **options):
    """(g(z), g'(z)) of the activation ``name`` on the points ``z``, g' by autograd.

    Softmax is shown along one input: s(z) = softmax([z, 0])_0 (which is σ(z)). The step
    function has no usable gradient: autograd refuses it, and g' is returned as zeros
    (it is 0 wherever it exists).
    """
    import numpy as np

    from . import functional as F
    from .autograd.function import NonDifferentiableError
    from .autograd.tensor import tensor

    key = name.lower().replace("-", "_")
    z = tensor(np.asarray(z, dtype=np.float64), requires_grad=True, dtype="float64")
    if F.ACTIVATIONS.get(key) is F.softmax:
        pairs = F.softmax(z.reshape(-1, 1) * np.array([1.0, 0.0]), axis=-1)
        out = pairs[:, 0]
    else:
        out = F.get_activation(key)(z, **options)
    try:
        out.sum().backward()
    except NonDifferentiableError:
        return out.data, np.zeros_like(z.data)
    return out.data, z.grad


def activation_plot(name: str, *, low: float = -5.0, high: float = 5.0, ax=None, **options):
    """An activation g(z) and its derivative g'(z) (computed by autograd) on [low, high].

    Parameters
    ----------
    name : str
        "sigmoid", "tanh", "relu", "leaky_relu", "softmax", "step", "identity".
    low, high : float
        The range of z.
    ax : matplotlib Axes, optional
    **options
        Passed to the activation, e.g. ``alpha=0.1`` for leaky_relu.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np

    z = np.linspace(low, high, 401)
    values, slopes = activation_values(name, z, **options)
    figure = ax.figure if ax is not None else _figure(5.0, 3.6)
    ax = ax if ax is not None else figure.subplots()
    ax.plot(z, values, label="g(z)")
    derivative = "g'(z) (autograd)" if name != "step" else "g'(z) = 0, undefined at 0"
    ax.plot(z, slopes, "--", label=derivative)
    ax.axhline(0, color="gray", linewidth=0.5)
    ax.axvline(0, color="gray", linewidth=0.5)
    ax.set(xlabel="z", title=name)
    ax.legend(fontsize=8)
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
    ax.set_xticks(range(len(names)), names, rotation=45 if len(names) > 6 else 0)
    ax.set_yticks(range(len(names)), names)
    ax.set(xlabel="predicted class", ylabel="true class", title=title or "confusion matrix")
    return figure
