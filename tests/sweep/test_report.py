"""The sweep report: mean ± std over seeds, sorted by validation score, figures as PNG."""

from __future__ import annotations

import pytest

from neuralab.sweeps import ResultStore, parse_config, report

from .helpers import GRID, config

#: final validation accuracy of seeds 0 and 1 per (activation, lr); None = a failed run
SCORES = {
    ("relu", 0.3): (0.8, 0.9),
    ("relu", 0.05): (0.6, 0.7),
    ("tanh", 0.3): (None, None),
    ("tanh", 0.05): (0.95, None),
}


def fill(out, source, scores, metric="val_accuracy"):
    with ResultStore(out) as store:
        for cell in parse_config(source).cells():
            value = scores[tuple(cell.grid.values())][cell.seed]
            ok = value is not None
            curve = [value / 2, value] if ok else []
            store.add(cell, {
                "status": "ok" if ok else "failed", "metric": metric,
                "val_loss": value if metric == "val_loss" else 0.5,
                "val_accuracy": value if metric == "val_accuracy" else None,
                "best_val": value, "best_epoch": 2 if ok else None, "epochs_run": len(curve),
                "seconds": 0.5 if ok else None, "error": None if ok else "TrainingDivergedError",
                "traceback": None, "curves": {metric: curve}, "worker": "w",
            })


def test_the_table_is_sorted_by_mean_validation_score_with_failures_last(tmp_path):
    fill(tmp_path, GRID, SCORES)
    result = report(tmp_path)
    assert result.header == ["activation", "lr", "val_accuracy", "best val_accuracy",
                             "runs ok", "epochs", "s / run"]
    assert [row[:2] for row in result.rows] == [["tanh", "0.05"], ["relu", "0.3"],
                                                ["relu", "0.05"], ["tanh", "0.3"]]
    assert result.rows[0][2:5] == ["0.9500", "0.9500", "1/2"]  # one seed: no ± std
    assert result.rows[1][2:] == ["0.8500 ± 0.0707", "0.8500 ± 0.0707", "2/2", "2", "0.50"]
    assert result.rows[3][2:] == ["—", "—", "0/2", "—", "—"]


def test_the_report_files_are_written_and_not_empty(tmp_path):
    fill(tmp_path, GRID, SCORES)
    result = report(tmp_path)
    assert [path.name for path in result.files] == ["report.md", "curves.png", "heatmap.png"]
    assert all(path.stat().st_size > 1000 for path in result.files[1:])
    text = (tmp_path / "report.md").read_text()
    assert result.markdown in text and "![heatmap](heatmap.png)" in text
    assert "| tanh | 0.05 | 0.9500 |" in text


def test_a_one_dimensional_grid_has_curves_but_no_heatmap(tmp_path):
    source = config(grid={"lr": [0.3, 0.05]})
    fill(tmp_path, source, {(0.3,): (0.8, 0.9), (0.05,): (0.9, 0.95)})
    result = report(tmp_path)
    assert [path.name for path in result.files] == ["report.md", "curves.png"]
    assert [row[0] for row in result.rows] == ["0.05", "0.3"]


def test_a_loss_metric_sorts_lowest_first(tmp_path):
    source = config(grid={"lr": [0.3, 0.05]})
    fill(tmp_path, source, {(0.3,): (0.2, 0.3), (0.05,): (0.5, 0.6)}, metric="val_loss")
    result = report(tmp_path)
    assert result.header[1] == "val_loss" and [row[0] for row in result.rows] == ["0.3", "0.05"]


def test_reporting_an_empty_or_missing_sweep_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="No sweep results"):
        report(tmp_path / "missing")
    ResultStore(tmp_path).close()
    with pytest.raises(ValueError, match="no stored runs yet"):
        report(tmp_path)
