"""One 2-worker Dask LocalCluster for all sweep tests of a test process, closed at the end."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def dask_client():
    from distributed import Client

    from neuralab.sweeps import local_cluster

    with local_cluster(2) as cluster, Client(cluster) as client:
        yield client
