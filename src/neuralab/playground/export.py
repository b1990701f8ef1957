""""Export as Python": the neuralab script that reproduces a playground run.

The script builds the same points (the same ``nl.data`` call, regression formula or the
learner's own points written out), the same input features (the expressions of
:data:`~.features.FEATURES`), the same ``nn.MLP`` from the same seed, the same optimizer and
``DataLoader`` (the descent variant is its batch size; the same seed gives the same shuffles),
and trains for the epochs the playground had trained with the loop of :mod:`.trainer`, written
out: the objective and its penalty, ``backward()``, clipping, ``step()`` (or the perceptron
rule). It ends by printing ``nl.evaluate``'s loss and accuracy on the training and test
points, which are the playground's numbers.

Only the public API is used, so the script runs wherever neuralab is installed (the playground
extra is not needed).
"""

from __future__ import annotations

import json
import textwrap

from ..optim.build import OPTIMIZERS
from ..train.targets import loss_function
from .catalogue import DATASETS, REGRESSION_TARGETS
from .config import VARIANTS, PlaygroundConfig
from .features import FEATURES
from .task import held_out_share
from .trainer import batch_size, drops_last_batch, loss_kind, output_activation

_VARIANTS = {
    "batch": "batch gradient descent: all {n} training points per update",
    "stochastic": "stochastic gradient descent: one point per update",
    "minibatch": "mini-batch gradient descent: {size} points per update",
}


def _text(value: str) -> str:
    """A string as a Python literal in double quotes."""
    return json.dumps(value, ensure_ascii=False)


def _header(config: PlaygroundConfig, epochs: int) -> str:
    sizes = "-".join(str(size) for size in _sizes(config))
    rule = ("the perceptron rule" if config.is_perceptron
            else OPTIMIZERS[config.optimizer].cls.__name__)
    what = (f"{DATASETS[config.dataset].label}, a {sizes} {config.activation} network, "
            f"{rule} (learning rate {config.learning_rate!r}), "
            f"{VARIANTS[config.variant].lower()} descent, seed {config.seed}, {epochs} epochs.")
    return f'''"""A neuralab playground run as a script.

{textwrap.fill(what, 96)}

Run it with `python thisfile.py`: it trains the same network on the same points in the same
order as the playground did, and prints the losses the playground showed.
"""

import numpy as np

import neuralab as nl
{_imports(config)}

EPOCHS = {epochs}  # the epochs the playground had trained; raise it to train longer
SEED = {config.seed}
'''


def _imports(config: PlaygroundConfig) -> str:
    if config.is_perceptron:
        return "from neuralab import nn"
    return "from neuralab import functional as F\nfrom neuralab import nn, optim"


def _sizes(config: PlaygroundConfig) -> list[int]:
    return [len(config.features), *config.hidden, config.n_outputs]


def _points(config: PlaygroundConfig) -> str:
    """The lines that make ``points`` (n, 2) and ``y`` (see ``task.load_points``)."""
    dataset = DATASETS[config.dataset]
    if config.dataset == "custom":
        rows = ",\n".join(f"    [{x1!r}, {x2!r}, {t!r}]" for x1, x2, t in config.custom_points)
        names = ", ".join(map(_text, config.custom_columns)) or "x1, x2, target"
        y = "table[:, 2]" if config.problem == "regression" else "table[:, 2].astype(np.int64)"
        return (f"# your own data: one row per point ({names})\n"
                f"table = np.array([\n{rows},\n], dtype=np.float32)\n"
                f"points, y = table[:, :2], {y}\n")
    if config.dataset in REGRESSION_TARGETS:
        return (f"# {config.points} points uniform in [-1, 1]², their targets "
                f"t = {REGRESSION_TARGETS[config.dataset]} plus noise\n"
                "rng = np.random.default_rng(SEED)\n"
                f"points = rng.uniform(-1.0, 1.0, size=({config.points}, 2)).astype(np.float32)\n"
                "x1, x2 = points[:, 0], points[:, 1]\n"
                f"y = ({REGRESSION_TARGETS[config.dataset]} + rng.normal(0.0, {config.noise!r}, "
                f"size={config.points})).astype(np.float32)\n")
    if dataset.fixed:
        return f"points, y = nl.data.load_dataset({_text(dataset.source)})  # the truth table\n"
    options = "".join(f", {key}={value!r}" for key, value in dataset.options.items())
    return (f"points, y = nl.data.load_dataset({_text(dataset.source)}, n={config.points}, "
            f"noise={config.noise!r}, seed=SEED{options})\n")


def _split(config: PlaygroundConfig) -> str:
    if config.is_gate:
        return ("# a truth table's four rows are the training and the test set\n"
                "points_train = points_test = points\ny_train = y_test = y\n")
    stratify = ", stratify=True" if config.problem != "regression" else ""
    return (f"points_train, points_test, y_train, y_test = nl.data.train_test_split(\n"
            f"    points, y, test_size={held_out_share(config)!r}, seed=SEED{stratify})\n")


def _features(config: PlaygroundConfig) -> str:
    labels = ", ".join(FEATURES[name][0] for name in config.features)
    columns = ", ".join(FEATURES[name][1] for name in config.features)
    return f'''

def features(points):
    """The network's inputs: {labels}."""
    x1, x2 = points[:, 0], points[:, 1]
    return np.stack([{columns}], axis=1).astype(np.float32)


X_train, X_test = features(points_train), features(points_test)
'''


def _model(config: PlaygroundConfig, n_train: int) -> str:
    cls, _, defaults = OPTIMIZERS[config.optimizer]
    options = "".join(f", {key}={value!r}" for key, value in defaults.items())
    targets = ("y_train" if config.problem == "multiclass"
               else "y_train.astype(np.float32)[:, None]")
    size = batch_size(config, n_train)
    drop = ", drop_last=True" if drops_last_batch(config, n_train) else ""
    variant = _VARIANTS[config.variant].format(n=n_train, size=size)
    if drop:
        variant += " (batch norm cannot use a last batch of one point: it is skipped)"
    output = output_activation(config)
    optimizer = ("" if config.is_perceptron else
                 f"optimizer = optim.{cls.__name__}(model.parameters(), "
                 f"lr={config.learning_rate!r}{options})\n")
    return f'''
model = nn.MLP({_sizes(config)}, activation={_text(config.activation)},
               output={_text(output) if output else None}, batch_norm={config.batch_norm!r},
               seed=SEED)
{optimizer}# {variant}, reshuffled every epoch
loader = nl.data.DataLoader(X_train, {targets},
                            batch_size={size}, shuffle=True, seed=SEED{drop})
'''


def _gradient_loop(config: PlaygroundConfig) -> str:
    loss = f"F.{loss_function(loss_kind(config)).__name__}(model(xb), yb)"
    lines = [f"        loss = {loss}"]
    prelude = ""
    if config.regularization != "none" and config.regularization_rate != 0:
        prelude = ("# the penalty covers the Linear layers' weights W, not the biases\n"
                   "weights = [p for name, p in model.named_parameters()\n"
                   "           if name.endswith(\"weight\") and p.ndim == 2]\n")
        term = "w.abs().sum()" if config.regularization == "l1" else "(w * w).sum()"
        lines.append(f"        loss = loss + sum({term} for w in weights) * "
                     f"{config.regularization_rate!r}  # {config.regularization.upper()}")
    lines += ["        optimizer.zero_grad()", "        loss.backward()"]
    if config.clip is not None:
        lines.append(f"        optim.clip_grad_norm_(model.parameters(), {config.clip!r})")
    lines.append("        optimizer.step()")
    return (prelude + "for epoch in range(EPOCHS):\n    model.train()\n"
            "    for xb, yb in loader:\n" + "\n".join(lines) + "\n")


def _perceptron_loop(config: PlaygroundConfig) -> str:
    return f'''# the perceptron rule, averaged over a batch B:
#   w <- w + lr/|B| Σ (y − ŷ) x,   b <- b + lr/|B| Σ (y − ŷ)
linear = model[0]
for epoch in range(EPOCHS):
    model.train()
    for xb, yb in loader:
        with nl.no_grad():
            error = yb - model(xb).numpy()  # -1, 0 or 1 per point
        step = {config.learning_rate!r} / len(xb)
        linear.weight.data += step * (xb.T @ error).astype(linear.weight.dtype)
        linear.bias.data += step * error.sum(axis=0).astype(linear.bias.dtype)
'''


def _report(config: PlaygroundConfig) -> str:
    kind = loss_kind(config)
    name = "error rate" if config.is_perceptron else "loss"
    if config.problem == "regression":
        metrics, accuracy = ", metrics=()", ""
    else:
        metrics, accuracy = "", ", accuracy {result['accuracy']:.9g}"
    return f'''
for split, X, y in (("train", X_train, y_train), ("test", X_test, y_test)):
    result = nl.evaluate(model, X, y, loss={_text(kind)}{metrics})
    print(f"{{split}} {name} {{result['loss']:.9g}}{accuracy}")
'''


def export_script(config: PlaygroundConfig, epochs: int, n_train: int) -> str:
    """The Python script that reproduces ``epochs`` epochs of the run of ``config``.

    Parameters
    ----------
    config : PlaygroundConfig
    epochs : int
        Epochs trained so far (the script trains as many).
    n_train : int
        Training points (the batch size of batch descent).
    """
    loop = _perceptron_loop(config) if config.is_perceptron else _gradient_loop(config)
    return (_header(config, epochs) + "\n" + _points(config) + _split(config)
            + _features(config) + _model(config, n_train) + "\n" + loop + _report(config))
