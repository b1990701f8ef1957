"""`neuralab sweep CONFIG --out DIR` and `neuralab sweep report DIR`, in-process."""

from __future__ import annotations

import re

import pytest

from neuralab.cli import main
from neuralab.sweeps import ResultStore
from neuralab.sweeps.runner import require_distributed

from .helpers import TOML


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "sweep.toml"
    path.write_text(TOML)
    return path


def test_run_then_rerun_then_report(dask_client, config_file, tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["sweep", str(config_file), "--out", str(out),
            "--scheduler", dask_client.scheduler.address]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "[8/8]" in printed and "8 runs: 8 run now (0 failed), 0 already in" in printed
    assert main(argv) == 0
    assert "8 runs: 0 run now (0 failed), 8 already in" in capsys.readouterr().out
    assert main(["sweep", "report", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "activation" in printed and "val_accuracy" in printed and "heatmap.png" in printed
    assert "BLAS: openblas" in printed  # the kernel that computed the runs
    assert (out / "heatmap.png").stat().st_size > 1000


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["CONFIG"], "--out DIR is required"),
        (["CONFIG", "extra", "--out", "OUT"], "unexpected argument 'extra'.*sweep report extra"),
        (["report"], "needs the sweep folder: neuralab sweep report DIR"),
        (["report", "OUT", "--workers", "2"], "takes no --workers"),
        (["report", "OUT"], "No sweep results at"),
        (["missing.toml", "--out", "OUT"], "No sweep config file"),
        (["CONFIG", "--out", "CONFIG"], "is a file, not a folder"),
    ],
)
def test_usage_errors_say_what_to_do(config_file, tmp_path, capsys, argv, message):
    argv = [str(config_file) if a == "CONFIG" else str(tmp_path / a) if a == "OUT" else a
            for a in argv]
    assert main(["sweep", *argv]) == 2
    assert re.search(message, capsys.readouterr().err)


def test_a_bad_config_value_is_reported_with_its_key(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text(TOML.replace('"tanh"', '"tahn"'))
    assert main(["sweep", str(path), "--out", str(tmp_path / "out")]) == 2
    assert "[grid] activation: Unknown activation 'tahn'" in capsys.readouterr().err


def test_an_unreachable_scheduler_is_a_clear_error(config_file, tmp_path, capsys):
    require_distributed()  # imported before dask.config.set, which would drop its defaults
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        code = main(["sweep", str(config_file), "--out", str(tmp_path / "out"),
                     "--scheduler", "tcp://127.0.0.1:9", "--quiet"])
    assert code == 1
    assert "Could not connect to the Dask scheduler at 'tcp://127.0.0.1:9'" in (
        capsys.readouterr().err)


def test_workers_must_be_positive(capsys):
    with pytest.raises(SystemExit) as info:
        main(["sweep", "x.toml", "--out", "o", "--workers", "0"])
    assert info.value.code == 2
    assert "--workers takes a number of processes >= 1" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["0", "many"])
def test_max_runs_must_be_a_positive_whole_number(capsys, text):
    with pytest.raises(SystemExit) as info:
        main(["sweep", "x.toml", "--out", "o", "--max-runs", text])
    assert info.value.code == 2
    assert f"--max-runs takes a number of runs >= 1; got {text!r}" in capsys.readouterr().err


def test_two_sweeps_on_one_folder_compute_each_run_once(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "sweep.toml"
    path.write_text(TOML.replace("epochs = 4", "epochs = 30"))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "neuralab", "sweep", str(path), "--out", str(out),
               "--workers", "1"]
    sweeps = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True) for _ in range(2)]
    outputs = [sweep.communicate(timeout=300) for sweep in sweeps]
    assert [sweep.returncode for sweep in sweeps] == [0, 0], outputs
    summaries = [re.search(r"8 runs: (\d) run now \(0 failed\), (\d) already in .*sqlite"
                           r"(, (\d) being run by another sweep)?", stdout)
                 for stdout, _ in outputs]
    assert all(summaries), outputs
    assert sum(int(summary[1]) for summary in summaries) == 8  # no run computed twice
    assert any(summary[3] for summary in summaries)  # they ran at the same time
    import sqlite3

    with sqlite3.connect(out / "results.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 8
        assert db.execute("SELECT COUNT(*) FROM claims").fetchone()[0] == 0


def test_a_huge_grid_needs_max_runs_or_a_confirmation(dask_client, tmp_path, capsys,
                                                      monkeypatch):
    path = tmp_path / "huge.toml"
    values = ", ".join(str(0.001 * (i + 1)) for i in range(200))
    path.write_text(TOML.replace("lr = [0.3, 0.05]", f"lr = [{values}]")
                    .replace("seeds = 2", "seeds = 40"))  # 2 × 200 × 40 = 16,000 runs
    out = tmp_path / "out"
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["sweep", str(path), "--out", str(out)]) == 2
    assert ("The sweep has 16,000 runs (2 activation × 200 lr × 40 seeds), more than 10,000. "
            "Run part of it with --max-runs N") in capsys.readouterr().err
    assert not out.exists()
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert main(["sweep", str(path), "--out", str(out)]) == 1
    assert "not started" in capsys.readouterr().err
    argv = ["sweep", str(path), "--out", str(out), "--max-runs", "3", "--quiet",
            "--scheduler", dask_client.scheduler.address]
    assert main(argv) == 0
    assert main([*argv[:-3], "--max-runs", "2"]) == 0
    runs = sqlite3_rows(out)
    assert [(run[0], run[1]) for run in runs] == [("relu", 0.001)] * 5
    assert sorted(run[2] for run in runs) == [0, 1, 2, 3, 4]  # the first five, no repeat


def sqlite3_rows(out):
    import sqlite3

    with sqlite3.connect(out / "results.sqlite") as db:
        return db.execute("SELECT activation, lr, seed FROM runs").fetchall()


def test_the_data_of_a_synthetic_set_can_be_swept(dask_client, tmp_path, capsys, monkeypatch):
    from neuralab.sweeps import runner

    prepared = []
    original = runner.prepare_task
    monkeypatch.setattr(runner, "prepare_task",
                        lambda config: prepared.append(config) or original(config))
    path = tmp_path / "data.toml"
    path.write_text(TOML.replace("noise = 0.2\n", "").replace("n_samples = 80\n", "").replace(
        'activation = ["relu", "tanh"]', "noise = [0.0, 0.4]").replace(
        "lr = [0.3, 0.05]", "n_samples = [60, 120]"))
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--quiet",
                 "--scheduler", dask_client.scheduler.address]) == 0
    assert main(["sweep", "report", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "| noise | n_samples |" in printed and "| 0.4 | 120 |" in printed
    # one dataset per data setting, each prepared once for its 2 seeds
    assert sorted((config.noise, config.n_samples) for config in prepared) == [
        (0.0, 60), (0.0, 120), (0.4, 60), (0.4, 120)]
    with ResultStore(out, create=False) as store:
        assert {(run["options"]["noise"], run["options"]["n_samples"], run["seed"])
                for run in store.rows()} == {(noise, n, seed) for noise in (0.0, 0.4)
                                             for n in (60, 120) for seed in (0, 1)}
