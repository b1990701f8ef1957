"""The estimators' tests train small models for few epochs: ConvergenceWarnings are expected."""

import warnings

import pytest
from sklearn.exceptions import ConvergenceWarning


@pytest.fixture(autouse=True)
def _quiet_convergence():
    """Silence ConvergenceWarning; tests that check it use pytest.warns, which still sees it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield
