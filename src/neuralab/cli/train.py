"""``neuralab train``: train an MLP on a built-in dataset or a CSV file and write the results.

With no options it trains on scikit-learn's bundled 8x8 digits (standardised, 20% held out for
testing) and writes to ``runs/<timestamp>/``: ``model.safetensors``, ``history.csv``,
``metrics.json`` and ``loss.png`` -- plus, for classification, ``confusion.png`` (true against
predicted classes on the test split) and, for two-feature data such as xor, moons, circles
and spiral, ``boundary.png`` (the decision regions over the test points).

The 2-D teaching sets (xor, moons, circles, spiral, gaussians) have defaults of their own,
which learn each of them well: 1000 points, hidden layers 64,64, lr 0.01, 100 epochs.
An option given on the command line always wins.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
import warnings
from pathlib import Path

from .._vocabulary import unknown_name
from ..data.registry import DATASETS as DATASET_VOCABULARY
from ..data.registry import SYNTHETIC_NAMES as SYNTHETIC
from ..optim.build import OPTIMIZERS

#: digits and the synthetic 2-D sets, whose size and noise can be chosen (--n-samples, --noise)
DATASETS = ("digits", *SYNTHETIC)
#: settings that are not given on the command line (None: the optimizer's own learning rate)
DEFAULTS = {"hidden": (256,), "epochs": 40, "lr": None}
#: what the synthetic sets take instead (test accuracy over 10 seeds: README, "Two commands")
SYNTHETIC_DEFAULTS = {"n_samples": 1000, "hidden": (64, 64), "epochs": 100, "lr": 0.01}


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
    if text in DATASETS or text.endswith(".csv"):
        return text
    raise argparse.ArgumentTypeError(
        unknown_name("dataset", text, DATASETS, DATASET_VOCABULARY.hint))


def _number(kind, low, *, low_open: bool, high=None, what: str):
    """An argparse type: a ``kind`` number above ``low`` (and below ``high``)."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or value != value or (value <= low if low_open else value < low) or (
                high is not None and value >= high):
            raise argparse.ArgumentTypeError(f"expected {what}; got {text!r}")
        return value
    return parse


def activation_names() -> dict[str, list[str]]:
    """The activations ``--activation`` accepts, read from ``nn.activation.ACTIVATION_MODULES``:
    the name of each class it trains through, with its aliases (the step function has no
    gradient and is left out)."""
    from ..nn.activation import ACTIVATION_MODULES

    names: dict[type, list[str]] = {}
    for name, module in ACTIVATION_MODULES.items():
        if module.trainable:
            names.setdefault(module, []).append(name)
    return {aliases[0]: aliases[1:] for aliases in names.values()}


def _activation_help() -> str:
    return " | ".join(name + "".join(f" (or {alias})" for alias in aliases)
                      for name, aliases in activation_names().items())


def _activation(text: str) -> str:
    from .._validation import check_name
    from ..nn.activation import ACTIVATION_MODULES

    accepted = activation_names()
    trainable = [name for main_name, aliases in accepted.items()
                 for name in (main_name, *aliases)]
    listing = ", ".join(trainable)
    try:
        name = check_name(text, ACTIVATION_MODULES, "activation")
    except ValueError:
        raise argparse.ArgumentTypeError(unknown_name("activation", text, trainable)) from None
    if not ACTIVATION_MODULES[name].trainable:
        raise argparse.ArgumentTypeError(
            f"{text!r} has no gradient (its derivative is 0 wherever it is defined), so "
            f"gradient descent cannot train through it: choose one of {listing} (sigmoid is "
            "the smooth step; `neuralab lesson hiking` shows step units at work)")
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
    parser.add_argument("--n-samples", type=_number(int, 10, low_open=False,
                                                    what="a number of points >= 10"),
                        metavar="N", help="points of a synthetic dataset (default: 1000)")
    parser.add_argument("--noise", type=_number(float, 0.0, low_open=False,
                                                what="a standard deviation >= 0"),
                        help="jitter of a synthetic dataset (default: the dataset's own)")
    parser.add_argument("--validation-split", type=_number(float, 0.0, low_open=False, high=1.0,
                                                           what="a fraction in [0, 1)"),
                        default=0.0, metavar="FRACTION",
                        help="hold out this part of the training split and score it after "
                             "every epoch (loss.png shows the validation curve; default: 0)")
    parser.add_argument("--hidden", type=_hidden,
                        help="hidden layer sizes, e.g. 64,32 (default: 256; 64,64 for the "
                             "synthetic sets)")
    parser.add_argument("--activation", type=_activation, default="relu",
                        help=f"{_activation_help()} (default: relu)")
    parser.add_argument("--optimizer", choices=OPTIMIZERS.names, default="adam")
    parser.add_argument("--lr", type=_number(float, 0.0, low_open=True, what="a number > 0"),
                        help="learning rate (default: the optimizer's own; 0.01 for the "
                             "synthetic sets)")
    parser.add_argument("--batch-size", type=_batch_size, default=32,
                        help="full (batch GD) | 1 (stochastic GD) | N (mini-batch; default 32)")
    parser.add_argument("--epochs", type=_number(int, 1, low_open=False, what="an integer >= 1"),
                        help="passes over the training data (default: 40; 100 for the "
                             "synthetic sets)")
    parser.add_argument("--clip", type=_number(float, 0.0, low_open=True, what="a number > 0"),
                        help="clip the gradient norm to this value")
    parser.add_argument("--batch-norm", action="store_true", help="add BatchNorm1d layers")
    parser.add_argument("--seed", type=_number(int, 0, low_open=False, what="an integer >= 0"),
                        default=0)
    parser.add_argument("--out", type=Path, help="output folder (default: runs/<timestamp>)")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress output; only the line saying where the results went")


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
    rows += [(f"validation {name[4:]}", f"{values[-1]:.4f}")
             for name, values in result.history.history.items()
             if name.startswith("val_") and values]
    rows += [("seconds", f"{scores['seconds']:.1f}"), ("written to", str(out))]
    for name, value in rows:
        table.add_row(name, value)
    return table


def _config(args):
    """The ExperimentConfig of the command line, checked before any data is loaded."""
    from ..experiment import ExperimentConfig, check_combination

    csv = args.dataset.endswith(".csv")
    if args.target is not None and not csv:
        raise ValueError(f"--target names the label column of a CSV file; the built-in dataset "
                         f"{args.dataset!r} has its labels already. Leave out --target.")
    data_options = [flag for flag, value in (("--n-samples", args.n_samples),
                                             ("--noise", args.noise)) if value is not None]
    if data_options and args.dataset not in SYNTHETIC:
        raise ValueError(f"{' and '.join(data_options)} set the size and jitter of a synthetic "
                         f"dataset ({', '.join(SYNTHETIC)}); {args.dataset!r} is fixed.")
    defaults = {**DEFAULTS, **(SYNTHETIC_DEFAULTS if args.dataset in SYNTHETIC else {})}
    chosen = {name: default if getattr(args, name, None) is None else getattr(args, name)
              for name, default in defaults.items()}
    config = ExperimentConfig(
        dataset=args.dataset, target=args.target, task=args.task, activation=args.activation,
        optimizer=args.optimizer, batch_size=args.batch_size, clip=args.clip,
        batch_norm=args.batch_norm, seed=args.seed, noise=args.noise,
        validation_split=args.validation_split, **chosen,
    )
    check_combination(config)
    return config


def _out_folder(args) -> Path:
    out = args.out or Path("runs") / time.strftime("%Y%m%d-%H%M%S")
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {str(out)!r} is a file, not a folder: name a folder for the "
                         "results (it is created if needed).")
    return out


def _notes(config, task) -> list[str]:
    from ..experiment import drops_last_batch, fit_rows

    notes = list(task.notes)
    rows = fit_rows(config, task)
    if drops_last_batch(config, rows):
        notes.append(f"batch norm: {rows} training rows in batches of {config.batch_size} "
                     "leave a last batch of 1 sample, which cannot be normalised; it is skipped "
                     "each epoch (a different row each time, as the rows are shuffled)")
    return notes


def _write_results(result, config, out: Path) -> None:
    """model.safetensors first (once it is written, the run is worth keeping), then the rest."""
    from .. import io
    from ..viz import confusion_matrix, decision_boundary, loss_curves

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
                                       feature_names=task.feature_names,
                                       class_names=task.classes,
                                       title=f"{config.dataset}: test points (standardised)")
            figure.savefig(out / "boundary.png", dpi=100)


def run(args) -> int:
    from rich.console import Console

    from ..experiment import prepare_task, run_experiment
    from ..train import CSVLogger, TrainingDivergedError

    config = _config(args)
    out = _out_folder(args)
    task = prepare_task(config)  # bad data fails here, before any folder is made
    for note in [] if args.quiet else _notes(config, task):
        print(f"neuralab train: {note}")
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    try:
        with warnings.catch_warnings():  # Ctrl-C: said below in one line, not as a warning
            warnings.filterwarnings("ignore", message="Training interrupted")
            result = run_experiment(config, task=task, callbacks=[CSVLogger(out / "history.csv")],
                                    verbose=0 if args.quiet else 1)
        _write_results(result, config, out)
    except BaseException as err:
        if created and not (out / "model.safetensors").exists():
            shutil.rmtree(out, ignore_errors=True)  # no half-made run folder
        if isinstance(err, TrainingDivergedError):  # its advice names fit's keywords
            raise TrainingDivergedError(
                f"{err} On the command line: a smaller --lr, or --clip 1.0.", err.history
            ) from None
        raise
    if args.quiet:
        print(f"neuralab train: results in {out}")
    else:
        Console().print(_summary_table(config, result, out))
    if result.history.interrupted:
        print(f"neuralab train: interrupted (Ctrl-C) after {result.scores['epochs']} of "
              f"{config.epochs} epochs; the model as trained so far is in {out}.",
              file=sys.stderr)
        return 130
    return 0
