"""A fitted scikit-learn MLPClassifier / MLPRegressor as a neuralab network."""

from __future__ import annotations

import numpy as np

from .. import functional as F

#: scikit-learn's activation names -> neuralab's (each a spelling of nl.functional.ACTIVATIONS)
ACTIVATIONS = {name: F.ACTIVATIONS.key(name) for name in
               F.ACTIVATIONS.choose("identity", "logistic", "tanh", "relu", "softmax")}


def from_sklearn(mlp, *, logits: bool = False, dtype=None):
    """The ``nn.MLP`` with the weights of a fitted ``MLPClassifier`` or ``MLPRegressor``.

    scikit-learn stores each layer's weights as ``coefs_[i]`` of shape (in, out) and
    ``intercepts_[i]``, exactly as neuralab's Linear stores W and b, so they are copied as they
    are. The hidden layers use ``mlp.activation``; the output layer ``mlp.out_activation_``:
    "softmax" (several classes: the network returns ``predict_proba``), "logistic" (two
    classes or multi-label: σ, i.e. ``predict_proba(X)[:, 1]`` for two classes) or "identity"
    (regression: ``predict``, as a column).

    Parameters
    ----------
    mlp : sklearn.neural_network.MLPClassifier or MLPRegressor
        Fitted.
    logits : bool, default False
        Leave out the output activation, so that the network returns the scores that
        ``BCEWithLogitsLoss`` / ``CrossEntropyLoss`` train (to continue training it in
        neuralab).
    dtype : "float32" or "float64", optional
        Of the weights; by default neuralab's default dtype (float32).

    Returns
    -------
    neuralab.nn.MLP, in evaluation mode.

    Raises
    ------
    TypeError
        For anything but a scikit-learn MLP; ``NotFittedError`` for an unfitted one.

    Examples
    --------
    >>> net = nl.interop.from_sklearn(MLPClassifier().fit(X, y))
    >>> np.allclose(net(X).numpy(), mlp.predict_proba(X), atol=1e-6)   # several classes
    """
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.utils.validation import check_is_fitted

    from .._config import config
    from ..nn import MLP, Linear

    if not isinstance(mlp, MLPClassifier | MLPRegressor):
        raise TypeError(
            "from_sklearn takes a fitted sklearn.neural_network.MLPClassifier or MLPRegressor. "
            f"Got {type(mlp).__name__}."
        )
    check_is_fitted(mlp)
    sizes = [mlp.coefs_[0].shape[0], *(coef.shape[1] for coef in mlp.coefs_)]
    output = None if logits or mlp.out_activation_ == "identity" else (
        ACTIVATIONS[mlp.out_activation_])
    with config(dtype=dtype):
        net = MLP(sizes, activation=ACTIVATIONS[mlp.activation], output=output, seed=0)
    layers = [layer for layer in net if isinstance(layer, Linear)]
    for layer, weight, bias in zip(layers, mlp.coefs_, mlp.intercepts_, strict=True):
        np.copyto(layer.weight.data, weight, casting="same_kind")
        np.copyto(layer.bias.data, bias, casting="same_kind")
    return net.eval()
