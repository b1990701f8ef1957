"""Shared test settings: matplotlib never opens a window."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

# Hypothesis: derandomized with a small budget by default, so that every run (CI included)
# draws the same cases and the property tests stay fast; NEURALAB_HYPOTHESIS=explore searches
# at random with many more cases, to hunt for new disagreements.
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", derandomize=True, max_examples=20, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "explore", max_examples=500, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("NEURALAB_HYPOTHESIS", "default"))
