"""load_digits and MNIST-1D: shapes, classes, and the MNIST-1D cache."""

import random
import shutil
import warnings

import numpy as np
import pytest

from neuralab.data import benchmarks, load_digits, mnist1d
from neuralab.data._cache import cache_dir


def fake_dataset(value=0.0):
    """What mnist1d's make_dataset returns, with the real shapes but constant values."""
    return {
        "x": np.full((4000, 40), value),
        "y": np.arange(4000) % 10,
        "x_test": np.full((1000, 40), value),
        "y_test": np.arange(1000) % 10,
        "t": np.zeros(40),
        "templates": {},
    }


def test_load_digits():
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float32
    assert X.min() == 0 and X.max() == 16
    assert y.dtype == np.int64
    np.testing.assert_array_equal(np.unique(y), np.arange(10))


def test_mnist1d_shapes_and_dtypes(mnist1d_cache):
    _, ((X_train, y_train), (X_test, y_test)) = mnist1d_cache
    assert X_train.shape == (4000, 40) and X_test.shape == (1000, 40)
    assert X_train.dtype == X_test.dtype == np.float32
    assert y_train.shape == (4000,) and y_test.shape == (1000,)
    assert y_train.dtype == y_test.dtype == np.int64
    assert np.isfinite(X_train).all()


def test_mnist1d_classes_are_balanced(mnist1d_cache):
    _, ((_, y_train), (_, y_test)) = mnist1d_cache
    for y in (y_train, y_test):
        shares = np.bincount(y, minlength=10) / len(y)
        assert len(shares) == 10
        assert np.all((shares > 0.08) & (shares < 0.12)), shares


def test_second_call_reads_the_cache(mnist1d_cache, monkeypatch):
    folder, ((X_train, y_train), (X_test, y_test)) = mnist1d_cache
    assert (folder / "mnist1d.npz").is_file()
    assert not list(folder.glob("*.tmp"))  # the atomic write left no temporary file

    def must_not_run(*args, **kwargs):
        raise AssertionError("make_dataset was called although the cache exists")

    monkeypatch.setattr("mnist1d.data.make_dataset", must_not_run)
    (X_train2, y_train2), (X_test2, y_test2) = mnist1d(cache_dir=folder)
    np.testing.assert_array_equal(X_train2, X_train)
    np.testing.assert_array_equal(y_train2, y_train)
    np.testing.assert_array_equal(X_test2, X_test)
    np.testing.assert_array_equal(y_test2, y_test)


def test_regenerate_overwrites_the_cache(mnist1d_cache, tmp_path, monkeypatch):
    shutil.copy(mnist1d_cache[0] / "mnist1d.npz", tmp_path / "mnist1d.npz")
    monkeypatch.setattr("mnist1d.data.make_dataset", lambda args: fake_dataset(7.0))
    (X_train, _), _ = mnist1d(cache_dir=tmp_path, regenerate=True)
    assert np.all(X_train == 7.0)
    (X_again, _), _ = mnist1d(cache_dir=tmp_path)
    assert np.all(X_again == 7.0)


@pytest.mark.parametrize("content", [b"not a zip file", None])
def test_unusable_cache_is_regenerated_with_a_warning(tmp_path, monkeypatch, content):
    path = tmp_path / "mnist1d.npz"
    if content is None:
        np.savez(path, X_train=np.zeros((3, 40)))  # wrong arrays
    else:
        path.write_bytes(content)
    monkeypatch.setattr("mnist1d.data.make_dataset", lambda args: fake_dataset(1.0))
    with pytest.warns(UserWarning, match="Ignoring the MNIST-1D cache.*Regenerating"):
        (X_train, _), _ = mnist1d(cache_dir=tmp_path)
    assert np.all(X_train == 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mnist1d(cache_dir=tmp_path)  # repaired


def test_generation_is_quiet_and_keeps_global_random_state(monkeypatch, capsys):
    def noisy_make_dataset(args):
        print("Rebuilding dataset...")
        warnings.warn("something", DeprecationWarning, stacklevel=1)
        random.seed(args.seed)
        np.random.seed(args.seed)
        return fake_dataset()

    monkeypatch.setattr("mnist1d.data.make_dataset", noisy_make_dataset)
    np.random.seed(0)
    random.seed(0)
    expected = np.random.rand(), random.random()
    np.random.seed(0)
    random.seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        benchmarks._generate_mnist1d()
    assert (np.random.rand(), random.random()) == expected
    assert capsys.readouterr().out == ""


def test_cache_folder_resolution(tmp_path, monkeypatch):
    monkeypatch.setenv("NEURALAB_CACHE_DIR", str(tmp_path / "explicit"))
    assert cache_dir() == tmp_path / "explicit"
    assert cache_dir(tmp_path / "given") == tmp_path / "given"
    monkeypatch.delenv("NEURALAB_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "neuralab"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "neuralab"
    assert (tmp_path / "home" / ".cache" / "neuralab").is_dir()
