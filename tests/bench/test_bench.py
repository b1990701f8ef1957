"""`neuralab bench` runs end to end and reports what the issue asks for (no timing asserted)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from neuralab import nn, optim
from neuralab.bench import cases, peers, report, runner, target
from neuralab.cli import main


def test_bench_cli_writes_the_table_and_json(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert main(["bench", "tiny", "--quick", "--no-memory", "--no-target", "--json",
                 str(out)]) == 0
    results = json.loads(out.read_text())
    contenders = results["cases"]["tiny"]["contenders"]
    assert {"neuralab", "neuralab fit", "numpy"} <= set(contenders)
    for stats in contenders.values():
        assert stats["min"] <= stats["median"] <= stats["max"]
    printed = capsys.readouterr().out
    assert "samples/s" in printed and "tiny" in printed and results["blas"]


def test_every_contender_trains_the_same_network_on_the_same_batches():
    case = cases.CASES["small"]
    X, y = case.arrays()
    data = cases.batches(case, X, y)
    assert sum(len(xb) for xb, _ in data) == len(X)
    for make in (cases.neuralab_step, cases.reference_step):
        step = make(case, data)
        for _ in range(3):
            step()


@pytest.mark.parametrize("name", ["tiny", "small", "deep"])
def test_the_numpy_reference_step_equals_a_neuralab_step(name):
    """The hand-written line measures the same computation: from the same weights, one step of
    each on the same batch gives the same weights."""
    case = cases.CASES[name]
    X, y = case.arrays()
    data = cases.batches(case, X, y)[:1]
    reference = cases.reference_step(case, data)
    model = nn.MLP(case.sizes, activation=case.activation, seed=0)
    linears = [layer for layer in model if isinstance(layer, nn.Linear)]
    for layer, w, b in zip(linears, reference.weights, reference.biases, strict=True):
        layer.weight.data[...], layer.bias.data[...] = w, b
    opt = optim.SGD(model.parameters(), lr=case.lr)
    nn.loss_module(case.loss)(model(data[0][0]), data[0][1]).backward()
    opt.step()
    reference()
    for layer, w, b in zip(linears, reference.weights, reference.biases, strict=True):
        np.testing.assert_allclose(layer.weight.data, w, rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(layer.bias.data, b, rtol=1e-4, atol=1e-6)


def test_fit_to_target_and_memory_probe():
    runs = target.fit_to_target(seeds=1)
    for name in ("neuralab", "sklearn"):
        assert runs[name]["seconds"] > 0 and 0.9 < runs[name]["accuracy"] <= 1.0
    megabytes = runner.memory_probe("tiny", "neuralab", steps=5)
    assert megabytes is None or np.isfinite(megabytes)


def test_the_jax_step_equals_the_numpy_reference_step():
    """The JAX contender measures the same computation: one jitted update from the same
    weights on the same batch gives the reference's weights."""
    pytest.importorskip("jax")
    case = cases.CASES["small"]
    X, y = case.arrays()
    data = cases.batches(case, X, y)[:1]
    reference, jax_step = cases.reference_step(case, data), cases.jax_step(case, data)
    reference()
    jax_step()
    for (w, b), w_ref, b_ref in zip(jax_step.params(), reference.weights, reference.biases,
                                    strict=True):
        np.testing.assert_allclose(w, w_ref, rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(b, b_ref, rtol=1e-4, atol=1e-6)


def test_a_peer_runs_in_its_own_process_interleaved_with_the_others():
    pytest.importorskip("jax")
    stats = runner.run_case("tiny", rounds=2, seconds_per_round=0.01, with_torch=False,
                            contenders=("numpy", "jax"), threads=1)
    assert set(stats) == {"numpy", "jax"}
    assert all(s["median"] > 0 for s in stats.values())


def test_a_missing_peer_is_skipped_with_a_note(monkeypatch):
    monkeypatch.setattr(peers, "available", lambda library: False)
    notes = {}
    stats = runner.run_case("tiny", rounds=1, seconds_per_round=0.01, with_torch=True,
                            contenders=("numpy", "pytorch", "jax"), notes=notes)
    assert set(stats) == {"numpy"}
    assert set(notes) == {"pytorch", "jax"} and "pip install neuralab[bench]" in notes["jax"]
    results = {"notes": notes}
    assert report.note_lines(results)[0].startswith("pytorch skipped: torch is not installed")


def test_the_table_is_readable_at_80_columns():
    from rich.console import Console

    from neuralab.bench import report

    def stats(median):
        return {"median": median, "min": median * 0.9, "max": median * 1.1}

    names = ("neuralab", "neuralab fit", "numpy", "pytorch", "sklearn")
    results = {
        "blas": "openblas 0.3.31.188.0 (SkylakeX kernel, 2 threads)", "torch": "2.13.0+cpu",
        "rounds": 15,
        "cases": {name: {"description": cases.CASES[name].description,
                         "contenders": {c: stats(1_172_681.0 / (i + 1)) for i, c in
                                        enumerate(names)}}
                  for name in cases.CASES},
    }
    console = Console(width=80, record=True)
    console.print(report.table(results))
    lines = [line.rstrip() for line in console.export_text().splitlines()]
    assert max(len(line) for line in lines) <= 80 and "…" not in "".join(lines)
    rows = [line.split() for line in lines]
    assert ["small", "neuralab", "1,172,681", "1,055k-1,290k"] in rows
    assert ["pytorch", "293,170", "264k-322k", "4.00x", "2.00x", ">=", "2x"] in rows
    assert ["numpy", "390,894", "352k-430k", "3.00x", "1.50x", ">=", "0.9x"] in rows
    assert "target: neuralab/it on the pytorch rows, fit/it on the numpy rows" in lines
    for name, case in cases.CASES.items():
        assert f"{name}: {case.description}" in lines


def test_the_fit_floor_does_the_work_of_a_fit_update():
    """bench/fit_floor.py's hand-written update computes what one nl.fit update does: the same
    loss, correct decisions, gradient norm and new weights (one full-batch epoch of XOR, and
    one of the digits' batches of 32 after the same start)."""
    import importlib.util
    from pathlib import Path

    from neuralab.train import fit

    path = Path(__file__).parents[2] / "bench" / "fit_floor.py"
    spec = importlib.util.spec_from_file_location("fit_floor", path)
    floor = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(floor)
    for name, rows in (("tiny", 4), ("small", 32)):
        case = cases.CASES[name]
        X, y = case.arrays()
        X, y = X[:rows], y[:rows]
        model = nn.MLP(case.sizes, activation=case.activation, seed=3)
        update = floor.fit_update(case, X, y)
        linears = [module for module in model.modules() if isinstance(module, nn.Linear)]
        for (w, b), layer in zip(update.layers, linears, strict=True):
            w[...], b[...] = layer.weight.data, layer.bias.data
        update()
        history = fit(model, X, y, loss=case.loss, optimizer=optim.SGD(model.parameters(),
                      lr=case.lr), epochs=1, batch_size="full", verbose=0).history
        loss, correct, norm = update.history
        np.testing.assert_allclose(loss / rows, history["loss"][0], rtol=1e-5)
        assert correct / rows == history["accuracy"][0]
        np.testing.assert_allclose(norm, history["grad_norm"][0], rtol=1e-5)
        for (w, b), layer in zip(update.layers, linears, strict=True):
            np.testing.assert_allclose(w, layer.weight.data, rtol=1e-5, atol=1e-7)
            np.testing.assert_allclose(b, layer.bias.data, rtol=1e-5, atol=1e-7)
