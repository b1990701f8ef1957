"""``neuralab bench``: neuralab against PyTorch eager, scikit-learn and hand-written NumPy.

Every case of :data:`~neuralab.bench.cases.CASES` trains the same network on the same batches
with each contender, timed in interleaved rounds in one process with the same number of BLAS
threads. The table shows median samples per second (min-max over rounds), the ratio of
neuralab's median to each peer's, and, for the medium case, the peak memory of a training
epoch measured in a fresh process per library.

Run it with the BLAS tuning variables unset, as the README shows::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE neuralab bench
"""

from __future__ import annotations

from .runner import MEMORY_CASE, run_grid

__all__ = ["MEMORY_CASE", "run_grid"]
