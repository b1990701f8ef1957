"""load_dataset, DATASET_NAMES, and the package surface (nl.data, __all__, lazy imports)."""

import subprocess
import sys

import numpy as np
import pytest

import neuralab as nl
from neuralab import data
from neuralab.data import DATASET_NAMES, gates, load_dataset, moons

EXPECTED_NAMES = {
    "digits",
    "mnist1d",
    "xor",
    "moons",
    "circles",
    "spiral",
    "gaussians",
    "and",
    "or",
    "nand",
    "nor",
    "xnor",
    "not",
    "xor_gate",
    "half_adder",
}


def test_dataset_names():
    assert set(DATASET_NAMES) == EXPECTED_NAMES


@pytest.mark.parametrize("name", sorted(EXPECTED_NAMES - {"mnist1d", "digits"}))
def test_every_small_name_loads_as_x_y(name):
    X, y = load_dataset(name, seed=0)
    assert X.dtype == np.float32 and y.dtype == np.int64
    assert len(X) == len(y) > 0


def test_options_are_passed_on_and_names_ignore_case():
    X, y = load_dataset("Moons", n=50, noise=0.2, seed=1)
    X_direct, y_direct = moons(n=50, noise=0.2, seed=1)
    np.testing.assert_array_equal(X, X_direct)
    np.testing.assert_array_equal(y, y_direct)
    assert load_dataset("spiral", n=90, arms=3, seed=0)[1].max() == 2


def test_xor_is_the_2d_set_and_xor_gate_the_truth_table():
    assert load_dataset("xor", seed=0)[0].shape == (200, 2)
    np.testing.assert_array_equal(load_dataset("xor_gate")[1], gates("xor")[1])
    np.testing.assert_array_equal(load_dataset("nand")[1], [1, 1, 1, 0])


def test_mnist1d_gives_the_train_part_or_the_test_part(mnist1d_cache):
    folder, ((X_train, _), (X_test, y_test)) = mnist1d_cache
    X, _ = load_dataset("mnist1d", cache_dir=folder, seed=0)
    np.testing.assert_array_equal(X, X_train)
    X, y = load_dataset("mnist1d", split="test", cache_dir=folder)
    np.testing.assert_array_equal(X, X_test)
    np.testing.assert_array_equal(y, y_test)
    with pytest.raises(ValueError, match="split must be 'train' or 'test'"):
        load_dataset("mnist1d", split="valid", cache_dir=folder)


def test_csv_paths(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("a,b,label\n0.5,1,x\n1.5,2,y\n")
    X, y = load_dataset(str(path), target="label", seed=0)
    np.testing.assert_allclose(X, [[0.5, 1], [1.5, 2]])
    assert y.tolist() == ["x", "y"]
    X_path, _ = load_dataset(path, target="label")
    np.testing.assert_array_equal(X_path, X)
    with pytest.raises(TypeError, match="needs the target column"):
        load_dataset(path)


def test_unknown_names_and_options():
    with pytest.raises(ValueError, match=r"Unknown dataset 'iris'\. Choose one of: and, circles, "
                                         r"digits, .*xor_gate, or a path to a \.csv file\.$"):
        load_dataset("iris")
    with pytest.raises(ValueError, match=r"Choose one of: .* Did you mean 'moons'\?"):
        load_dataset("mons")
    with pytest.raises(TypeError, match=r"'moons' does not take the option\(s\) arms"):
        load_dataset("moons", arms=3)
    with pytest.raises(TypeError, match=r"'and' does not take.*accepts: no options"):
        load_dataset("and", n=4)


def test_nl_data_is_the_data_package():
    assert nl.data is data
    assert "data" in nl.__all__


def test_public_names():
    assert sorted(data.__all__) == sorted(
        [
            "DATASETS",
            "DATASET_NAMES",
            "GATE_NAMES",
            "DataLoader",
            "DroppedColumnWarning",
            "Standardizer",
            "TableEncoder",
            "circles",
            "encode_labels",
            "from_dataframe",
            "gates",
            "gaussians",
            "half_adder",
            "load_csv",
            "load_dataset",
            "load_digits",
            "mnist1d",
            "moons",
            "one_hot",
            "spiral",
            "standardize",
            "train_test_split",
            "xor",
        ]
    )
    for name in data.__all__:
        assert getattr(data, name) is not None


def test_import_does_not_load_heavy_packages():
    code = (
        "import sys, neuralab as nl; nl.data.moons(seed=0); "
        "print([m for m in ('sklearn', 'pandas', 'matplotlib', 'mnist1d', 'scipy') "
        "if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
