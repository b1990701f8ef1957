"""TableEncoder: learnt on training rows, applied to new rows the same way, or refused with an
error that names the column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from neuralab.data.encoding import TableEncoder

TRAIN = pd.DataFrame({"age": [31, 45, 22], "color": ["red", "blue", "red"],
                      "member": [True, False, True], "code": ["01", "x", "y"],
                      "label": ["a", "b", "a"]})


@pytest.fixture
def encoder():
    return TableEncoder().fit(TRAIN, "label")


def test_new_rows_in_another_column_order_get_the_same_features(encoder):
    X = encoder.transform(TRAIN)
    shuffled = TRAIN[["code", "label", "member", "color", "age"]].assign(extra=1)
    np.testing.assert_array_equal(encoder.transform(shuffled), X)
    assert encoder.feature_names_ == ["age", "color=blue", "color=red", "member=False",
                                      "member=True", "code=01", "code=x", "code=y"]
    assert encoder.input_columns_ == ["age", "color", "member", "code"]


def test_a_missing_column_is_named_with_what_the_table_has(encoder):
    with pytest.raises(ValueError, match=r"lacks the column\(s\) 'color', 'code' that the model "
                                         r"was trained on\. It has: age, member"):
        encoder.transform(TRAIN[["age", "member"]])


def test_an_unseen_category_is_named_with_its_row_and_the_known_values(encoder):
    rows = TRAIN.assign(color=["red", "green", "green"])
    with pytest.raises(ValueError, match=r"Column 'color' has the value\(s\) 'green' \(first at "
                                         r"row 1\) that the model never saw in training\. Known "
                                         r"values: 'blue', 'red'"):
        encoder.transform(rows)


def test_text_in_a_number_column_and_missing_values_are_named(encoder):
    with pytest.raises(ValueError, match=r"Column 'age' holds text \('old' at row 0\)"):
        encoder.transform(TRAIN.assign(age=["old", "older", "oldest"]))
    with pytest.raises(ValueError, match=r"Missing values in column\(s\) 'color' \(1 row\)"):
        encoder.transform(TRAIN.assign(color=["red", None, "blue"]))


def test_the_encoder_round_trips_through_its_data(encoder):
    again = TableEncoder.from_dict(encoder.to_dict())
    np.testing.assert_array_equal(again.transform(TRAIN), encoder.transform(TRAIN))
    assert repr(again) == "TableEncoder(4 columns -> 8 features)"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "not an object with a list of 'columns'"),
        ({"columns": [{"name": "a", "kind": "pickle"}]}, "kind in"),
        ({"columns": [{"name": "a", "kind": "category", "categories": []}]}, "distinct strings"),
        ({"columns": [{"name": "a", "kind": "category", "categories": ["x", "x"]}]},
         "distinct strings"),
        ({"columns": [], "dropped": [{"name": 1}]}, "'dropped' entries"),
        ({"columns": [], "max_categories": -1}, "max_categories must be a positive int"),
    ],
)
def test_encoder_data_from_a_file_is_checked(data, message):
    with pytest.raises(ValueError, match=message):
        TableEncoder.from_dict(data)


def test_transform_before_fit_says_so():
    with pytest.raises(ValueError, match="not fitted yet"):
        TableEncoder().transform(TRAIN)


def test_a_long_list_of_missing_columns_is_cut_with_its_count():
    wide = pd.DataFrame({f"x{i}": [0.0, 1.0] for i in range(1, 65)}).assign(y=[0, 1])
    encoder = TableEncoder().fit(wide, "y")
    numbered = pd.DataFrame({str(i): [0.0] for i in range(64)})
    message = (r"lacks the column\(s\) 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', \.\.\. "
               r"\(64 in all\) that the model was trained on\. It has: 0, 1, 2, 3, 4, 5, 6, 7, "
               r"\.\.\. \(64 in all\)\.$")
    with pytest.raises(ValueError, match=message):
        encoder.transform(numbered)
