"""Training curves: loss and metrics per epoch, of ``nl.fit`` histories and estimators."""

from __future__ import annotations

from ._figure import _figure


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
