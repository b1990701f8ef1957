"""``neuralab train``: train an MLP on a built-in dataset or a CSV file and write the results.

With no options it trains on scikit-learn's bundled 8x8 digits (standardised, 20% held out for
testing) and writes to ``runs/<timestamp>/``: ``model.safetensors``, ``history.csv``,
``metrics.json`` and ``loss.png`` -- plus, for classification, ``confusion.png`` (true against
predicted classes on the test split) and, for two-feature datasets such as xor, moons, circles
and spiral, ``boundary.png`` (the decision regions over the test points).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from .._vocabulary import unknown_name
from ..data import DATASETS as DATASET_VOCABULARY
from ..functional import ACTIVATIONS
from ..optim import OPTIMIZERS

#: the datasets ``neuralab train`` offers: the built-in tables and 2-D sets (not truth tables)
DATASETS = DATASET_VOCABULARY.group("table", "2-D")


def _hidden(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--hidden takes layer sizes separated by commas, e.g. 64,32; got {text!r}"
        ) from None
    if any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError(f"layer sizes must be >= 1; got {text!r}")
    return sizes


def _batch_size(text: str) -> int | str:
    if text == "full":
        return "full"
    try:
        size = int(text)
    except ValueError:
        size = 0
    if size < 1:
        raise argparse.ArgumentTypeError(
            f"--batch-size takes 'full' (batch GD), 1 (stochastic GD) or a mini-batch size; "
            f"got {text!r}"
        )
    return size


def _dataset(text: str) -> str:
    if text.endswith(".csv"):
        return text
    name = text.lower().replace("-", "_")
    if name not in DATASETS:
        raise argparse.ArgumentTypeError(
            unknown_name("dataset", text, DATASETS, DATASET_VOCABULARY.hint))
    return name


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "train", help="train an MLP and write model, history, metrics and a loss plot",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--dataset", type=_dataset, default="digits",
                        help=f"{' | '.join(DATASETS)} | PATH.csv (default: digits)")
    parser.add_argument("--target", help="the label column of a CSV dataset")
    parser.add_argument("--task", choices=("auto", "classification", "regression"),
                        default="auto",
                        help="what to predict the CSV target as (default: auto -- text labels "
                             "and up to 20 distinct whole numbers are classes, other numbers "
                             "a quantity; the choice is printed)")
    parser.add_argument("--hidden", type=_hidden, default=(256,),
                        help="hidden layer sizes, e.g. 64,32 (default: 256)")
    parser.add_argument("--activation", default="relu",
                        help=f"{ACTIVATIONS.describe(ACTIVATIONS.group('hidden'))} "
                             "(default: relu)")
    parser.add_argument("--optimizer", choices=OPTIMIZERS.names, default="adam")
    parser.add_argument("--lr", type=float, help="learning rate (default: depends on optimizer)")
    parser.add_argument("--batch-size", type=_batch_size, default=32,
                        help="full (batch GD) | 1 (stochastic GD) | N (mini-batch; default 32)")
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--clip", type=float, help="clip the gradient norm to this value")
    parser.add_argument("--batch-norm", action="store_true", help="add BatchNorm1d layers")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="output folder (default: runs/<timestamp>)")
    parser.add_argument("--quiet", action="store_true", help="no progress output")


def _summary_table(config, result, out: Path):
    from rich.table import Table

    task, scores = result.task, result.scores
    table = Table(title="neuralab train", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    variant = {"full": "batch GD", 1: "stochastic GD"}.get(config.batch_size,
                                                            f"mini-batch GD ({config.batch_size})")
    rows = [
        ("dataset", f"{config.dataset}: {len(task.X_train)} train / {len(task.X_test)} test, "
                    f"{task.X_train.shape[1]} features"),
        ("network", " -> ".join(str(n) for n in
                                [task.X_train.shape[1], *config.hidden, task.n_outputs])
         + f" ({config.activation}, {result.model.num_parameters():,} parameters)"),
        ("training", f"{config.optimizer}, lr {scores['lr']:g}, {variant}, "
                     f"{scores['epochs']} epochs"),
    ]
    rows += [(name.replace("_", " "), f"{value:.4f}") for name, value in scores.items()
             if name.startswith(("train_", "test_"))]
    rows += [("seconds", f"{scores['seconds']:.1f}"), ("written to", str(out))]
    for name, value in rows:
        table.add_row(name, value)
    return table


def run(args) -> int:
    from rich.console import Console

    from .. import io
    from ..experiment import ExperimentConfig, prepare_task, run_experiment
    from ..train import CSVLogger
    from ..viz import confusion_matrix, decision_boundary, loss_curves

    config = ExperimentConfig(  # checks every setting, before any work
        dataset=args.dataset, target=args.target, task=args.task, hidden=args.hidden,
        activation=args.activation,
        optimizer=args.optimizer, lr=args.lr, batch_size=args.batch_size, epochs=args.epochs,
        clip=args.clip, batch_norm=args.batch_norm, seed=args.seed,
    )
    out = args.out or Path("runs") / time.strftime("%Y%m%d-%H%M%S")
    out.mkdir(parents=True, exist_ok=True)
    task = prepare_task(config)
    for note in [] if args.quiet else task.notes:
        print(f"neuralab train: {note}")
    result = run_experiment(
        config, task=task, callbacks=[CSVLogger(out / "history.csv")],
        verbose=0 if args.quiet else 1
    )
    io.save(result.predictor(), out / "model.safetensors")
    metrics = {**result.scores, "config": config.to_dict(), "classes": result.task.classes,
               "features": result.task.feature_names, "interrupted": result.history.interrupted}
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    figure = loss_curves(result.history, title=f"neuralab train: {config.dataset}")
    figure.savefig(out / "loss.png", dpi=100)
    task, model = result.task, result.model.eval()
    if task.kind == "classification":
        figure = confusion_matrix(model, task.X_test, task.y_test, class_names=task.classes,
                                  title=f"{config.dataset}: test split")
        figure.savefig(out / "confusion.png", dpi=100)
        if task.X_test.shape[1] == 2:
            figure = decision_boundary(model, task.X_test, task.y_test,
                                       title=f"{config.dataset}: test points (standardised)")
            figure.savefig(out / "boundary.png", dpi=100)
    if not args.quiet:
        Console().print(_summary_table(config, result, out))
    return 0
