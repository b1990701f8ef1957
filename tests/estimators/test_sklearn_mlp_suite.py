"""scikit-learn's own MLP test suite, run on neuralab's estimators.

The installed ``sklearn/neural_network/tests/test_mlp.py`` is copied into a temporary folder
with one change, its import line, so that every ``MLPClassifier`` and ``MLPRegressor`` in it is
a NeuralabClassifier or NeuralabRegressor, and run with pytest in a subprocess. Every test must
pass.

Beside it goes the one fixture it takes from scikit-learn's conftest, ``global_random_seed``,
with that conftest's default seed (42). BLAS runs on one thread: the suite's matrices are
small, and on a machine whose cores are busy (two pytest workers on two cores) a second BLAS
thread only adds waiting -- it made the suite several times slower here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import sklearn

ORIGINAL = "from sklearn.neural_network import MLPClassifier, MLPRegressor"
REPLACEMENT = ("from neuralab import NeuralabClassifier as MLPClassifier, "
               "NeuralabRegressor as MLPRegressor")
SUITE = Path(sklearn.__file__).parent / "neural_network" / "tests" / "test_mlp.py"
#: scikit-learn's fixture with its default seed (sklearn/conftest.py: 42 unless the variable
#: SKLEARN_TESTS_GLOBAL_RANDOM_SEED says otherwise)
CONFTEST = """import pytest


@pytest.fixture
def global_random_seed():
    return 42
"""


def outcomes(report: Path) -> dict[str, str]:
    """test id -> "passed", "failed", "error" or "skipped", from a JUnit XML report."""
    results = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        kinds = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
        results[f"{case.get('classname')}::{case.get('name')}"] = (
            {"failure": "failed"}.get(kinds[0], kinds[0]) if kinds else "passed")
    return results


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_scikit_learn_mlp_suite_passes_on_the_neuralab_estimators(tmp_path):
    source = SUITE.read_text()
    assert source.count(ORIGINAL) == 1, (
        f"{SUITE} no longer imports the estimators with {ORIGINAL!r}; update this test's "
        "rewrite for scikit-learn " + sklearn.__version__)
    (tmp_path / "test_mlp.py").write_text(source.replace(ORIGINAL, REPLACEMENT))
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # none of neuralab's settings
    report = tmp_path / "report.xml"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c",
         str(tmp_path / "pytest.ini"), f"--junitxml={report}", "test_mlp.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=880,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "OPENBLAS_NUM_THREADS": "1",
             "OMP_NUM_THREADS": "1"})
    assert report.exists(), f"pytest did not run the suite:\n{run.stdout}\n{run.stderr}"
    results = outcomes(report)
    not_passed = {name: outcome for name, outcome in results.items() if outcome != "passed"}
    assert len(results) >= 50 and not not_passed, (
        f"{len(not_passed)} of {len(results)} tests of scikit-learn {sklearn.__version__}'s "
        f"test_mlp.py did not pass: {not_passed}\n{run.stdout[-8000:]}")
