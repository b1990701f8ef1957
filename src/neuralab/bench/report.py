"""The benchmark table and its targets."""

from __future__ import annotations

#: the issue's targets: neuralab's samples/s at least this multiple of PyTorch eager's
TARGETS = {"tiny": 4.0, "small": 2.0, "medium": 1.2, "deep": 1.5}
#: nl.fit's samples/s at least this multiple of the hand-written NumPy step's, in every case
FIT_TARGET = 0.9
_OURS = ("neuralab", "neuralab fit")


def _target(case: str, contender: str) -> str:
    """The target cell of a peer's row: neuralab/it on the PyTorch row, fit/it on NumPy's
    (the table's caption says so)."""
    if contender == "pytorch" and case in TARGETS:
        return f">= {TARGETS[case]:g}x"
    return f">= {FIT_TARGET:g}x" if contender == "numpy" else ""


def ratio(contenders: dict, ours: str, peer: str) -> float | None:
    if ours not in contenders or peer not in contenders:
        return None
    return contenders[ours]["median"] / contenders[peer]["median"]


def _rate(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _short_rate(value: float) -> str:
    """A rate in at most 6 characters: 186,691 -> "187k", 1,172,681 -> "1,173k"."""
    return f"{value / 1000:,.0f}k" if value >= 10_000 else _rate(value)


def table(results: dict):
    """A rich Table that fits 80 columns: one row per case and contender, samples/s and the
    ratios of neuralab's medians (eager API, and ``nl.fit``) to each contender's; the cases are
    described under it."""
    from rich import box
    from rich.table import Table

    title = (f"neuralab bench - {results.get('cpu', 'CPU unknown')}; {results['blas']}; "
             f"PyTorch {results['torch'] or 'not installed'}; "
             f"JAX {results.get('jax') or 'not installed'}; "
             f"medians of {results['rounds']} interleaved rounds")
    caption = "\n".join([*(f"{name}: {case['description']}"
                            for name, case in results["cases"].items()),
                          "target: neuralab/it on the pytorch rows, fit/it on the numpy rows"])
    header = ("case", "contender", "samples/s", "min-max", "neuralab/it", "fit/it", "target")
    rows, ends = [], []
    for name, case in results["cases"].items():
        contenders = case["contenders"]
        for index, (contender, stats) in enumerate(contenders.items()):
            peer_row = contender not in _OURS
            eager, fitted = (ratio(contenders, ours, contender) if peer_row else None
                             for ours in _OURS)
            rows.append([
                name if index == 0 else "",
                contender,
                _rate(stats["median"]),
                f"{_short_rate(stats['min'])}-{_short_rate(stats['max'])}",
                f"{eager:.2f}x" if eager else "",
                f"{fitted:.2f}x" if fitted else "",
                _target(name, contender),
            ])
            ends.append(index == len(contenders) - 1)
    # the box's dividers are spaces, plus one of padding: two spaces between columns, so that
    # the widest numbers (64 characters over 7 columns) fit 80 columns without wrapping
    out = Table(title=title, title_justify="left", caption=caption, caption_justify="left",
                box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0))
    for column, name in enumerate(header):
        out.add_column(name, justify="left" if column < 2 else "right", no_wrap=True)
    for row, end in zip(rows, ends, strict=True):
        out.add_row(*row, end_section=end)
    return out


def note_lines(results: dict) -> list[str]:
    """Why a peer has no rows (not installed, or its worker failed)."""
    return [f"{library} skipped: {why}" for library, why in results.get("notes", {}).items()]


def target_lines(results: dict) -> list[str]:
    """The fit-to-target comparison in two lines (and the ratio of fit times)."""
    runs = results.get("fit_to_target")
    if not runs:
        return []
    ours, theirs = runs["neuralab"], runs["sklearn"]
    return [
        "Fit to target on the digits (hidden 64, Adam, same settings, "
        f"{len(ours['seconds_all'])} seeds): NeuralabClassifier {ours['seconds']:.2f} s per fit, "
        f"test accuracy {ours['accuracy']:.4f}; MLPClassifier {theirs['seconds']:.2f} s, "
        f"{theirs['accuracy']:.4f}; neuralab is {theirs['seconds'] / ours['seconds']:.2f}x as "
        "fast (target: faster, at accuracy >= 0.97)."
    ]


def memory_lines(results: dict) -> list[str]:
    memory = results.get("memory_mb")
    if not memory:
        return []
    parts = [f"{lib} {mb:.1f} MB" if mb is not None else f"{lib} n/a"
             for lib, mb in memory.items()]
    return ["Peak memory of 100 medium training steps above the process's baseline "
            "(fresh process each): " + ", ".join(parts)]


def markdown(results: dict) -> str:
    """The same table as Markdown, for the README."""
    lines = ["| case | contender | samples/s (median) | min-max | neuralab ÷ it | "
             "neuralab fit ÷ it |", "|---|---|---|---|---|---|"]
    for name, case in results["cases"].items():
        contenders = case["contenders"]
        for contender, stats in contenders.items():
            peer_row = contender not in _OURS
            eager, fitted = (ratio(contenders, ours, contender) if peer_row else None
                             for ours in _OURS)
            lines.append(
                f"| {name} | {contender} | {_rate(stats['median'])} | "
                f"{_rate(stats['min'])}-{_rate(stats['max'])} | "
                f"{f'{eager:.2f}x' if eager else ''} | {f'{fitted:.2f}x' if fitted else ''} |"
            )
    return "\n".join([*lines, "", *note_lines(results), *memory_lines(results), "",
                      *target_lines(results)])
