"""Shared test settings: matplotlib never opens a window."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")
