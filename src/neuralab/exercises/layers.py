"""Layers and training by hand: collapsing two linear layers, batch-normalizing a mini-batch,
clipping a gradient by its norm, counting updates per epoch, and a first network of your own.

The truths come from the engine: the layers' own tensors, ``nn.BatchNorm1d``,
``optim.clip_grad_norm_``, ``data.DataLoader`` and ``nl.evaluate``.
"""

from __future__ import annotations

import numpy as np

from .. import data, nn, optim, tensor
from ._base import (
    BadAnswer,
    Exercise,
    NotAnswered,
    Verdict,
    call,
    close,
    first_difference,
    function,
    numbers,
)

#: layer 1 (2 -> 2) and layer 2 (2 -> 1), weights stored (in, out) as in nn.Linear
COLLAPSE_W1, COLLAPSE_B1 = ((1.0, 2.0), (0.0, -1.0)), (1.0, 0.0)
COLLAPSE_W2, COLLAPSE_B2 = ((3.0,), (1.0,)), (-2.0,)


def _collapsed() -> list[float]:
    w1, b1 = tensor(COLLAPSE_W1, dtype="float64"), tensor(COLLAPSE_B1, dtype="float64")
    w2, b2 = tensor(COLLAPSE_W2, dtype="float64"), tensor(COLLAPSE_B2, dtype="float64")
    weight, bias = w1 @ w2, b1 @ w2 + b2
    return [*weight.data[:, 0].tolist(), float(bias.data[0])]


def _grade_collapse(answer) -> Verdict:
    got = numbers(answer, 3, "single_layer")
    found = first_difference(got, _collapsed(), ["w1 of the single layer",
                                                 "w2 of the single layer", "b of the single layer"],
                             ["W = W1 W2: row i of W1 times the column W2.",
                              "W = W1 W2: row i of W1 times the column W2.",
                              "b = b1 W2 + b2: the first layer's bias goes through the second "
                              "layer's weights too."])
    return found or Verdict(True, "Right: the two linear layers are the single linear map "
                                  "ŷ = w1 x1 + w2 x2 + b, however many you stack.")


LINEAR_COLLAPSE = Exercise(
    name="linear-collapse", title="two linear layers are one", lesson="linear-collapse",
    task=("Layer 1: a = x W1 + b1 with W1 = [[1, 2], [0, -1]] (row i: input x_i) and "
          "b1 = [1, 0]; layer 2: ŷ = a W2 + b2 with W2 = [[3], [1]] and b2 = [-2]; no "
          "activation. As the course collapses 2(3x + 1) - 1 into 6x + 1, write ŷ as one layer "
          "ŷ = w1 x1 + w2 x2 + b and give (w1, w2, b)."),
    answer="single_layer",
    template="single_layer = (..., ..., ...)  # w1, w2, b\n",
    hints=["Substitute a = x W1 + b1 into ŷ = a W2 + b2 and expand."],
    grader=_grade_collapse,
)

BATCH = (1.0, 2.0, 3.0, 6.0)


def _normalized() -> list[float]:
    layer = nn.BatchNorm1d(1)  # training mode: the batch's own mean and variance
    out = layer(np.reshape(BATCH, (-1, 1)).astype(layer.weight.dtype))
    return [float(v) for v in out.data[:, 0]]


def _grade_batch_norm(answer) -> Verdict:
    got = numbers(answer, len(BATCH), "normalized")
    hint = ("μ_B is the mean of the batch; σ²_B = mean of (z - μ_B)², dividing by the batch "
            "size 4 (not 3); then ẑ = (z - μ_B) / √(σ²_B + ε).")
    found = first_difference(got, _normalized(), [f"ẑ for z = {z:g}" for z in BATCH],
                             [hint] * len(BATCH), rtol=5e-3, atol=1e-3)
    return found or Verdict(True, "Right: the normalized batch has mean 0 and standard "
                                  "deviation 1, as nn.BatchNorm1d computes it in training mode.")


BATCH_NORM = Exercise(
    name="batch-norm", title="batch-normalize a mini-batch by hand", lesson="batch-norm",
    task=("A unit's values over a mini-batch are z = 1, 2, 3, 6. Batch normalization computes "
          "ẑ = (z - μ_B) / √(σ²_B + ε) with the batch mean μ_B, the batch variance σ²_B and "
          "ε = 1e-5. Give the four ẑ (3 significant digits)."),
    answer="normalized",
    template="normalized = [..., ..., ..., ...]  # ẑ for z = 1, 2, 3, 6\n",
    hints=["Start with μ_B and σ²_B; ε hardly matters here."],
    grader=_grade_batch_norm,
)

#: (gradients, max_norm) cases of the clipping exercise
CLIP_CASES = (([[3.0, 4.0]], 1.0), ([[3.0, 4.0]], 10.0),
              ([[1.0, -2.0], [2.0]], 2.0), ([[0.5, 0.5, 0.5, 0.5]], 1.0))


def _clipped(gradients, max_norm) -> list[np.ndarray]:
    params = [nn.Parameter(np.zeros(len(g))) for g in gradients]
    for param, grad in zip(params, gradients, strict=True):
        param.grad = np.array(grad, dtype=np.float64)
    optim.clip_grad_norm_(params, max_norm)
    return [param.grad for param in params]


def _grade_clip(answer) -> Verdict:
    fn = function(answer, "clip_by_norm")
    for gradients, max_norm in CLIP_CASES:
        where = f"for gradients {gradients} and max_norm {max_norm:g}"
        got = call(fn, ([np.array(g) for g in gradients], max_norm), where)
        if not hasattr(got, "__len__") or len(got) != len(gradients):
            raise BadAnswer(f"clip_by_norm must return one array per gradient ({where}).")
        want = _clipped(gradients, max_norm)
        for k, (g, w) in enumerate(zip(got, want, strict=True)):
            g = np.asarray(g, dtype=np.float64)
            if g.shape != w.shape or not all(close(a, b) for a, b in zip(g, w, strict=True)):
                total = float(np.sqrt(sum(np.sum(np.square(v)) for v in gradients)))
                hint = ("Their total norm is below max_norm: leave them as they are."
                        if total <= max_norm else
                        "The total norm is √(sum of the squares of every entry of every "
                        "gradient); multiply all of them by max_norm / total norm.")
                return Verdict(False, f"Gradient {k + 1} {where} is not what clipping gives.",
                               hint)
    return Verdict(True, f"Your clipping matches optim.clip_grad_norm_ in all {len(CLIP_CASES)} "
                         "cases: the direction is kept, only the length is capped.")


CLIP_NORM = Exercise(
    name="clip-norm", title="clip gradients by their norm", lesson="exploding-gradients",
    task=("Gradient clipping caps the length of the whole gradient: with the total norm "
          "‖g‖ = √(Σ g²) over all parameters' gradients, if ‖g‖ > max_norm every gradient is "
          "multiplied by max_norm / ‖g‖. Write clip_by_norm(gradients, max_norm) that takes a "
          "list of numpy arrays and returns the clipped list."),
    answer="clip_by_norm",
    template=("import numpy as np\n\n\ndef clip_by_norm(gradients, max_norm):\n"
              "    raise NotImplementedError  # return a list of arrays\n"),
    hints=["One norm for all the gradients together, not one per array."],
    grader=_grade_clip,
)

N_SAMPLES = 1000
BATCH_SIZES = ("full", 1, 32, 64)


def _updates() -> list[float]:
    X = np.zeros((N_SAMPLES, 1))
    return [float(len(data.DataLoader(X, batch_size=b, seed=0))) for b in BATCH_SIZES]


def _grade_updates(answer) -> Verdict:
    got = numbers(answer, len(BATCH_SIZES), "updates")
    found = first_difference(
        got, _updates(), [f"batch_size={b!r}" for b in BATCH_SIZES],
        ["Batch gradient descent uses every sample for each update.",
         "Stochastic gradient descent updates after every single sample.",
         "The last mini-batch may be smaller than the others, and it still makes an update.",
         "The last mini-batch may be smaller than the others, and it still makes an update."])
    return found or Verdict(True, "Right: that is how many times the weights change per epoch "
                                  "for each variant.")


UPDATES = Exercise(
    name="updates-per-epoch", title="updates per epoch of the three variants",
    lesson="gd-variants",
    task=(f"A training set has {N_SAMPLES} samples. How many parameter updates does one epoch "
          "make with batch gradient descent (batch_size='full'), stochastic gradient descent "
          "(batch_size=1), and mini-batches of 32 and of 64? Give the four numbers."),
    answer="updates",
    template="updates = [..., ..., ..., ...]  # full, 1, 32, 64\n",
    hints=["An epoch is one pass over all the samples."],
    grader=_grade_updates,
)

TARGET_ACCURACY = 0.9


def _grade_first_network(answer) -> Verdict:
    from ..train import evaluate

    if answer is Ellipsis:
        raise NotAnswered
    X, y = data.circles(400, noise=0.08, seed=1234)  # fresh points, not the training data
    if hasattr(answer, "predict") and not isinstance(answer, nn.Module):
        accuracy = float(np.mean(np.asarray(answer.predict(X)).reshape(-1) == y))
    elif isinstance(answer, nn.Module):
        last = list(answer.modules())[-1]
        loss = "bce" if isinstance(last, nn.Sigmoid) else "bce_with_logits"
        accuracy = evaluate(answer, X, y, loss=loss)["accuracy"]
    else:
        raise BadAnswer("model must be a trained nn model (e.g. nn.MLP) or a fitted "
                        f"NeuralabClassifier; got {type(answer).__name__}.")
    if accuracy < TARGET_ACCURACY:
        return Verdict(False, f"On 400 new points of the circles your model's accuracy is "
                              f"{accuracy:.3f}, below {TARGET_ACCURACY}.",
                       "A straight line cannot separate two rings: use a hidden layer with a "
                       "non-linear activation, and train until the loss stops falling.")
    return Verdict(True, f"Accuracy {accuracy:.3f} on 400 points it never saw: your network "
                         "learned the rings, not just its training points.")


FIRST_NETWORK = Exercise(
    name="first-network", title="your first network", lesson="your-first-network",
    task=("Train a network on nl.data.circles(...) (two rings, class 1 inside) that reaches an "
          f"accuracy of at least {TARGET_ACCURACY} on new points of the same rings. Hand in "
          "the trained model (an nn model with one output, or a fitted NeuralabClassifier)."),
    answer="model",
    template=("import neuralab as nl\n\nX, y = nl.data.circles(400, noise=0.08, seed=0)\n"
              "model = ...  # build and train it here\n"),
    hints=["nn.MLP([2, 16, 1], activation='tanh') with loss='bce_with_logits' is a fine "
           "start."],
    grader=_grade_first_network,
)

EXERCISES = (LINEAR_COLLAPSE, BATCH_NORM, CLIP_NORM, UPDATES, FIRST_NETWORK)
