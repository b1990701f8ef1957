"""``neuralab predict MODEL DATA.csv``: a trained model's predictions for the rows of a CSV file.

MODEL is a model file written by ``neuralab train`` (or ``nl.save`` of a Predictor or of a
NeuralabClassifier / NeuralabRegressor fitted on a DataFrame). DATA needs the columns the model
was trained on, by name, in any order; other columns (an id, the target) are ignored. The
predictions come in the rows' order, one column named after the target, plus one column
``proba_CLASS`` per class with ``--proba``; they are the same numbers as ``nl.load(MODEL)
.predict(DATA)`` in Python.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "predict", help="predict the rows of a CSV file with a trained model",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("model", type=Path, help="model file (e.g. runs/<time>/model.safetensors)")
    parser.add_argument("data", type=Path, help="CSV file with the model's input columns")
    parser.add_argument("--out", type=Path, help="write the predictions to this CSV file "
                                                 "(default: print them)")
    parser.add_argument("--proba", action="store_true",
                        help="add each class's probability (classification models)")


def _estimator_frame(estimator, path: Path):
    """The columns of ``path`` that an estimator fitted on a DataFrame was fitted on."""
    from ..data.tabular import read_table

    names = getattr(estimator, "feature_names_in_", None)
    if names is None:
        raise ValueError(
            f"The {type(estimator).__name__} in this file was fitted on an array without "
            "column names, so it cannot tell which CSV columns to read. Fit it on a pandas "
            "DataFrame (it then records feature_names_in_) and save it again."
        )
    frame = read_table(path)
    absent = [name for name in names if name not in frame.columns]
    if absent:
        raise ValueError(
            f"The table lacks the column(s) {', '.join(map(repr, absent))} that the model was "
            f"trained on. It has: {', '.join(map(str, frame.columns))}."
        )
    return frame[list(names)]


def predictions(loaded, path: Path, proba: bool):
    """The predictions of a loaded model file for the CSV at ``path``, as a DataFrame."""
    from ..estimators import NeuralabClassifier, NeuralabRegressor
    from ..predictor import Predictor, prediction_table

    if isinstance(loaded, Predictor):
        if proba and loaded.task != "classification":
            raise ValueError("--proba is for classification models; this one predicts "
                             f"{loaded.target!r} as a number.")
        return loaded.predict_frame(path, proba=proba)
    if not isinstance(loaded, NeuralabClassifier | NeuralabRegressor):
        raise ValueError(
            "This file holds a bare network (nl.save of an nn.Module), without the columns, "
            "standardisation and class labels it was trained with. neuralab predict needs a "
            "file written by neuralab train, or nl.save of a Predictor or of an estimator "
            "fitted on a DataFrame."
        )
    classes = getattr(loaded, "classes_", None)
    if proba and classes is None:
        raise ValueError("--proba is for classification models; this one predicts numbers.")
    frame = _estimator_frame(loaded, path)
    return prediction_table("prediction", loaded.predict(frame), classes,
                            loaded.predict_proba(frame) if proba else None)


def run(args) -> int:
    from .. import io

    frame = predictions(io.load(args.model), args.data, args.proba)
    if args.out is None:
        try:
            frame.to_csv(sys.stdout, index=False)
        except BrokenPipeError:  # the reader (e.g. `| head`) stopped early: not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(args.out, index=False)
    print(f"neuralab predict: wrote {len(frame)} predictions to {args.out}")
    return 0
