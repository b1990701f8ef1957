"""The printed report of a trace: the forward values, then each chain three times over -- in
symbols, in formulas, in numbers -- with its product next to autograd's gradient."""

from __future__ import annotations


def fmt(value: float) -> str:
    """A number as the report prints it: 6 significant digits, never "-0"."""
    return f"{value + 0.0:.6g}"  # + 0.0 turns -0.0 into 0.0


def paren(formula: str) -> str:
    """The formula ready to sit in a product: parenthesised if it has spaces."""
    return f"({formula})" if " " in formula else formula


def report(trace) -> str:
    """``str(trace)``: readable lines built from the trace's public records only."""
    lines = ["forward pass"]
    for step in trace.forward:
        values = ", ".join(f"{s} = {fmt(v)}" for s, v in zip(step.symbols, step.values,
                                                            strict=True))
        lines.append(f"  {step.kind:<8} {values}")
    target = (f"   target y = {', '.join(fmt(v) for v in trace.target)}" if trace.target
              else "")
    lines.append(f"  loss ({trace.loss}) L = {fmt(trace.loss_value)}{target}")
    lines.append("")
    lines.append("backward pass: each gradient as a chain of local derivatives")
    for row in trace.rows:
        lines.append(f"  {row.name}:  {row.chain()}")
        pad = " " * (len(row.name) + 5 + len(row.symbol) + 5)
        lines.append(pad + "= " + " · ".join(paren(f.formula) for f in row.factors))
        lines.append(pad + "= " + " · ".join(fmt(f.value) for f in row.factors))
        lines.append(f"{pad}= {fmt(row.product)}   autograd: {fmt(row.autograd)}"
                     f"   |difference| = {row.error:.1e}")
    return "\n".join(lines)
