"""The learner's own CSV data: read, its columns listed, two features and a label turned into
standardised points, and every problem with the file named."""

import numpy as np
import pytest

from neuralab.playground.config import validate_config
from neuralab.playground.csvdata import points_from_columns, read_table

from .conftest import LIMITS, receive_until, until_status

IRIS_LIKE = (b"id,length,width,colour,species\n"
             + b"".join(f"{i},{4 + i % 7 * 0.3:.1f},{2 + i % 5 * 0.2:.1f},red,{kind}\n".encode()
                        for i, kind in enumerate(["setosa", "virginica", "versicolor"] * 10)))


def test_the_summary_lists_the_columns_and_suggests_a_pick():
    summary = read_table(IRIS_LIKE, "iris.csv", LIMITS).summary()
    assert (summary["type"], summary["name"], summary["rows"]) == ("csv", "iris.csv", 30)
    columns = {column["name"]: column for column in summary["columns"]}
    assert columns["length"]["numeric"] and not columns["species"]["numeric"]
    assert columns["species"]["distinct"] == 3 and columns["colour"]["examples"] == ["red"] * 3
    assert summary["suggestion"] == {"x1": "id", "x2": "length", "label": "species",
                                     "task": "classification"}


def test_with_one_number_column_the_suggestion_still_picks_three_different_columns():
    raw = b"name,size,kind\nx,1,a\ny,2,b\nz,3,a\n"
    suggestion = read_table(raw, "f.csv", LIMITS).summary()["suggestion"]
    assert (suggestion["x1"], suggestion["x2"], suggestion["label"]) == ("size", "name", "kind")


def test_two_columns_become_standardised_points_of_the_labels_classes():
    table = read_table(IRIS_LIKE, "iris.csv", LIMITS)
    settings, note = points_from_columns(table, "length", "width", "species", "classification",
                                         LIMITS)
    config = validate_config({**settings, "hidden": [3]}, LIMITS)
    assert config.problem == "multiclass"
    assert config.custom_classes == ["setosa", "versicolor", "virginica"]
    assert config.custom_columns == ["length", "width", "species"]
    points = np.array(config.custom_points)
    np.testing.assert_allclose(points[:, :2].mean(axis=0), 0, atol=1e-3)
    np.testing.assert_allclose(points[:, :2].std(axis=0), 1, atol=1e-3)
    assert points[0, 2] == 0 and points[1, 2] == 2  # setosa, virginica
    assert note.startswith("Read 30 rows of iris.csv, label 'species' (3 classes: setosa, ")
    assert "x₁ = (length − 4.85) / 0.6103; x₂ = (width − 2.4) / 0.2828." in note


def test_a_number_label_can_be_a_regression_target_standardised_too():
    raw = b"a,b,price\n" + b"".join(f"{i},{i * i % 7},{1000 + 37 * i}\n".encode()
                                    for i in range(20))
    settings, note = points_from_columns(read_table(raw, "p.csv", LIMITS), "a", "b", "price",
                                         "regression", LIMITS)
    targets = np.array(settings["custom_points"])[:, 2]
    assert abs(targets.mean()) < 1e-3 and abs(targets.std() - 1) < 1e-3
    assert settings["custom_classes"] == [] and "target = (price − 1352" in note
    assert validate_config({**settings, "loss": "mse"}, LIMITS).problem == "regression"


@pytest.mark.parametrize(("raw", "message"), [
    (b"", r"'f.csv' is empty"),
    (b"a,b,c\n", r"'f.csv' has a header but no rows"),
    (b"a,b,c\n\xff\xfe,1,2\n", r"'f.csv' is not UTF-8 text \(byte 6 is 0xff\)"),
    (b"a,b\n1,2\n", r"has the columns a, b; it needs three distinct ones"),
    (",".join(f"c{i}" for i in range(150)).encode() + b"\n", r"has 150 columns; .* up to 100"),
    (b"a,b,c\n" + b"1,2,3\n" * 301, r"has 301 rows; the playground takes at most 300 points"),
    (b'a,b,c\n1,"2,3\n', r"could not be read as a CSV table"),
])
def test_files_that_are_not_usable_tables_are_refused_by_name(raw, message):
    with pytest.raises(ValueError, match=message):
        read_table(raw, "f.csv", LIMITS)


TABLE = (b"x,y,shade,label,price\n"
         + b"".join(f"{i % 5},{i % 3},{'dark' if i % 2 else 'light'},{i % 6},{i}\n".encode()
                    for i in range(24)))


@pytest.mark.parametrize(("columns", "message"), [
    (("x", "nope", "label", "classification"), r"There is no column 'nope' \(for x₂\)"),
    (("x", "x", "label", "classification"), r"Pick three different columns"),
    (("x", "shade", "label", "classification"), r"The column 'shade' holds text, not numbers"),
    (("x", "y", "shade", "regression"), r"'shade' holds text; a regression needs a number"),
    (("x", "y", "label", "classification"), r"'label' has 6 distinct values; .* up to 4"),
    (("x", "y", "price", "grouping"), r'task must be "classification" or "regression"'),
])
def test_a_pick_of_columns_that_cannot_work_says_why(columns, message):
    with pytest.raises(ValueError, match=message):
        points_from_columns(read_table(TABLE, "t.csv", LIMITS), *columns, LIMITS)


def test_missing_values_are_named_by_neuralabs_table_reader():
    raw = b"a,b,c\n1,2,x\n3,,y\n4,5,x\n"
    with pytest.raises(ValueError, match=r"Missing values in column\(s\) 'b' \(1 row\)"):
        points_from_columns(read_table(raw, "m.csv", LIMITS), "a", "b", "c", "classification",
                            LIMITS)


def test_control_characters_in_names_become_spaces():
    raw = b'"a\nb",c,"d\te"\n1,2,x\n3,4,y\n'
    table = read_table(raw, "n.csv", LIMITS)
    assert list(table.frame.columns) == ["a b", "c", "d e"]


def test_upload_pick_and_run_through_the_server(client):
    with client.websocket_connect("/ws") as ws:
        session = ws.receive_json()["session"]
        ws.send_json({"type": "config", "config": {"dataset": "moons", "points": 40}})
        until_status(ws)
        answer = client.post(f"/api/sessions/{session}/csv", params={"name": "iris.csv"},
                             content=IRIS_LIKE)
        assert answer.status_code == 200 and answer.json()["rows"] == 30
        ws.send_json({"type": "csv_columns", "x1": "length", "x2": "width",
                      "label": "species", "task": "classification"})
        settings = receive_until(ws, "csv_points")["settings"]
        ws.send_json({"type": "config", "config": {**settings, "hidden": [3]}})
        ready = receive_until(ws, "ready")
        assert ready["data"]["classes"] == ["setosa", "versicolor", "virginica"]
        assert ready["network"]["sizes"] == [2, 3, 3]
        bad = client.post(f"/api/sessions/{session}/csv", params={"name": "x.csv"},
                          content=b"\xff\xfe")
        assert bad.status_code == 400 and "'x.csv' is not UTF-8" in bad.json()["detail"]
        big = client.post(f"/api/sessions/{session}/csv", content=b"a" * 5000)
        assert big.status_code == 413 and "4,096 bytes" in big.json()["detail"]
        ws.send_json({"type": "csv_columns", "x1": "a"})
        assert "names its columns" in receive_until(ws, "error")["message"]


def test_columns_before_any_upload_are_refused(client):
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        ws.send_json({"type": "config", "config": {"dataset": "moons", "points": 40}})
        until_status(ws)
        ws.send_json({"type": "csv_columns", "x1": "a", "x2": "b", "label": "c",
                      "task": "regression"})
        assert "No CSV file was uploaded" in receive_until(ws, "error")["message"]
