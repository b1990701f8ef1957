"""The learner's own data from a CSV file: read it, list its columns, and turn the two feature
columns and the label column the learner picks into playground points.

The table is read once (:func:`read_table`) and kept by the session while the page asks which
columns to use; :func:`points_from_columns` then builds the configuration of a "custom" run
with ``nl.data.from_dataframe`` (which names missing values and text in number columns) and
``nl.data.encode_labels``. Both feature columns are standardised, z = (x − μ) / s (the
playground's features, sines included, expect coordinates near 1), and so is a regression
target; the note sent to the page says by how much.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import numpy as np

from .. import data
from .config import MAX_NAME, Limits

#: most columns a table may have
MAX_COLUMNS = 100
#: decimals kept of the standardised values (they travel in the page's link)
DECIMALS = 4


@dataclass
class Table:
    """A CSV file as read, before its columns are picked."""

    name: str
    frame: object  # a pandas DataFrame with string column names
    max_classes: int

    def summary(self) -> dict:
        """The "csv" message: rows, and per column whether it holds numbers, its number of
        distinct values and a few of them; plus a suggested pick."""
        from pandas.api.types import is_numeric_dtype

        columns = []
        for name in self.frame.columns:
            column = self.frame[name]
            columns.append({"name": name, "numeric": bool(is_numeric_dtype(column)),
                            "distinct": int(column.nunique()),
                            "examples": [str(value) for value in column.head(3)]})
        return {"type": "csv", "name": self.name, "rows": len(self.frame), "columns": columns,
                "suggestion": _suggest(columns, self.max_classes)}


def _suggest(columns: list[dict], max_classes: int) -> dict:
    """The first two number columns as x1 and x2, the last other column as the label; a label
    with few distinct values (or text) is a class, else a regression target."""
    numeric = [c["name"] for c in columns if c["numeric"]]
    x1, x2 = list(dict.fromkeys(numeric + [c["name"] for c in columns]))[:2]
    others = [c for c in columns if c["name"] not in (x1, x2)]
    label = others[-1] if others else columns[-1]
    few = label["distinct"] <= max_classes or not label["numeric"]
    return {"x1": x1, "x2": x2, "label": label["name"],
            "task": "classification" if few else "regression"}


def read_table(raw: bytes, name: str, limits: Limits) -> Table:
    """Parse an uploaded CSV file (header row first, UTF-8).

    Raises
    ------
    ValueError
        For a file that is empty, not UTF-8 text, not a table, wider than
        :data:`MAX_COLUMNS`, longer than ``limits.max_points`` rows, or with fewer than
        three columns; the message names the file.
    """
    import pandas as pd

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(f"{name!r} is not UTF-8 text (byte {err.start} is {raw[err.start]:#x}); "
                         "save it as UTF-8 CSV and upload it again.") from None
    header = text.split("\n", 1)[0]
    if not text.strip():
        raise ValueError(f"{name!r} is empty: a CSV file needs a header row and data rows.")
    if header.count(",") + 1 > MAX_COLUMNS:
        raise ValueError(f"{name!r} has {header.count(',') + 1} columns; the playground reads "
                         f"tables of up to {MAX_COLUMNS}.")
    try:
        frame = pd.read_csv(io.StringIO(text))
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise ValueError(f"{name!r} could not be read as a CSV table: {err}") from None
    frame.columns = [_printable(column) for column in frame.columns]
    if len(frame) == 0:
        raise ValueError(f"{name!r} has a header but no rows of data.")
    if len(frame) > limits.max_points:
        raise ValueError(f"{name!r} has {len(frame):,} rows; the playground takes at most "
                         f"{limits.max_points:,} points. Upload a sample of the rows.")
    if frame.shape[1] < 3 or len(set(frame.columns)) < frame.shape[1]:
        raise ValueError(f"{name!r} has the columns {', '.join(frame.columns)}; it needs three "
                         "distinct ones at least: two features and a label.")
    return Table(name, frame, limits.max_classes)


def _standardise(values: np.ndarray) -> tuple[np.ndarray, float, float]:
    scaler = data.Standardizer().fit(values.astype(np.float64)[:, None])
    standard = scaler.transform(values.astype(np.float64)[:, None])[:, 0]
    return np.round(standard, DECIMALS), float(scaler.mean_[0]), float(scaler.scale_[0])


def _formula(symbol: str, column: str, mean: float, scale: float) -> str:
    return f"{symbol} = ({column} − {mean:.4g}) / {scale:.4g}"


def points_from_columns(table: Table, x1: str, x2: str, label: str, task: str,
                        limits: Limits) -> tuple[dict, str]:
    """``(settings, note)``: the "custom" dataset settings built from three columns of the
    table, and a sentence saying what was done to them.

    Raises
    ------
    ValueError
        For a column that is not in the table, the same column picked twice, a feature column
        or a regression label that does not hold numbers, missing values, or a classification
        label with more than ``limits.max_classes`` distinct values.
    """
    known = list(table.frame.columns)
    for role, column in (("x₁", x1), ("x₂", x2), ("label", label)):
        if column not in known:
            raise ValueError(f"There is no column {column!r} (for {role}) in {table.name!r}; "
                             f"its columns are {', '.join(known)}.")
    if len({x1, x2, label}) < 3:
        raise ValueError(f"Pick three different columns for x₁, x₂ and the label; got {x1!r}, "
                         f"{x2!r} and {label!r}.")
    if task not in ("classification", "regression"):
        raise ValueError(f'The task must be "classification" or "regression"; got {task!r}.')
    X, y, names = data.from_dataframe(table.frame[[x1, x2, label]], target=label,
                                      return_feature_names=True)
    if names != [x1, x2]:
        text = x1 if names[0] != x1 else x2
        raise ValueError(f"The column {text!r} holds text, not numbers: x₁ and x₂ need number "
                         "columns (pick another, or use it as the label).")
    columns = [_standardise(X[:, 0]), _standardise(X[:, 1])]
    formulas = [_formula("x₁", x1, *columns[0][1:]), _formula("x₂", x2, *columns[1][1:])]
    if task == "regression":
        if np.asarray(y).dtype.kind not in "fiu":
            raise ValueError(f"The label column {label!r} holds text; a regression needs a "
                             "number column (or pick classification).")
        targets, mean, scale = _standardise(np.asarray(y))
        classes = []
        formulas.append(_formula("target", label, mean, scale))
        kind = "a regression target"
    else:
        targets, values = data.encode_labels(np.asarray(y))
        if len(values) > limits.max_classes:
            raise ValueError(f"The label column {label!r} has {len(values)} distinct values; "
                             f"the playground shows up to {limits.max_classes} classes. Pick "
                             "regression for a number column.")
        classes = [_class_name(value) for value in values]
        kind = f"{len(classes)} classes: {', '.join(classes)}"
    rows = np.stack([columns[0][0], columns[1][0], targets], axis=1).tolist()
    settings = {"dataset": "custom", "custom_task": task, "custom_points": rows,
                "custom_classes": classes, "custom_columns": [x1, x2, label]}
    note = (f"Read {len(rows)} rows of {table.name}, label {label!r} ({kind}). Standardised: "
            + "; ".join(formulas) + ".")
    return settings, note


def _printable(value) -> str:
    """A column or class name as one line of at most MAX_NAME characters."""
    return re.sub(r"[\x00-\x1f\x7f]", " ", str(value))[:MAX_NAME]


def _class_name(value) -> str:
    """A label value as a class name: 1.0 as "1", text as it is (see ``_printable``)."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        value = int(value)
    return _printable(value)
