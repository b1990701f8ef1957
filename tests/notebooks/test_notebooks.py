"""The notebooks: one per lesson (and two more), stored clean, each running top to bottom.

Every notebook is executed in a fresh Jupyter kernel (nbclient), so an API change that breaks a
cell fails here, not in front of a class.
"""

import asyncio
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import neuralab as nl

FOLDER = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOKS = sorted(FOLDER.glob("*.ipynb"))
EXTRA = {"00-your-first-network.ipynb": ["first-network"],
         "13-backprop-by-hand.ipynb": ["neuron-gradients", "chain-w11", "custom-op"]}


def _lesson_of(path: Path) -> str | None:
    name = path.stem.split("-", 1)[1]
    return name if name in nl.lessons.NAMES else None


def _exercises_of(path: Path) -> list[str]:
    lesson = _lesson_of(path)
    if lesson is None:
        return EXTRA[path.name]
    return [ex.name for ex in nl.exercises.for_lesson(lesson)]


def test_one_notebook_per_lesson_plus_first_network_and_backprop_by_hand():
    lessons = [_lesson_of(path) for path in NOTEBOOKS]
    assert sorted(filter(None, lessons)) == sorted(nl.lessons.NAMES)
    assert {path.name for path in NOTEBOOKS if _lesson_of(path) is None} == set(EXTRA)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs_and_ends_with_its_exercises(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)
    checks = [cell.source for cell in code if cell.source.startswith("nl.exercises.check(")]
    names = _exercises_of(path)
    assert checks == [f'nl.exercises.check("{n}", {nl.exercises.get(n).answer})' for n in names]
    assert code[-1].source == checks[-1]  # the exercises come last
    for name in names:  # the answer cell is the exercise's current template
        assert nl.exercises.get(name).template.strip() in [cell.source for cell in code]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    asyncio.run(client.async_execute())  # its own event loop, closed afterwards
    outputs = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [out for out in outputs if out.output_type == "error"]
    # nothing on stderr: a warning (ConvergenceWarning, a deprecation) puzzles a student
    assert not [out.text for out in outputs if out.output_type == "stream" and out.name == "stderr"]
    shown = [out.data for out in outputs if out.output_type in ("execute_result", "display_data")]
    assert any("text/html" in data or "image/png" in data for data in shown)
    grades = [data["text/html"] for data in shown if "text/html" in data and "not yet" in
              data["text/html"]]
    assert len(grades) == len(_exercises_of(path))  # unanswered exercises grade as "not yet"
    live = [cell for cell in nb.cells if cell.cell_type == "code" and "LivePlot(" in cell.source]
    for cell in live:  # redrawn in place: one output for the whole run
        assert [out.output_type for out in cell.outputs] == ["display_data"]
        assert "epoch 60 of 60" in cell.outputs[0].data["text/html"]
