"""The benchmark table and its targets."""

from __future__ import annotations

#: the issue's targets: neuralab's samples/s at least this multiple of PyTorch eager's
TARGETS = {"tiny": 4.0, "small": 2.0, "medium": 1.2, "deep": 1.5}
_OURS = ("neuralab", "neuralab fit")


def ratio(contenders: dict, ours: str, peer: str) -> float | None:
    if ours not in contenders or peer not in contenders:
        return None
    return contenders[ours]["median"] / contenders[peer]["median"]


def _rate(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def table(results: dict):
    """A rich Table: one row per case and contender, ratios of neuralab's medians to each."""
    from rich.table import Table

    title = (f"neuralab bench - {results.get('cpu', 'CPU unknown')}; {results['blas']}; "
             f"PyTorch {results['torch'] or 'not installed'}; "
             f"JAX {results.get('jax') or 'not installed'}; "
             f"medians of {results['rounds']} interleaved rounds")
    out = Table(title=title, title_justify="left")
    for column in ("case", "contender", "samples/s", "min-max", "neuralab ÷ it",
                   "neuralab fit ÷ it", "target"):
        out.add_column(column, justify="left" if column in ("case", "contender") else "right")
    for name, case in results["cases"].items():
        contenders = case["contenders"]
        for index, (contender, stats) in enumerate(contenders.items()):
            peer_row = contender not in _OURS
            eager, fitted = (ratio(contenders, ours, contender) if peer_row else None
                             for ours in _OURS)
            target = TARGETS.get(name) if contender == "pytorch" else None
            out.add_row(
                f"{name}: {case['description']}" if index == 0 else "",
                contender,
                _rate(stats["median"]),
                f"{_rate(stats['min'])}-{_rate(stats['max'])}",
                f"{eager:.2f}x" if eager else "",
                f"{fitted:.2f}x" if fitted else "",
                f">= {target:g}x" if target else "",
                end_section=index == len(contenders) - 1,
            )
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
