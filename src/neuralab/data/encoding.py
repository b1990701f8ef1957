"""How a table's columns become a network's features, learnt once and applied to new rows.

:class:`TableEncoder` decides, from the training table, what each column is: a number (kept as
one float32 feature) or a category (one 0/1 feature per value seen, "column=value"). It keeps
those decisions, so that new rows (a test file, the rows ``neuralab predict`` reads) are encoded
into exactly the same features -- or refused with an error that names the column: one that is
missing, a category value never seen in training, text where a number belongs.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable

import numpy as np

from .._optional import require

#: text columns with more distinct values than this are dropped (identifiers, free text)
MAX_CATEGORIES = 100
#: the largest magnitude a float32 feature can hold
FLOAT32_MAX = float(np.finfo(np.float32).max)
#: kinds of encoded columns
KINDS = ("number", "category", "bool")
#: numbers written with a comma: 1,250 / 12,5 (a thousands separator or a decimal comma)
_COMMA_NUMBER = re.compile(r"\s*[+-]?(\d{1,3}(,\d{3})+|\d+,\d+)(\.\d+)?\s*")


class DroppedColumnWarning(UserWarning):
    """A table column was left out of the features (for example an identifier column)."""


def require_pandas():
    return require("pandas", install="pandas", purpose="Loading tables (load_csv / from_dataframe)")


def first_row(mask, describe_row: Callable) -> str:
    """The description of the first row where the boolean Series ``mask`` is true."""
    row = mask.idxmax()
    return describe_row(row.item() if isinstance(row, np.generic) else row)


def _some(names: list[str], shown: int = 8) -> str:
    """Up to ``shown`` names, comma-separated; a longer list ends with how many there are."""
    if len(names) <= shown:
        return ", ".join(names)
    return f"{', '.join(names[:shown])}, ... ({len(names)} in all)"


def separator_hint(columns: list[str]) -> str:
    """A sentence for a table read as one column whose name holds ';' or a tab (the file was
    not comma-separated); empty otherwise."""
    if len(columns) != 1:
        return ""
    separator = next((sep for sep in (";", "\t") if sep in columns[0]), None)
    if separator is None:
        return ""
    shown = "a tab" if separator == "\t" else repr(separator)
    return (f" The file seems to separate its values with {shown}, not commas: save it as "
            f"comma-separated CSV, or in Python read it with pandas.read_csv(path, "
            f"sep={separator!r}) and pass the DataFrame.")


def check_missing(df, columns, describe_row: Callable | None = None) -> None:
    """Raise if a cell of ``columns`` is missing, naming each column with gaps and its count.

    With ``describe_row`` (row label -> "line N of FILE"), the message also says where the
    first missing cell is.
    """
    missing = df[list(columns)].isna()
    counts = missing.sum()
    gaps = counts[counts > 0]
    if len(gaps):
        listed = ", ".join(
            f"{name!r} ({count} row{'s' if count > 1 else ''})" for name, count in gaps.items()
        )
        where = "" if describe_row is None else (
            f", the first at {first_row(missing.any(axis=1), describe_row)}")
        raise ValueError(
            f"Missing values in column(s) {listed}{where}. Drop those rows or fill them before "
            f"loading (pandas: df.dropna() or df.fillna(value))."
        )


def finite_numbers(values: np.ndarray, column, describe_row: Callable, limit: float) -> None:
    """Raise unless every value is finite and at most ``limit`` in magnitude."""
    bad = ~np.isfinite(values) | (np.abs(np.nan_to_num(values)) > limit)
    if bad.any():
        index = int(np.argmax(bad))
        where = describe_row(column.index[index])
        value = float(values[index])
        problem = "is not a finite number" if not np.isfinite(value) else (
            f"is too large for float32 (|x| > {limit:.3g})")
        raise ValueError(
            f"Column {column.name!r} holds {value!r} at {where}, which {problem} "
            f"({int(bad.sum())} such value(s) in all). Replace or drop those rows; rescale the "
            "column if its values are really that large."
        )


def _as_numbers(column, describe_row: Callable) -> np.ndarray | None:
    """A text column as float64 numbers if every value parses; None if it is really text.

    Raises a ValueError for numbers written with a comma (1,250 or 12,5), and for a column in
    which at least half the values are numbers but some are not (a numeric column with typos).
    """
    pd = require_pandas()
    parsed = pd.to_numeric(column, errors="coerce")
    bad = parsed.isna()
    if not bad.any():
        return parsed.to_numpy(dtype=np.float64)
    text = column[bad].astype(str)
    commas = text.str.fullmatch(_COMMA_NUMBER)
    if commas.all():
        example = text[commas].iloc[0]
        raise ValueError(
            f"Column {column.name!r} holds numbers written with a comma, like {example!r} at "
            f"{first_row(bad, describe_row)}: a thousands separator or a decimal comma. Write "
            "them without it (1250, 12.5), or in Python pass load_csv(..., thousands=',') or "
            "decimal=','."
        )
    if bad.sum() <= len(column) / 2:
        row = first_row(bad, describe_row)
        raise ValueError(
            f"Column {column.name!r} looks numeric, but {row} holds the text "
            f"{text.iloc[0]!r} ({int(bad.sum())} non-numeric value(s) in all). Correct or "
            f"remove them; if the column is really a category, give it no number values."
        )
    return None


def _category_text(column) -> np.ndarray:
    """A column's values as the strings its categories are named by."""
    return column.astype(str).to_numpy(dtype=object)


class TableEncoder:
    """Encode a table's columns as float32 features, the same way for training and new data.

    ``fit`` decides each column's kind from the training table (the target excluded):

    - "number": a numeric column, or a text column whose every value is a number; one feature,
      its value (which must be finite and fit in float32).
    - "category": a text or pandas category column; one 0/1 feature per category, named
      "column=value", in sorted order (the declared order for a pandas category).
    - "bool": a True/False column, encoded like a category.

    A category column with more than ``max_categories`` distinct values is dropped with a
    :class:`DroppedColumnWarning` (the caller issues it; see ``dropped_``): it is an identifier
    or free text, and one-hot encoding it would make a feature per row.

    Parameters
    ----------
    max_categories : int or None, default 100
        The most distinct values a category column may have; None keeps every column.

    Attributes
    ----------
    columns_ : list of dict
        Per kept column: {"name", "kind", and for categories "categories"}.
    dropped_ : list of dict
        Per dropped column: {"name", "distinct": its number of distinct values}.
    feature_names_ : list of str
        The names of the encoded features, in order.
    """

    def __init__(self, max_categories: int | None = MAX_CATEGORIES) -> None:
        if max_categories is not None and (
                isinstance(max_categories, bool) or not isinstance(max_categories, int)
                or max_categories < 1):
            raise ValueError(f"max_categories must be a positive int or None. Got "
                             f"{max_categories!r} instead.")
        self.max_categories = max_categories

    # ------------------------------------------------------------------ fit
    def fit(self, df, target=None, describe_row: Callable = lambda row: f"row {row!r}"):
        """Learn the kind of every column of ``df`` except ``target``; returns self."""
        self.columns_, self.dropped_ = [], []
        for name in df.columns:
            if name == target:
                continue
            spec = self._column_spec(df[name], describe_row)
            if spec["kind"] == "dropped":
                self.dropped_.append({"name": str(name), "distinct": spec["distinct"]})
            else:
                self.columns_.append(spec)
        if not self.columns_:
            raise ValueError(
                "No feature columns are left: "
                + "; ".join(self.dropped_messages()) + "."
            )
        return self

    def _column_spec(self, column, describe_row: Callable) -> dict:
        pd = require_pandas()
        types = pd.api.types
        name = str(column.name)
        if types.is_bool_dtype(column):
            return {"name": name, "kind": "bool",
                    "categories": sorted(set(_category_text(column.dropna())))}
        if isinstance(column.dtype, pd.CategoricalDtype):
            categories = [str(value) for value in column.cat.categories]
        elif types.is_numeric_dtype(column):
            return {"name": name, "kind": "number"}
        elif types.is_string_dtype(column) or types.is_object_dtype(column):
            if _as_numbers(column.dropna(), describe_row) is not None:
                return {"name": name, "kind": "number"}
            categories = sorted(set(_category_text(column.dropna())))
        else:
            raise TypeError(
                f"Column {column.name!r} has dtype {column.dtype}, which cannot be used as a "
                f"feature. Convert it to numbers or text first (or drop it)."
            )
        if self.max_categories is not None and len(categories) > self.max_categories:
            return {"name": name, "kind": "dropped", "distinct": len(categories)}
        return {"name": name, "kind": "category", "categories": categories}

    def dropped_messages(self) -> list[str]:
        """One sentence per dropped column, saying why and how to keep it."""
        return [
            f"column {drop['name']!r} was left out: its {drop['distinct']:,} distinct text "
            f"values (more than max_categories={self.max_categories}) make it an identifier "
            "or free text, not a category; one-hot encoding would give it "
            f"{drop['distinct']:,} features. Encode it yourself to keep it"
            for drop in self.dropped_
        ]

    def warn_dropped(self, stacklevel: int = 3) -> None:
        """Issue a DroppedColumnWarning per dropped column."""
        for message in self.dropped_messages():
            warnings.warn(message[0].upper() + message[1:] + ".", DroppedColumnWarning,
                          stacklevel=stacklevel)

    # ------------------------------------------------------------------ transform
    @property
    def feature_names_(self) -> list[str]:
        names = []
        for spec in self.columns_:
            if spec["kind"] == "number":
                names.append(spec["name"])
            else:
                names.extend(f"{spec['name']}={value}" for value in spec["categories"])
        return names

    @property
    def input_columns_(self) -> list[str]:
        """The columns new data must have, in order."""
        return [spec["name"] for spec in self.columns_]

    def transform(self, df, describe_row: Callable = lambda row: f"row {row!r}") -> np.ndarray:
        """``df``'s rows as the features learnt by ``fit``: float32, (n_rows, n_features).

        Columns not used (the target, dropped ones, any others) are ignored.

        Raises
        ------
        ValueError
            A missing column (naming it and what the table has), a missing value, text in a
            number column, a non-finite or too large number, a category never seen in fit.
        """
        if not hasattr(self, "columns_"):
            raise ValueError("This TableEncoder is not fitted yet. Call fit(table) first.")
        columns = [str(name) for name in df.columns]
        absent = [name for name in self.input_columns_ if name not in columns]
        if absent:
            raise ValueError(
                f"The table lacks the column(s) {_some(list(map(repr, absent)))} that the model "
                f"was trained on. It has: {_some(columns)}.{separator_hint(columns)}"
            )
        frame = df.rename(columns=str)
        check_missing(frame, self.input_columns_, describe_row)
        blocks = [self._encode(spec, frame[spec["name"]], describe_row) for spec in self.columns_]
        return np.concatenate(blocks, axis=1) if blocks else np.zeros((len(df), 0), np.float32)

    def _encode(self, spec: dict, column, describe_row: Callable) -> np.ndarray:
        pd = require_pandas()
        if spec["kind"] == "number":
            if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
                values = column.to_numpy(dtype=np.float64)
            else:
                values = _as_numbers(column, describe_row)
                if values is None:
                    raise ValueError(
                        f"Column {column.name!r} holds text ({column.iloc[0]!r} at "
                        f"{describe_row(column.index[0])}), but the model was trained on "
                        "numbers in it."
                    )
            finite_numbers(values, column, describe_row, FLOAT32_MAX)
            return values.astype(np.float32)[:, None]
        categories = spec["categories"]
        codes = pd.Index(categories).get_indexer(_category_text(column))  # -1: not a category
        unseen = codes < 0
        if unseen.any():
            values = sorted(set(_category_text(column[unseen])))
            known = ", ".join(map(repr, categories[:20])) + (
                ", ..." if len(categories) > 20 else "")
            raise ValueError(
                f"Column {column.name!r} has the value(s) {', '.join(map(repr, values[:10]))} "
                f"(first at {first_row(pd.Series(unseen, index=column.index), describe_row)}) "
                f"that the model never saw in training. Known values: {known}."
            )
        block = np.zeros((len(column), len(categories)), np.float32)
        block[np.arange(len(column)), codes] = 1.0
        return block

    @classmethod
    def numbers(cls, names) -> TableEncoder:
        """A fitted encoder of number columns ``names`` (arrays with named columns)."""
        encoder = cls()
        encoder.columns_ = [{"name": str(name), "kind": "number"} for name in names]
        encoder.dropped_ = []
        return encoder

    # ------------------------------------------------------------------ as data
    def to_dict(self) -> dict:
        """The fitted encoder as JSON-serialisable data (see :meth:`from_dict`)."""
        return {"max_categories": self.max_categories, "columns": self.columns_,
                "dropped": self.dropped_}

    @classmethod
    def from_dict(cls, data) -> TableEncoder:
        """The encoder :meth:`to_dict` described, after checking every field (the data may come
        from a file).

        Raises
        ------
        ValueError
            Naming the first field that is not what ``to_dict`` writes.
        """
        if not isinstance(data, dict) or not isinstance(data.get("columns"), list):
            raise ValueError("the encoder is not an object with a list of 'columns'")
        encoder = cls(data.get("max_categories"))
        encoder.columns_ = [_checked_column(spec) for spec in data["columns"]]
        dropped = data.get("dropped", [])
        if not isinstance(dropped, list) or not all(
                isinstance(d, dict) and isinstance(d.get("name"), str)
                and isinstance(d.get("distinct"), int) for d in dropped):
            raise ValueError("the encoder's 'dropped' entries are not {name, distinct} objects")
        encoder.dropped_ = [{"name": d["name"], "distinct": d["distinct"]} for d in dropped]
        return encoder

    def __repr__(self) -> str:
        if not hasattr(self, "columns_"):
            return "TableEncoder(not fitted)"
        return (f"TableEncoder({len(self.columns_)} columns -> {len(self.feature_names_)} "
                "features)")


def _checked_column(spec) -> dict:
    """One column entry of an encoder's data, validated."""
    if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or (
            spec.get("kind") not in KINDS):
        raise ValueError(f"the encoder column {spec!r} is not a {{name, kind}} object with a "
                         f"kind in {KINDS}")
    if spec["kind"] == "number":
        return {"name": spec["name"], "kind": "number"}
    categories = spec.get("categories")
    if not (isinstance(categories, list) and categories
            and all(isinstance(value, str) for value in categories)
            and len(set(categories)) == len(categories)):
        raise ValueError(f"the categories of column {spec['name']!r} are not a list of "
                         "distinct strings")
    return {"name": spec["name"], "kind": spec["kind"], "categories": categories}
