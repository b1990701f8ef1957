"""Activation functions and their autograd derivatives, as numbers and as plots."""

from __future__ import annotations

from ._figure import _figure


def activation_values(name: str, z, **options):
    """(g(z), g'(z)) of the activation ``name`` on the points ``z``, g' by autograd.

    Softmax is shown along one input: s(z) = softmax([z, 0])_0 (which is σ(z)). The step
    function has no usable gradient: autograd refuses it, and g' is returned as zeros
    (it is 0 wherever it exists).
    """
    import numpy as np

    from .. import functional as F
    from ..autograd.function import NonDifferentiableError
    from ..autograd.tensor import tensor

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
