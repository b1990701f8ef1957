"""What a sweep prints while it runs (plain lines when the output is not a terminal)."""

from __future__ import annotations

import io

from neuralab.sweeps.progress import SweepProgress


def run(value, status="ok", metric="val_accuracy", seconds=1.25):
    return {"status": status, "metric": metric, metric: value, "seconds": seconds,
            "error": None if status == "ok" else "TrainingDivergedError: boom"}


def test_each_finished_run_is_a_line_with_the_count_and_the_best_so_far():
    stream = io.StringIO()
    with SweepProgress(4, 1, stream=stream) as progress:
        progress.consider("a, seed 0", run(0.7))  # stored by an earlier call
        progress.update("b, seed 0", run(0.6))
        progress.update("c, seed 0", run(None, "failed", seconds=None))  # its worker died
        progress.update("d, seed 0", run(0.9))
    assert stream.getvalue().splitlines() == [
        "[2/4] b, seed 0: val_accuracy 0.6000 (1.2 s) | best val_accuracy 0.7000 (a, seed 0)",
        "[3/4] c, seed 0: failed: TrainingDivergedError: boom | best val_accuracy 0.7000 "
        "(a, seed 0)",
        "[4/4] d, seed 0: val_accuracy 0.9000 (1.2 s) | best val_accuracy 0.9000 (d, seed 0)",
    ]


def test_a_loss_is_best_when_lowest_and_show_false_prints_nothing():
    stream = io.StringIO()
    with SweepProgress(2, 0, show=False, stream=stream) as progress:
        progress.update("a", run(0.5, metric="val_loss"))
        progress.update("b", run(0.2, metric="val_loss"))
    assert stream.getvalue() == "" and progress.best[0] == 0.2 and progress.done == 2
