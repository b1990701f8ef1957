"""Tables to arrays: CSV files and pandas DataFrames, with text columns one-hot encoded.

The column encoding itself is :class:`~neuralab.data.encoding.TableEncoder`; this module reads
files as they come (another text encoding, numbers with commas, rows with more fields than the
header), checks the target column and returns arrays.
"""

from __future__ import annotations

import csv
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .encoding import (
    FLOAT32_MAX,
    MAX_CATEGORIES,
    TableEncoder,
    check_missing,
    finite_numbers,
    require_pandas,
    separator_hint,
)


def _check_columns(df, target) -> None:
    """The table has rows, the target column and at least one feature column."""
    columns = [str(name) for name in df.columns]
    if target not in df.columns:
        raise ValueError(
            f"The target column {target!r} is not in the table. Columns: {', '.join(columns)}."
            f"{separator_hint(columns)}"
        )
    if len(df.columns) == 1:
        raise ValueError(
            f"{target!r} is the only column, so there are no features to learn from. "
            f"The table needs at least one column besides the target."
        )
    if len(df) == 0:
        raise ValueError(f"The table has columns ({', '.join(columns)}) but no rows of data.")


def _target_array(column, describe_row: Callable) -> np.ndarray:
    """Numbers stay numbers (ints int64, floats float32, finite); other labels as given."""
    types = require_pandas().api.types
    if types.is_bool_dtype(column):
        return column.to_numpy(dtype=bool)
    if types.is_integer_dtype(column):
        return column.to_numpy(dtype=np.int64)
    if types.is_float_dtype(column):
        values = column.to_numpy(dtype=np.float64)
        finite_numbers(values, column, describe_row, FLOAT32_MAX)
        return values.astype(np.float32)
    return column.to_numpy()


def encode_table(df, target, encoder: TableEncoder, describe_row: Callable):
    """``(X, y, encoder)``: ``df``'s features encoded by ``encoder`` (fitted here) and target."""
    _check_columns(df, target)
    encoder.fit(df, target, describe_row)
    check_missing(df, [*encoder.input_columns_, target], describe_row)
    X = encoder.transform(df, describe_row)
    return X, _target_array(df[target], describe_row), encoder


def from_dataframe(df, target, *, return_feature_names: bool = False,
                   max_categories: int | None = MAX_CATEGORIES):
    """A pandas DataFrame as ``(X, y)``: the features as numbers, the target column as labels.

    Numeric columns become float32 features as they are. Text, category and bool columns are
    one-hot encoded: a column ``color`` with values red/blue becomes the 0/1 features
    ``color=blue`` and ``color=red``. A text column with more than ``max_categories`` distinct
    values (an identifier, free text) is left out with a ``DroppedColumnWarning``. See
    :class:`~neuralab.data.encoding.TableEncoder` to encode new rows the same way.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per sample, no missing values.
    target : str
        The column to predict.
    return_feature_names : bool, default False
        Also return the names of X's columns.
    max_categories : int or None, default 100
        The most distinct values a text column may have to be one-hot encoded; None for no
        limit.

    Returns
    -------
    X : ndarray of float32, shape (n_rows, n_features)
    y : ndarray, shape (n_rows,)
        Integers as int64, floats as float32, bools as bool; text labels as given (turn them
        into class codes with :func:`encode_labels`).
    feature_names : list of str
        Only with ``return_feature_names=True``.

    Raises
    ------
    ValueError
        A missing target column (the message lists the columns), a table with no feature
        column or no rows, missing values (named per column with counts), a numeric column
        with text in some rows (the first bad value and its row), numbers written with a
        comma, a value that is infinite or too large for float32.
    """
    if not isinstance(df, require_pandas().DataFrame):
        raise TypeError(f"from_dataframe expects a pandas DataFrame. Got {type(df).__name__}.")
    X, y, encoder = encode_table(df, target, TableEncoder(max_categories),
                                 lambda row: f"row {row!r}")
    encoder.warn_dropped()
    return (X, y, encoder.feature_names_) if return_feature_names else (X, y)


def line_describer(path: Path) -> Callable:
    """Row labels of a table read from ``path`` as "line N of NAME" (the header is line 1)."""
    return lambda row: f"line {row + 2} of {path.name}"


def _first_undecodable_line(path: Path, encoding: str) -> str:
    """Where the first line that ``encoding`` cannot decode is (read line by line)."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode(encoding)
            except UnicodeDecodeError as err:
                return f"line {number} (byte {line[err.start:err.start + 1]!r})"
    return "a line"


def _first_ragged_line(path: Path, encoding: str) -> str:
    """The first line whose number of fields differs from the header's (read with csv)."""
    with path.open(encoding=encoding, newline="") as handle:
        rows = csv.reader(handle)
        width = len(next(rows, []))
        for row in rows:
            if len(row) > width:
                return (f"line {rows.line_num} has {len(row)} fields but the header has "
                        f"{width}")
    return "a line does not fit the header"


def read_table(path, *, encoding: str = "utf-8", thousands: str | None = None,
               decimal: str = ".", text_columns=()):
    """Read a CSV file into a DataFrame, with errors a user can act on.

    ``text_columns`` are read as text whatever they look like (category columns of a model,
    so that "01" stays "01").

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    ValueError
        An empty file, a file not in ``encoding`` (the line of the first bad byte), a line with
        more fields than the header (often a number written as 1,000 without quotes).
    """
    pd = require_pandas()
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"No CSV file at {str(path)!r} (looked in {str(path.resolve().parent)!r}). "
            f"Check the path and the file name."
        )
    try:
        with warnings.catch_warnings():
            # pandas warns, and drops fields, when a row is longer than the header
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(path, encoding=encoding, thousands=thousands, decimal=decimal,
                               index_col=False, dtype={name: str for name in text_columns})
    except pd.errors.EmptyDataError:
        raise ValueError(
            f"The CSV file {str(path)!r} is empty: it has no header and no rows."
        ) from None
    except UnicodeDecodeError:
        raise ValueError(
            f"The CSV file {str(path)!r} is not {encoding} text: "
            f"{_first_undecodable_line(path, encoding)} cannot be decoded. Save it as UTF-8 "
            "(for example: iconv -f latin1 -t utf-8 old.csv > new.csv), or in Python pass "
            "load_csv(..., encoding='latin-1') (new rows for a model: "
            "predictor.predict(pandas.read_csv(path, encoding='latin-1')))."
        ) from None
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        raise ValueError(
            f"The CSV file {str(path)!r} cannot be read as a table: "
            f"{_first_ragged_line(path, encoding)}. Numbers written with a thousands separator "
            "(1,000) and text containing commas must be quoted, or written without the comma."
        ) from None


def csv_table(path, target, *, encoding: str = "utf-8", thousands: str | None = None,
              decimal: str = ".", max_categories: int | None = MAX_CATEGORIES):
    """``(X, y, encoder)`` of a CSV file: :func:`load_csv` with the fitted TableEncoder (and no
    warning: ``encoder.dropped_`` says which columns were left out)."""
    path = Path(path)
    df = read_table(path, encoding=encoding, thousands=thousands, decimal=decimal)
    return encode_table(df, target, TableEncoder(max_categories), line_describer(path))


def load_csv(path, target, *, return_feature_names: bool = False, encoding: str = "utf-8",
             thousands: str | None = None, decimal: str = ".",
             max_categories: int | None = MAX_CATEGORIES):
    """Read a CSV file (header row first) into ``(X, y)``; see :func:`from_dataframe`.

    Errors name the file and the line of a bad value (the header is line 1).

    Parameters
    ----------
    path : str or Path
    target : str
        The column to predict.
    return_feature_names : bool, default False
        Also return the names of X's columns.
    encoding : str, default "utf-8"
        The file's text encoding (a UTF-8 byte-order mark is fine).
    thousands, decimal : str, optional
        The thousands separator and decimal point numbers are written with, e.g.
        ``thousands=","`` for 1,250.5 or ``thousands=".", decimal=","`` for 1.250,5.
    max_categories : int or None, default 100
        Text columns with more distinct values are left out with a ``DroppedColumnWarning``.

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    ValueError
        An empty file, a file not in ``encoding``, a row with more fields than the header, and
        every problem :func:`from_dataframe` reports.
    """
    X, y, encoder = csv_table(path, target, encoding=encoding, thousands=thousands,
                              decimal=decimal, max_categories=max_categories)
    encoder.warn_dropped()
    return (X, y, encoder.feature_names_) if return_feature_names else (X, y)
