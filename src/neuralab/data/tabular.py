"""Tables to arrays: CSV files and pandas DataFrames, with text columns one-hot encoded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from .._optional import require


def _pandas():
    return require("pandas", install="pandas", purpose="Loading tables (load_csv / from_dataframe)")


def _check_columns(df, target) -> None:
    """The table has rows, the target column and at least one feature column."""
    columns = [str(name) for name in df.columns]
    if target not in df.columns:
        raise ValueError(
            f"The target column {target!r} is not in the table. Columns: {', '.join(columns)}."
        )
    if len(df.columns) == 1:
        raise ValueError(
            f"{target!r} is the only column, so there are no features to learn from. "
            f"The table needs at least one column besides the target."
        )
    if len(df) == 0:
        raise ValueError(f"The table has columns ({', '.join(columns)}) but no rows of data.")


def _check_missing(df) -> None:
    """Raise if any cell is missing, naming each column with gaps and how many rows it misses."""
    counts = df.isna().sum()
    gaps = counts[counts > 0]
    if len(gaps):
        listed = ", ".join(
            f"{name!r} ({count} row{'s' if count > 1 else ''})" for name, count in gaps.items()
        )
        raise ValueError(
            f"Missing values in column(s) {listed}. Drop those rows or fill them before loading "
            f"(pandas: df.dropna() or df.fillna(value))."
        )


def _numeric_or_none(column, describe_row: Callable):
    """A text column as numbers if every value parses, None if it is really text.

    A column in which at least half the values are numbers but some are not is taken for a
    numeric column with typos, and raises a ValueError pointing at the first bad value.
    """
    pd = _pandas()
    parsed = pd.to_numeric(column, errors="coerce")
    bad = parsed.isna()
    if not bad.any():
        return parsed.to_numpy(dtype=np.float32)
    if bad.sum() <= len(column) / 2:
        row = bad.idxmax()  # the index label of the first bad value
        row = row.item() if isinstance(row, np.generic) else row
        raise ValueError(
            f"Column {column.name!r} looks numeric, but {describe_row(row)} holds the text "
            f"{column.loc[row]!r} ({int(bad.sum())} non-numeric value(s) in all). Correct or "
            f"remove them; if the column is really a category, give it no number values."
        )
    return None


def _one_hot_column(column) -> tuple[np.ndarray, list[str]]:
    """Columns 0/1, one per category, named "column=value".

    Categories come in sorted order, or in the declared order for a pandas category column.
    """
    if isinstance(column.dtype, _pandas().CategoricalDtype):
        values, categories = np.asarray(column), np.asarray(column.cat.categories)
    else:
        is_bool = _pandas().api.types.is_bool_dtype(column)
        values = column.to_numpy(dtype=bool) if is_bool else column.astype(str).to_numpy()
        categories = np.unique(values)
    block = (values[:, None] == categories[None, :]).astype(np.float32)
    return block, [f"{column.name}={category}" for category in categories]


def _feature_block(column, describe_row: Callable) -> tuple[np.ndarray, list[str]]:
    """One table column as float32 feature columns and their names."""
    pd = _pandas()
    types = pd.api.types
    if types.is_bool_dtype(column) or isinstance(column.dtype, pd.CategoricalDtype):
        return _one_hot_column(column)
    if types.is_numeric_dtype(column):
        return column.to_numpy(dtype=np.float32)[:, None], [str(column.name)]
    if types.is_string_dtype(column) or types.is_object_dtype(column):
        numbers = _numeric_or_none(column, describe_row)
        if numbers is not None:
            return numbers[:, None], [str(column.name)]
        return _one_hot_column(column)
    raise TypeError(
        f"Column {column.name!r} has dtype {column.dtype}, which cannot be used as a feature. "
        f"Convert it to numbers or text first (or drop it)."
    )


def _target_array(column) -> np.ndarray:
    """Numbers stay numbers (ints int64, floats float32); other labels are returned as given."""
    types = _pandas().api.types
    if types.is_bool_dtype(column):
        return column.to_numpy(dtype=bool)
    if types.is_integer_dtype(column):
        return column.to_numpy(dtype=np.int64)
    if types.is_float_dtype(column):
        return column.to_numpy(dtype=np.float32)
    return column.to_numpy()


def _frame_to_arrays(df, target, return_feature_names: bool, describe_row: Callable):
    _check_columns(df, target)
    _check_missing(df)
    blocks, names = [], []
    for name in df.columns:
        if name != target:
            block, block_names = _feature_block(df[name], describe_row)
            blocks.append(block)
            names.extend(block_names)
    X = np.concatenate(blocks, axis=1)
    y = _target_array(df[target])
    return (X, y, names) if return_feature_names else (X, y)


def from_dataframe(df, target, *, return_feature_names: bool = False):
    """A pandas DataFrame as ``(X, y)``: the features as numbers, the target column as labels.

    Numeric columns become float32 features as they are. Text, category and bool columns are
    one-hot encoded: a column ``color`` with values red/blue becomes the 0/1 features
    ``color=blue`` and ``color=red``.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per sample, no missing values.
    target : str
        The column to predict.
    return_feature_names : bool, default False
        Also return the names of X's columns.

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
        with text in some rows (the first bad value and its row).
    """
    if not isinstance(df, _pandas().DataFrame):
        raise TypeError(f"from_dataframe expects a pandas DataFrame. Got {type(df).__name__}.")
    return _frame_to_arrays(df, target, return_feature_names, lambda row: f"row {row!r}")


def load_csv(path, target, *, return_feature_names: bool = False):
    """Read a CSV file (header row first) into ``(X, y)``; see :func:`from_dataframe`.

    Errors name the file and the line of a bad value (the header is line 1).

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    ValueError
        An empty file, and every problem :func:`from_dataframe` reports.
    """
    pd = _pandas()
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"No CSV file at {str(path)!r} (looked in {str(path.resolve().parent)!r}). "
            f"Check the path and the file name."
        )
    try:
        df = pd.read_csv(path)
    except pd.errors.EmptyDataError:
        raise ValueError(
            f"The CSV file {str(path)!r} is empty: it has no header and no rows."
        ) from None
    return _frame_to_arrays(
        df, target, return_feature_names, lambda row: f"line {row + 2} of {path.name}"
    )
