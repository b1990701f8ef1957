"""Shared fixtures of the data tests: MNIST-1D is generated once per session, in a tmp cache."""

import pytest

from neuralab.data import mnist1d


@pytest.fixture(scope="session")
def mnist1d_cache(tmp_path_factory):
    """A cache folder holding MNIST-1D, and the arrays the first (generating) call returned."""
    folder = tmp_path_factory.mktemp("neuralab-cache")
    return folder, mnist1d(cache_dir=folder)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    """No test may write into the user's real cache folder."""
    monkeypatch.setenv("NEURALAB_CACHE_DIR", str(tmp_path / "cache"))
