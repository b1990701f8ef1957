"""load_csv on files as they come: identifier columns, other encodings, numbers with commas,
rows longer than the header, infinite or huge values -- each a clear error or a message."""

from __future__ import annotations

import re
import tracemalloc

import numpy as np
import pytest

from neuralab.data import load_csv
from neuralab.data.encoding import DroppedColumnWarning


def write(tmp_path, text, name="table.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_an_identifier_column_is_dropped_with_a_warning_not_one_hot_encoded(tmp_path):
    """20,000 ids would be a 20000 x 20001 float32 matrix (1.6 GB); dropped, it costs little."""
    rows = "\n".join(f"user{i},{i % 7},{'a' if i % 2 else 'b'},{i % 2}" for i in range(20_000))
    path = write(tmp_path, "id,x,group,y\n" + rows + "\n")
    tracemalloc.start()
    try:
        with pytest.warns(DroppedColumnWarning, match=r"Column 'id' was left out: its 20,000 "
                          r"distinct text values \(more than max_categories=100\)"):
            X, _, names = load_csv(path, "y", return_feature_names=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert names == ["x", "group=a", "group=b"] and X.shape == (20_000, 3)
    assert peak < 100 * 2**20


def test_max_categories_keeps_or_drops_a_column(tmp_path):
    text = "city,y\n" + "".join(f"c{i % 5},{i % 2}\n" for i in range(20))
    X, _ = load_csv(write(tmp_path, text), "y", max_categories=5)
    assert X.shape == (20, 5)
    with pytest.raises(ValueError, match="No feature columns are left: column 'city' was left "
                                         "out: its 5 distinct text values"):
        load_csv(write(tmp_path, text), "y", max_categories=4)
    X, _ = load_csv(write(tmp_path, text), "y", max_categories=None)
    assert X.shape == (20, 5)


def test_a_latin1_file_names_the_line_to_fix(tmp_path):
    path = write(tmp_path, "name,y\nabc,1\ncafé,0\n", encoding="latin-1")
    with pytest.raises(ValueError, match=r"is not utf-8 text: line 3 \(byte b'\\xe9'\) cannot "
                                         r"be decoded.*iconv.*encoding='latin-1'"):
        load_csv(path, "y")
    X, _ = load_csv(path, "y", encoding="latin-1")
    assert X.shape == (2, 2)


def test_a_utf8_byte_order_mark_is_fine(tmp_path):
    X, _ = load_csv(write(tmp_path, "\ufeffx,y\n1,0\n2,1\n"), "y")
    np.testing.assert_array_equal(X[:, 0], [1, 2])


@pytest.mark.parametrize("value", ['"1,250"', '"12,5"', '"-3,000,000.5"'])
def test_numbers_written_with_a_comma_are_an_error_with_the_fix(tmp_path, value):
    path = write(tmp_path, f"price,y\n10,0\n{value},1\n7,0\n")
    with pytest.raises(ValueError, match=r"Column 'price' holds numbers written with a comma, "
                                         r"like .* at line 3 of table.csv.*thousands=','"):
        load_csv(path, "y")


def test_thousands_and_decimal_options_read_such_numbers(tmp_path):
    path = write(tmp_path, 'price,y\n"1,250.5",0\n"2,000",1\n')
    X, _ = load_csv(path, "y", thousands=",")
    np.testing.assert_allclose(X[:, 0], [1250.5, 2000])
    path = write(tmp_path, 'price,y\n"1.250,5",0\n"2,5",1\n', name="eu.csv")
    X, _ = load_csv(path, "y", thousands=".", decimal=",")
    np.testing.assert_allclose(X[:, 0], [1250.5, 2.5])


@pytest.mark.parametrize("first", [True, False])
def test_an_unquoted_thousands_separator_is_a_line_with_too_many_fields(tmp_path, first):
    """pandas silently takes the first column as an index when the first row is too long."""
    rows = ["1,000,1", "2,0"] if first else ["2,0", "1,000,1"]
    path = write(tmp_path, "price,y\n" + "\n".join(rows) + "\n")
    line = 2 if first else 3
    with pytest.raises(ValueError, match=rf"line {line} has 3 fields but the header has 2.*"
                                         r"must be quoted"):
        load_csv(path, "y")


@pytest.mark.parametrize(("value", "shown"), [("inf", "inf"), ("-inf", "-inf"),
                                              ("1e300", "1e+300"), ("nan", None)])
def test_infinite_or_huge_values_are_named_with_their_line(tmp_path, value, shown):
    path = write(tmp_path, f"x,y\n1,0\n{value},1\n3,0\n")
    if shown is None:  # "nan" is a missing value
        with pytest.raises(ValueError, match=r"Missing values in column\(s\) 'x' \(1 row\), "
                                             r"the first at line 3 of table\.csv"):
            load_csv(path, "y")
        return
    with pytest.raises(ValueError, match=re.escape(f"Column 'x' holds {shown} at line 3 of "
                                                   "table.csv, which")):
        load_csv(path, "y")


def test_a_huge_target_value_is_refused_too(tmp_path):
    with pytest.raises(ValueError, match="Column 'price' holds 1e\\+300 at line 2"):
        load_csv(write(tmp_path, "x,price\n1,1e300\n2,3.5\n"), "price")
