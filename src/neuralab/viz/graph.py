"""The computational graph of a tensor as Graphviz DOT, with values and gradients."""

from __future__ import annotations


def _graph_nodes(root) -> list:
    """Every tensor ``root`` was computed from (and root itself), each once, inputs first."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        stack.extend((parent, False) for parent in node.parents if id(parent) not in seen)
    return order


def retain_grads(tensor) -> None:
    """Keep ``.grad`` on every intermediate tensor of ``tensor``'s graph after ``backward()``.

    Call it before ``loss.backward()`` so that :func:`graph` can show every node's gradient,
    not only the leaves'.
    """
    for node in _graph_nodes(tensor):
        if not node.is_leaf:
            node.retain_grad()


def _short(array) -> str:
    """A number, a short list of numbers, or the shape of a larger array."""
    import numpy as np

    array = np.asarray(array)
    if array.size == 1:
        return f"{array.item():.4g}"
    if array.size <= 4:
        return "[" + ", ".join(f"{v:.4g}" for v in array.ravel()) + "]"
    return f"{array.dtype.name} array {array.shape}"


def graph(tensor) -> str:
    """The computational graph that produced ``tensor``, as Graphviz DOT text.

    Each node is a tensor: a leaf shows its name (or "input"/"parameter") and value, an
    intermediate result shows the op that made it ("matmul", "sigmoid", ...) and its value;
    every node whose ``.grad`` is known shows ``grad`` too (leaves after ``backward()``; call
    :func:`retain_grads` before ``backward()`` to keep the intermediate ones). Arrows point
    from inputs to results, the direction of the forward pass. Render the text with Graphviz
    (:func:`render_graph`, ``dot -Tsvg``) or any DOT viewer.

    Examples
    --------
    >>> w = nl.tensor(0.5, requires_grad=True, name="w")
    >>> loss = (w * 3.0).sigmoid()
    >>> viz.retain_grads(loss); loss.backward()
    >>> print(viz.graph(loss))   # digraph { ... "sigmoid" ... "grad 0.2..." ... }
    """
    nodes = _graph_nodes(tensor)
    ids = {id(node): f"n{k}" for k, node in enumerate(nodes)}
    lines = ["digraph computation {", "  rankdir=LR;",
             '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];']
    for node in nodes:
        if node.is_leaf:
            title = node.name or ("parameter" if node.requires_grad else "constant")
            color = "#cfe2ff" if node.requires_grad else "#eeeeee"
        else:
            title = f"{node.op}" + (f" ({node.name})" if node.name else "")
            color = "#fff3cd" if node is not tensor else "#f8d7da"
        label = [title, f"value {_short(node.data)}"]
        if node.grad is not None:
            label.append(f"grad {_short(node.grad)}")
        text = "\\n".join(part.replace('"', "'") for part in label)
        lines.append(f'  {ids[id(node)]} [label="{text}", fillcolor="{color}"];')
    for node in nodes:
        lines += [f"  {ids[id(parent)]} -> {ids[id(node)]};" for parent in node.parents]
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_graph(tensor, path) -> None:
    """Write :func:`graph` as an image; the format follows the suffix (.svg, .png, .pdf).

    Needs Graphviz's ``dot`` program (``apt-get install graphviz``, ``brew install graphviz``).

    Raises
    ------
    FileNotFoundError
        If ``dot`` is not installed; the message says how to install it or to use the DOT text.
    ValueError
        For a suffix Graphviz does not write.
    """
    import shutil
    import subprocess
    from pathlib import Path

    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in ("svg", "png", "pdf"):
        raise ValueError(f"render_graph writes .svg, .png or .pdf files; got {str(path)!r}.")
    dot = shutil.which("dot")
    if dot is None:
        raise FileNotFoundError(
            "Graphviz's 'dot' program is not installed, so the graph cannot be drawn as an image. "
            "Install Graphviz (apt-get install graphviz / brew install graphviz / conda install "
            "graphviz), or write the DOT text of nl.viz.graph(tensor) to a .dot file and open it "
            "in any DOT viewer."
        )
    subprocess.run([dot, f"-T{fmt}", "-o", str(path)], input=graph(tensor), text=True,
                   check=True, capture_output=True)
