"""Rich displays for notebooks: the HTML that ``_repr_html_`` methods return.

Each object keeps its display code here, one module per kind (``module``, ``history``,
``trace``, ``report``, ``lesson``), built from :mod:`.html`'s escaped tables and inline figures.
The objects themselves only hold two-line ``_repr_html_`` methods that import from here, so
nothing of this is loaded until a notebook asks for it. Every display works without IPython:
it is plain HTML text.
"""
