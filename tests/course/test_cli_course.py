"""``neuralab lesson`` and ``neuralab explain`` in-process."""

import json

import pytest

from neuralab import lessons
from neuralab.cli import main


def test_lesson_list_prints_one_line_per_lesson(capsys):
    assert main(["lesson", "list"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split()[0] for line in lines] == list(lessons.NAMES)
    assert all(len(line.split(maxsplit=1)) == 2 for line in lines)


def test_unknown_lesson_exits_2_with_the_names(capsys):
    assert main(["lesson", "nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown lesson 'nope'" in err and "backprop-221" in err


@pytest.mark.parametrize("name", lessons.NAMES)
def test_lesson_prints_and_writes_its_figure(name, capsys, tmp_path):
    path = tmp_path / "figure.png"
    assert main(["lesson", name, "--plot", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"neuralab lesson {name}:")
    assert path.stat().st_size > 1000


def test_default_figure_path_and_json(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["lesson", "sigmoid_derivative", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["autograd"][data["z"].index(0.0)] == 0.25
    assert (tmp_path / "lesson-sigmoid-derivative.png").stat().st_size > 1000
    assert main(["lesson", "hiking", "--no-plot"]) == 0
    assert not (tmp_path / "lesson-hiking.png").exists()


def test_explain_default_prints_the_course_chain(capsys):
    assert main(["explain"]) == 0
    out = capsys.readouterr().out
    assert "dL/dw11 = dz1/dw11 · da1/dz1 · dz/da1 · dŷ/dz · dL/dŷ" in out
    assert "x1 · a1(1-a1) · w1 · ŷ(1-ŷ) · -(y-ŷ)/(ŷ(1-ŷ))" in out
    assert "dL/db = dz/db · dŷ/dz · dL/dŷ" in out
    assert out.count("autograd:") == 9


def test_explain_options(capsys, tmp_path):
    dot = tmp_path / "g.dot"
    assert main(["explain", "--input", "1,1", "--target", "0", "--param", "w2", "--json",
                 "--graph", str(dot)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [p["symbol"] for p in data["parameters"]] == ["w2"]
    assert data["forward"][0]["values"] == [1.0, 1.0]
    text = dot.read_text()
    assert "0.weight" in text and "grad" in text and "sigmoid" in text
    assert main(["explain", "--input", "1,2,3"]) == 2
    assert "--input needs the 2 inputs" in capsys.readouterr().err
    assert main(["explain", "--target", "0.5"]) == 2
