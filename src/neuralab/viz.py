"""Figures with matplotlib, safe without a display.

Every function returns a ``matplotlib.figure.Figure`` built without pyplot, so nothing opens a
window and nothing depends on the backend; save it with ``fig.savefig("file.png")``.
"""

from __future__ import annotations


def _figure(width: float = 6.4, height: float = 4.0):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def loss_curves(history, title: str | None = None, metrics=("accuracy",)):
    """Training (and validation) loss per epoch, with accuracy beside it when recorded.

    Parameters
    ----------
    history : History or dict
        What ``nl.fit`` returned, or its ``.history`` dict.
    """
    logs = getattr(history, "history", history)
    if "loss" not in logs:
        raise ValueError("loss_curves needs a history with a 'loss' entry (what nl.fit returns).")
    shown = [m for m in metrics if m in logs]
    figure = _figure(6.4 * (1 + 0.8 * bool(shown)), 4.0)
    axes = figure.subplots(1, 1 + bool(shown), squeeze=False)[0]
    epochs = range(1, len(logs["loss"]) + 1)
    axes[0].plot(epochs, logs["loss"], label="train")
    if "val_loss" in logs:
        axes[0].plot(epochs, logs["val_loss"], label="validation")
    axes[0].set(xlabel="epoch", ylabel="loss", title="loss")
    axes[0].legend()
    for metric in shown:
        axes[1].plot(epochs, logs[metric], label=f"train {metric}")
        if f"val_{metric}" in logs:
            axes[1].plot(epochs, logs[f"val_{metric}"], label=f"validation {metric}")
    if shown:
        axes[1].set(xlabel="epoch", title=", ".join(shown))
        axes[1].legend()
    if title:
        figure.suptitle(title)
    return figure
