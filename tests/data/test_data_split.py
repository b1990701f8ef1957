"""train_test_split: sizes, order of outputs, seeding, stratification, errors."""

import numpy as np
import pytest

from neuralab.data import train_test_split


def make_data(n=20):
    X = np.arange(n * 2, dtype=np.float32).reshape(n, 2)
    y = np.arange(n) % 2
    return X, y


def test_sizes_and_rows_stay_paired():
    X, y = make_data(20)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, seed=0)
    assert (len(X_train), len(X_test), len(y_train), len(y_test)) == (15, 5, 15, 5)
    rows = np.concatenate([X_train, X_test])[:, 0] // 2
    assert sorted(rows.tolist()) == list(range(20))  # a partition: every row once
    np.testing.assert_array_equal(X_test[:, 0] // 2 % 2, y_test)
    assert X_train.dtype == np.float32 and y_train.dtype == y.dtype


def test_test_part_is_rounded_up():
    X, y = make_data(10)
    _, X_test, _, _ = train_test_split(X, y, test_size=0.33, seed=0)
    assert len(X_test) == 4  # ceil(3.3)


def test_same_seed_same_split_and_different_seeds_differ():
    X, y = make_data(30)
    a = train_test_split(X, y, seed=4)
    b = train_test_split(X, y, seed=4)
    c = train_test_split(X, y, seed=5)
    for left, right in zip(a, b, strict=True):
        np.testing.assert_array_equal(left, right)
    assert not np.array_equal(a[1], c[1])


def test_stratify_keeps_class_proportions():
    y = np.array([0] * 60 + [1] * 30 + [2] * 10)
    X = np.arange(100, dtype=np.float32)[:, None]
    for seed in range(5):
        _, _, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=seed, stratify=True)
        np.testing.assert_array_equal(np.bincount(y_test), [12, 6, 2])
        np.testing.assert_array_equal(np.bincount(y_train), [48, 24, 8])


def test_stratify_rounds_to_within_one_row_per_class():
    y = np.array(["a"] * 7 + ["b"] * 5 + ["c"] * 3)
    X = np.zeros((15, 1))
    _, X_test, _, y_test = train_test_split(X, y, test_size=0.4, seed=0, stratify=True)
    counts = {label: int(np.sum(y_test == label)) for label in "abc"}
    assert sum(counts.values()) == len(X_test) == 6
    for label, total in zip("abc", (7, 5, 3), strict=True):
        assert abs(counts[label] - 0.4 * total) < 1


def test_stratified_split_is_shuffled_not_grouped_by_class():
    y = np.array([0] * 50 + [1] * 50)
    _, _, y_train, _ = train_test_split(np.zeros((100, 1)), y, seed=0, stratify=True)
    assert np.any(np.diff(y_train[:40]) != 0)


@pytest.mark.parametrize("test_size", [0, 1, 1.5, -0.1, True, "0.2"])
def test_test_size_outside_zero_one_is_rejected(test_size):
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        train_test_split(*make_data(), test_size=test_size)


def test_split_leaving_no_training_rows_is_rejected():
    with pytest.raises(ValueError, match="leaves no training rows"):
        train_test_split(*make_data(2), test_size=0.9)


def test_stratify_errors():
    X = np.zeros((6, 1))
    with pytest.raises(ValueError, match="only 1 sample"):
        train_test_split(X, np.array([0, 0, 0, 1, 1, 2]), stratify=True)
    with pytest.raises(ValueError, match="every one of the 3 classes"):
        train_test_split(X, np.array([0, 0, 1, 1, 2, 2]), test_size=0.2, stratify=True)
    with pytest.raises(ValueError, match="1-D"):
        train_test_split(X, np.zeros((6, 2)), stratify=True)


def test_length_mismatch_is_rejected():
    with pytest.raises(ValueError, match="same number of samples"):
        train_test_split(np.zeros((5, 2)), np.zeros(4))
