"""load_csv / from_dataframe: encoding of columns, targets, and each broken file's error."""

import numpy as np
import pandas as pd
import pytest

from neuralab.data import encode_labels, from_dataframe, load_csv


def write(tmp_path, text, name="table.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


GOOD = """age,color,height,member,species
31,red,1.8,True,cat
45,blue,1.6,False,dog
22,red,1.7,True,cat
"""


def test_good_csv_numeric_and_one_hot_columns(tmp_path):
    X, y, names = load_csv(write(tmp_path, GOOD), "species", return_feature_names=True)
    assert names == [
        "age",
        "color=blue",
        "color=red",
        "height",
        "member=False",
        "member=True",
    ]
    assert X.dtype == np.float32 and X.shape == (3, 6)
    np.testing.assert_allclose(
        X,
        [[31, 0, 1, 1.8, 0, 1], [45, 1, 0, 1.6, 1, 0], [22, 0, 1, 1.7, 0, 1]],
        rtol=1e-6,
    )
    assert y.tolist() == ["cat", "dog", "cat"]
    codes, classes = encode_labels(y)
    np.testing.assert_array_equal(codes, [0, 1, 0])
    assert classes.tolist() == ["cat", "dog"]


def test_without_feature_names_two_arrays(tmp_path):
    result = load_csv(write(tmp_path, GOOD), "age")
    assert len(result) == 2


@pytest.mark.parametrize(
    ("column", "dtype", "values"),
    [("age", np.int64, [31, 45, 22]), ("height", np.float32, [1.8, 1.6, 1.7])],
)
def test_numeric_targets_stay_numeric(tmp_path, column, dtype, values):
    X, y = load_csv(write(tmp_path, GOOD), column)
    assert y.dtype == dtype
    np.testing.assert_allclose(y, values, rtol=1e-6)
    assert X.shape == (3, 7)  # species is now a feature: species=cat, species=dog


def test_from_dataframe_category_and_numeric_text():
    df = pd.DataFrame(
        {
            "size": pd.Categorical(["S", "L", "S"], categories=["S", "M", "L"]),
            "count": ["1", "2", "3"],  # text that is entirely numbers becomes a number
            "label": [0, 1, 0],
        }
    )
    X, y, names = from_dataframe(df, "label", return_feature_names=True)
    assert names == ["size=S", "size=M", "size=L", "count"]
    np.testing.assert_array_equal(X, [[1, 0, 0, 1], [0, 0, 1, 2], [1, 0, 0, 3]])
    assert y.dtype == np.int64


def test_missing_target_lists_the_columns(tmp_path):
    with pytest.raises(ValueError, match=r"'kind' is not in the table\. Columns: age, color"):
        load_csv(write(tmp_path, GOOD), "kind")


def test_text_in_a_numeric_column_names_the_value_and_line(tmp_path):
    text = "x,y\n1.5,0\n2.5,1\noops,0\n4.0,1\n"
    message = r"Column 'x' looks numeric, but line 4 of table.csv holds the text 'oops'"
    with pytest.raises(ValueError, match=message):
        load_csv(write(tmp_path, text), "y")
    df = pd.DataFrame({"x": ["1", "2", "oops"], "y": [0, 1, 0]}, index=[10, 11, 12])
    with pytest.raises(ValueError, match="but row 12 holds the text 'oops'"):
        from_dataframe(df, "y")


def test_missing_values_name_the_columns_and_counts(tmp_path):
    text = "a,b,c,y\n1,,3,0\n4,5,,1\n7,,9,0\n"
    with pytest.raises(ValueError, match=r"'b' \(2 rows\), 'c' \(1 row\).*dropna.*fillna"):
        load_csv(write(tmp_path, text), "y")


def test_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"No CSV file at .*nothing\.csv"):
        load_csv(tmp_path / "nothing.csv", "y")


def test_empty_file_and_header_only(tmp_path):
    with pytest.raises(ValueError, match="is empty"):
        load_csv(write(tmp_path, ""), "y")
    with pytest.raises(ValueError, match="no rows of data"):
        load_csv(write(tmp_path, "x,y\n"), "y")


def test_target_as_the_only_column(tmp_path):
    with pytest.raises(ValueError, match="'y' is the only column"):
        load_csv(write(tmp_path, "y\n1\n0\n"), "y")


def test_unsupported_column_type_and_non_dataframe():
    df = pd.DataFrame({"when": pd.to_datetime(["2024-01-01", "2024-01-02"]), "y": [0, 1]})
    with pytest.raises(TypeError, match="Column 'when' has dtype datetime64"):
        from_dataframe(df, "y")
    with pytest.raises(TypeError, match="expects a pandas DataFrame"):
        from_dataframe(np.zeros((2, 2)), "y")
