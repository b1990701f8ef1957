"""``neuralab sweep report OUT_DIR``: compare the configurations of a finished sweep.

Writes into OUT_DIR:

- ``report.md``: one row per configuration, sorted by validation score, with the mean ± std over
  the seeds of the final and the best validation metric, the runs that succeeded, the epochs
  and the seconds per run;
- ``curves.png``: the validation metric per epoch of each configuration (mean over seeds, band
  from the lowest to the highest seed);
- ``heatmap.png`` when exactly two options vary: the mean final validation metric over the grid.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .cell import higher_is_better
from .config import configuration_label, format_value
from .store import ResultStore


def load_runs(out) -> list[dict]:
    """Every run stored in ``out/results.sqlite`` (FileNotFoundError if there is none)."""
    with ResultStore(out, create=False) as store:
        return store.rows()


def varying_options(runs: list[dict]) -> list[str]:
    """The option names whose values differ between the stored runs, in option order."""
    names = list(runs[0]["options"]) if runs else []
    return [name for name in names
            if len({json.dumps(run["options"][name]) for run in runs}) > 1]


def _mean_std(values: list[float]) -> tuple[float, float]:
    if not values:
        return math.nan, math.nan
    std = float(np.std(values, ddof=1)) if len(values) > 1 else math.nan
    return float(np.mean(values)), std


def _sort_key(value):
    """Numbers by size, then everything else by its text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, value, "")
    return (1, 0, json.dumps(value))


@dataclass
class Configuration:
    """The runs of one configuration (its options, all seeds)."""

    values: dict
    runs: list = field(default_factory=list)

    @property
    def ok(self) -> list:
        return [run for run in self.runs if run["status"] == "ok"]

    def score(self, column: str) -> tuple[float, float]:
        metric = self.runs[0]["metric"]
        name = metric if column == "final" else "best_val"
        return _mean_std([run[name] for run in self.ok])


def group_runs(runs: list[dict]) -> tuple[list[Configuration], list[str], str]:
    """``(configurations sorted best first, the varying option names, the metric)``."""
    if not runs:
        raise ValueError("The sweep has no stored runs yet: nothing to report.")
    varying = varying_options(runs)
    metric = runs[0]["metric"]
    groups: dict[str, Configuration] = {}
    for run in runs:
        values = {name: run["options"][name] for name in varying}
        key = json.dumps(values, sort_keys=True)
        groups.setdefault(key, Configuration(values)).runs.append(run)
    sign = -1.0 if higher_is_better(metric) else 1.0

    def order(config: Configuration):
        mean = config.score("final")[0]
        return (math.isnan(mean), sign * mean if not math.isnan(mean) else 0.0,
                [_sort_key(v) for v in config.values.values()])

    return sorted(groups.values(), key=order), varying, metric


def _pm(mean: float, std: float) -> str:
    if math.isnan(mean):
        return "—"
    return f"{mean:.4f}" if math.isnan(std) else f"{mean:.4f} ± {std:.4f}"


def summary_table(configurations: list[Configuration], varying: list[str],
                  metric: str) -> tuple[list[str], list[list[str]]]:
    """The report's header and rows as text."""
    header = [*(varying or ["configuration"]), metric, f"best {metric}", "runs ok", "epochs",
              "s / run"]
    rows = []
    for config in configurations:
        ok = config.ok
        labels = ([format_value(config.values[name]) for name in varying] if varying
                  else ["base model"])
        epochs = f"{np.mean([r['epochs_run'] for r in ok]):.0f}" if ok else "—"
        seconds = f"{np.mean([r['seconds'] for r in ok]):.2f}" if ok else "—"
        rows.append([*labels, _pm(*config.score("final")), _pm(*config.score("best")),
                     f"{len(ok)}/{len(config.runs)}", epochs, seconds])
    return header, rows


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def curves_figure(configurations: list[Configuration], varying: list[str], metric: str):
    """Validation curves: one panel per value of the first varying option when two or more
    vary, one line per configuration in it."""
    from .figures import curve_panels

    facet = varying[0] if len(varying) >= 2 else None
    panels: dict[str, dict[str, list]] = {}
    ordered = sorted(configurations, key=lambda c: [_sort_key(v) for v in c.values.values()])
    for config in ordered:
        if not config.ok:
            continue
        values = dict(config.values)
        panel = f"{facet}={format_value(values.pop(facet))}" if facet else metric
        label = configuration_label(values) if values else "base model"
        panels.setdefault(panel, {})[label] = [run["curves"][metric] for run in config.ok]
    if not panels:
        return None
    return curve_panels(panels, ylabel=metric, title=f"{metric} per epoch (mean over seeds)")


def heatmap_figure(configurations: list[Configuration], varying: list[str], metric: str):
    """Mean final validation metric over a 2-D grid (None unless exactly two options vary)."""
    from .figures import heatmap

    if len(varying) != 2:
        return None
    axes = [sorted({json.dumps(c.values[name]) for c in configurations},
                   key=lambda text: _sort_key(json.loads(text))) for name in varying]
    values = np.full((len(axes[0]), len(axes[1])), np.nan)
    text = [["failed"] * len(axes[1]) for _ in axes[0]]
    for config in configurations:
        i = axes[0].index(json.dumps(config.values[varying[0]]))
        j = axes[1].index(json.dumps(config.values[varying[1]]))
        mean, std = config.score("final")
        if not math.isnan(mean):
            values[i, j] = mean
            text[i][j] = f"{mean:.3f}" + ("" if math.isnan(std) else f"\n±{std:.3f}")
    labels = [[format_value(json.loads(v)) for v in axis] for axis in axes]
    return heatmap(values, labels[0], labels[1], row_title=varying[0], col_title=varying[1],
                   annotations=text, title=f"final {metric} (mean over seeds)",
                   higher_is_better=higher_is_better(metric))


def failure_notes(configurations: list[Configuration], varying: list[str]) -> list[str]:
    """One line per configuration with failed runs: how many, and each distinct error."""
    notes = []
    for config in configurations:
        failed = [run for run in config.runs if run["status"] != "ok"]
        if not failed:
            continue
        errors: dict[str, list[int]] = {}
        for run in failed:
            errors.setdefault(" ".join(str(run["error"]).split()), []).append(run["seed"])
        label = configuration_label(config.values) if varying else "base model"
        text = "; ".join(f"{error} (seed{'s' if len(seeds) > 1 else ''} "
                         f"{', '.join(map(str, sorted(seeds)))})"
                         for error, seeds in errors.items())
        notes.append(f"failed: {label}: {len(failed)}/{len(config.runs)} runs: {text}")
    return notes


def blas_note(runs: list[dict]) -> str | None:
    """Which BLAS kernel computed the runs (two or more: a warning that results may differ)."""
    kernels: dict[str, int] = {}
    for run in runs:
        if run.get("blas"):
            kernels[run["blas"]] = kernels.get(run["blas"], 0) + 1
    if not kernels:
        return None
    if len(kernels) == 1:
        return f"BLAS: {next(iter(kernels))}, one thread per run."
    listing = "; ".join(f"{kernel} ({count} runs)" for kernel, count in kernels.items())
    return (f"BLAS: the runs were computed with {len(kernels)} kernels ({listing}). Their float32 "
            "sums differ in the last digits, which training can amplify (ReLU rows most): "
            "compare runs of one kernel.")


@dataclass
class SweepReport:
    """What :func:`report` wrote: the table (header, rows, markdown), the notes under it
    (failed runs' errors, the BLAS kernel) and the file paths."""

    header: list[str]
    rows: list[list[str]]
    markdown: str
    files: list[Path]
    notes: list[str] = field(default_factory=list)


def report(out) -> SweepReport:
    """Summarise the sweep stored in ``out``: write report.md, curves.png and (for a 2-D grid)
    heatmap.png into ``out`` and return the table.

    Raises
    ------
    FileNotFoundError
        If ``out`` holds no ``results.sqlite``.
    ValueError
        If it holds no runs yet.
    """
    out = Path(out)
    runs = load_runs(out)
    configurations, varying, metric = group_runs(runs)
    notes = [*failure_notes(configurations, varying), *filter(None, [blas_note(runs)])]
    header, rows = summary_table(configurations, varying, metric)
    table = markdown_table(header, rows)
    files = []
    figures = {"curves.png": curves_figure(configurations, varying, metric),
               "heatmap.png": heatmap_figure(configurations, varying, metric)}
    for name, figure in figures.items():
        if figure is not None:
            figure.savefig(out / name, dpi=110)
            files.append(out / name)
    images = "".join(f"\n![{path.stem}]({path.name})\n" for path in files)
    listed = "".join(f"\n- {note}" for note in notes) + ("\n" if notes else "")
    (out / "report.md").write_text(f"# Sweep report\n\nSorted by final {metric} (mean ± std "
                                   f"over seeds).\n\n{table}{listed}{images}", encoding="utf-8")
    return SweepReport(header, rows, table, [out / "report.md", *files], notes)
