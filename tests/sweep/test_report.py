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


def test_failed_runs_errors_and_the_blas_kernel_are_listed_under_the_table(tmp_path):
    fill(tmp_path, GRID, SCORES)
    result = report(tmp_path)
    assert result.notes == [
        "failed: activation=tanh, lr=0.05: 1/2 runs: TrainingDivergedError (seed 1)",
        "failed: activation=tanh, lr=0.3: 2/2 runs: TrainingDivergedError (seeds 0, 1)",
    ]  # fill() stores no kernel: no BLAS line
    assert "\n- failed: activation=tanh, lr=0.3: 2/2 runs" in (tmp_path / "report.md").read_text()


def test_runs_of_two_blas_kernels_are_pointed_out(tmp_path):
    fill(tmp_path, GRID, {key: (0.5, 0.6) for key in SCORES})
    with ResultStore(tmp_path) as store:
        store._db.execute("UPDATE runs SET blas = 'openblas 0.3.31 SkylakeX'")
        store._db.commit()
    assert report(tmp_path).notes == ["BLAS: openblas 0.3.31 SkylakeX, one thread per run."]
    with ResultStore(tmp_path) as store:
        store._db.execute("UPDATE runs SET blas = 'openblas 0.3.31 Haswell' WHERE seed = 1")
        store._db.commit()
    assert report(tmp_path).notes[0].startswith(
        "BLAS: the runs were computed with 2 kernels (openblas 0.3.31 SkylakeX (4 runs); "
        "openblas 0.3.31 Haswell (4 runs))")


@pytest.mark.parametrize("content", [b"not a database at all" * 50, b""])
def test_a_damaged_results_file_is_one_error_naming_it_and_what_to_do(tmp_path, content):
    from neuralab.cli import main

    fill(tmp_path, GRID, SCORES)
    path = tmp_path / "results.sqlite"
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"results.sqlite{suffix}").unlink(missing_ok=True)
    path.write_bytes(content or path.read_bytes()[:3000])  # garbage, or cut short
    with pytest.raises(ValueError, match=f"{path} cannot be read as sweep results .*Move it "
                                         "away"):
        report(tmp_path)
    assert main(["sweep", "report", str(tmp_path)]) == 2
