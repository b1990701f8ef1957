"""`neuralab sweep CONFIG --out DIR` and `neuralab sweep report DIR`, in-process."""

from __future__ import annotations

import re

import pytest

from neuralab.cli import main
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
