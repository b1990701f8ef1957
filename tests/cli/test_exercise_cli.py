"""`neuralab exercise`: list, show a task, print the template, grade an answer file."""

from neuralab.cli import main


def test_exercise_list_names_every_exercise(capsys):
    assert main(["exercise", "list"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 17 and "chain-w11" in out and "backprop-221" in out


def test_exercise_name_shows_the_task_template_and_how_to_check(capsys):
    assert main(["exercise", "gate-or"]) == 0
    out = capsys.readouterr().out
    assert "σ(w1 x1 + w2 x2 + b)" in out and "weights = (..., ..., ...)" in out
    assert "--answer answer.py" in out and "--hints" in out


def test_template_then_answer_file_grades_it(capsys, tmp_path):
    answer = tmp_path / "answer.py"
    assert main(["exercise", "gate-or", "--template"]) == 0
    answer.write_text(capsys.readouterr().out)
    assert main(["exercise", "gate-or", "--answer", str(answer)]) == 1
    assert "Not answered yet" in capsys.readouterr().out
    answer.write_text("weights = (40, 40, -30)\n")
    assert main(["exercise", "gate-or", "--answer", str(answer)]) == 0
    assert "gate-or: passed" in capsys.readouterr().out
    answer.write_text("weights = (4, 4, -3)\n")
    assert main(["exercise", "gate-or", "--answer", str(answer)]) == 1
    out = capsys.readouterr().out
    assert "not yet" in out and "Hint:" in out


def test_hints_and_errors_are_one_clear_line(capsys, tmp_path):
    assert main(["exercise", "sigmoid-derivative", "--hints"]) == 0
    assert capsys.readouterr().out.startswith("1. ")
    assert main(["exercise", "nope"]) == 2
    assert "exercise list" in capsys.readouterr().err
    assert main(["exercise", "gate-or", "--answer", str(tmp_path / "none.py")]) == 2
    assert "--template >" in capsys.readouterr().err
    broken = tmp_path / "broken.py"
    broken.write_text("weights = (1, 2\n")
    assert main(["exercise", "gate-or", "--answer", str(broken)]) == 2
    assert "SyntaxError" in capsys.readouterr().err
    other = tmp_path / "other.py"
    other.write_text("w = 1\n")
    assert main(["exercise", "gate-or", "--answer", str(other)]) == 2
    assert "does not define 'weights'" in capsys.readouterr().err
