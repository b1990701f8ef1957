"""The computational graph of a tensor, with values and gradients: DOT text, drawn by Graphviz.

:func:`graph` returns a :class:`Graph`: its ``source`` is the Graphviz DOT text (also
``str(graph)``), ``svg()`` the drawing, ``save(path)`` an image file; in a notebook the graph
shows itself drawn inline. Drawing needs Graphviz's ``dot`` program; without it the notebook
shows the DOT text with a line saying how to install Graphviz.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

#: what to do when Graphviz is missing (part of every message about it)
_INSTALL = ("Install Graphviz (apt-get install graphviz / brew install graphviz / conda install "
            "graphviz), or open the DOT text (graph.source, or a .dot file) in any DOT viewer.")


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


class Graph:
    """A computational graph as Graphviz DOT text, drawn on demand.

    Attributes
    ----------
    source : str
        The DOT text (``str(graph)`` is the same).
    n_nodes : int
    """

    def __init__(self, source: str, n_nodes: int) -> None:
        self.source = source
        self.n_nodes = n_nodes
        self._svg: str | None = None

    def __str__(self) -> str:
        return self.source

    def __repr__(self) -> str:
        return (f"<Graph of {self.n_nodes} nodes: .source is the DOT text, .svg() the drawing, "
                ".save(path) writes .svg/.png/.pdf>")

    def render(self, fmt: str) -> bytes:
        """The drawing in Graphviz format ``fmt`` ("svg", "png", "pdf") as bytes.

        Raises
        ------
        FileNotFoundError
            If Graphviz's ``dot`` is not installed; the message says how to install it.
        """
        dot = shutil.which("dot")
        if dot is None:
            raise FileNotFoundError(
                "Graphviz's 'dot' program is not installed, so the graph cannot be drawn as an "
                f"image. {_INSTALL}"
            )
        done = subprocess.run([dot, f"-T{fmt}"], input=self.source.encode(),
                              capture_output=True, check=True)
        return done.stdout

    def svg(self) -> str:
        """The drawing as SVG text (kept after the first call)."""
        if self._svg is None:
            self._svg = self.render("svg").decode()
        return self._svg

    def save(self, path) -> Path:
        """Write the drawing to ``path``; the format follows the suffix (.svg, .png, .pdf), and
        a .dot file gets the DOT text itself. Returns the path."""
        path = Path(path)
        fmt = path.suffix.lstrip(".").lower()
        if fmt == "dot":
            path.write_text(self.source)
        elif fmt in ("svg", "png", "pdf"):
            path.write_bytes(self.render(fmt))
        else:
            raise ValueError(
                f"A graph is saved as .svg, .png, .pdf or .dot; got {str(path)!r}."
            )
        return path

    def _repr_svg_(self) -> str | None:
        """In a notebook: the drawing (nothing without Graphviz; the HTML form explains)."""
        return self.svg() if shutil.which("dot") else None

    def _repr_html_(self) -> str:
        """In a notebook: the drawing inline, or the DOT text and how to install Graphviz."""
        from html import escape

        if shutil.which("dot") is None:
            return ("<div><p><b>Graphviz's dot program is not installed, so this graph cannot be "
                    f"drawn.</b> {escape(_INSTALL)} The DOT text:</p>"
                    f"<pre>{escape(self.source)}</pre></div>")
        drawing = self.svg()
        return f'<div style="overflow-x: auto">{drawing[drawing.index("<svg"):]}</div>'


def graph(tensor) -> Graph:
    """The computational graph that produced ``tensor``, with every node's value and gradient.

    Each node is a tensor: a leaf shows its name (or "input"/"parameter") and value, an
    intermediate result shows the op that made it ("matmul", "sigmoid", ...) and its value;
    every node whose ``.grad`` is known shows ``grad`` too (leaves after ``backward()``; call
    :func:`retain_grads` before ``backward()`` to keep the intermediate ones). Arrows point
    from inputs to results, the direction of the forward pass.

    Returns
    -------
    Graph
        ``.source`` is the DOT text; in a notebook the graph draws itself (with Graphviz);
        ``.save("graph.svg")`` writes the drawing.

    Examples
    --------
    >>> w = nl.tensor(0.5, requires_grad=True, name="w")
    >>> loss = (w * 3.0).sigmoid()
    >>> viz.retain_grads(loss); loss.backward()
    >>> g = viz.graph(loss)       # in a notebook: drawn inline
    >>> print(g.source)           # digraph { ... "sigmoid" ... "grad 0.2..." ... }
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
    return Graph("\n".join(lines) + "\n", len(nodes))


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
    path = Path(path)
    if path.suffix.lower() not in (".svg", ".png", ".pdf"):
        raise ValueError(f"render_graph writes .svg, .png or .pdf files; got {str(path)!r}.")
    graph(tensor).save(path)
