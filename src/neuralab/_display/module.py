"""A Module in a notebook: one row per layer with its output shape and parameters.

For a Sequential (an MLP included) whose first layer says how many features it takes
(``in_features``), the output shape of each layer comes from running one sample of zeros
through the layers in evaluation mode, without gradients, and every module's mode is put back
afterwards. Any other module lists its sub-modules that own parameters, without shapes.
"""

from __future__ import annotations

import numpy as np

from . import html


def _parameters(module) -> tuple[str, int]:
    """("weight (2, 16), bias (16,)", count) of the parameters the module itself holds."""
    own = [(name, value) for name, value in module._registered("parameter")]
    shapes = ", ".join(f"{name} {tuple(value.shape)}" for name, value in own)
    return shapes, sum(value.data.size for _, value in own)


def _layer(module) -> str:
    settings = module.extra_repr()
    return f"{type(module).__name__}({settings})"


def _output_shapes(sequential) -> list[str] | None:
    """The shape of each layer's output for one sample, as "(N, 16)", or None if unknown."""
    from .._config import no_grad
    from ..autograd.tensor import Tensor

    layers = list(sequential)
    width = getattr(layers[0], "in_features", None) if layers else None
    if width is None:
        return None
    dtype = next((p.dtype for p in sequential.parameters()), np.float32)
    shapes = []
    try:
        with sequential.evaluating(), no_grad():
            out = Tensor(np.zeros((1, width), dtype=dtype))
            for layer in layers:
                out = layer(out)
                shapes.append(str(("N", *out.shape[1:])).replace("'", ""))
    except Exception:  # a custom layer that cannot run on zeros: show no shapes, never fail
        return None
    return shapes


def rows(module) -> tuple[list[str], list[list]]:
    """(columns, rows) of the layer table."""
    from ..nn import Sequential

    if isinstance(module, Sequential) and len(module):
        shapes = _output_shapes(module)
        columns = ["#", "layer", "output shape", "parameters", "count"]
        table = []
        for k, layer in enumerate(module):
            params, count = _parameters(layer)
            nested = layer.num_parameters() - count
            if nested:  # a container inside the chain: its parameters are its layers'
                params, count = "(in its layers)", layer.num_parameters()
            table.append([k, _layer(layer), shapes[k] if shapes else None, params or None,
                          count])
        if shapes is None:
            columns.pop(2)
            table = [row[:2] + row[3:] for row in table]
        return columns, table
    table = []
    for name, sub in module.named_modules():
        params, count = _parameters(sub)
        if count:
            table.append([name or "(itself)", _layer(sub), params, count])
    return ["name", "module", "parameters", "count"], table


def module_html(module) -> str:
    """The HTML of a module: its type, parameter count and dtype, then the layer table."""
    total = module.num_parameters()
    dtypes = sorted({str(p.dtype) for p in module.parameters()})
    sizes = getattr(module, "sizes", None)
    shape = " → ".join(str(s) for s in sizes) + " · " if sizes else ""
    title = (f"{type(module).__name__}: {shape}{total:,} parameters"
             + (f" ({', '.join(dtypes)})" if dtypes else ""))
    columns, table = rows(module)
    mode = "training mode" if module.training else "evaluation mode"
    return html.block(html.table(columns, table, title=title, note=mode) if table else
                      html.heading(title) + html.paragraph(mode, muted=True))
