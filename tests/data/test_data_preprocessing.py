"""Standardizer / standardize, encode_labels and one_hot."""

import numpy as np
import pytest

from neuralab.data import Standardizer, encode_labels, one_hot, standardize


def test_standardizer_gives_mean_zero_and_std_one():
    X = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 60.0]], dtype=np.float32)
    scaler = Standardizer().fit(X)
    np.testing.assert_allclose(scaler.mean_, [2.0, 30.0])
    np.testing.assert_allclose(scaler.scale_, [np.sqrt(2 / 3), np.sqrt(1400 / 3)])
    Z = scaler.transform(X)
    assert Z.dtype == np.float32
    np.testing.assert_allclose(Z[:, 0], [-np.sqrt(1.5), 0.0, np.sqrt(1.5)], rtol=1e-6)
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-6)
    np.testing.assert_allclose(Z.std(axis=0), 1.0, rtol=1e-6)
    np.testing.assert_allclose(scaler.inverse_transform(Z), X, rtol=1e-6)


def test_constant_columns_are_scaled_by_one():
    X = np.array([[5.0, 0.0, 0.1], [5.0, 0.0, 0.1], [5.0, 0.0, 0.1], [5.0, 0.0, 0.1]])
    scaler = Standardizer().fit(X)
    np.testing.assert_array_equal(scaler.scale_, [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(scaler.transform(X), np.zeros_like(X))


def test_integer_input_becomes_float32():
    Z = Standardizer().fit_transform(np.array([[0], [2], [4]]))
    assert Z.dtype == np.float32
    np.testing.assert_allclose(Z[:, 0], [-np.sqrt(1.5), 0.0, np.sqrt(1.5)], rtol=1e-6)


def test_standardize_uses_the_training_statistics_for_every_array():
    train = np.array([[0.0], [2.0]])
    test = np.array([[4.0]])
    train_s, test_s = standardize(train, test)
    np.testing.assert_allclose(train_s[:, 0], [-1.0, 1.0])
    np.testing.assert_allclose(test_s[:, 0], [3.0])
    alone = standardize(train)
    assert isinstance(alone, np.ndarray)
    np.testing.assert_allclose(alone[:, 0], [-1.0, 1.0])


def test_standardizer_errors():
    with pytest.raises(ValueError, match="not fitted yet"):
        Standardizer().transform(np.zeros((2, 2)))
    scaler = Standardizer().fit(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"feature shape \(3,\).*fitted on \(2,\)"):
        scaler.transform(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="NaN or infinity"):
        Standardizer().fit(np.array([[1.0], [np.nan]]))
    with pytest.raises(TypeError, match="numeric features"):
        Standardizer().fit(np.array([["a"], ["b"]]))


@pytest.mark.parametrize(
    ("labels", "codes", "classes"),
    [
        ([3, 1, 3, 7], [1, 0, 1, 2], [1, 3, 7]),
        (["dog", "cat", "dog"], [1, 0, 1], ["cat", "dog"]),
        ([True, False, True], [1, 0, 1], [False, True]),
        (np.array([0.5, -1.0, 0.5]), [1, 0, 1], [-1.0, 0.5]),
    ],
)
def test_encode_labels(labels, codes, classes):
    got_codes, got_classes = encode_labels(labels)
    assert got_codes.dtype == np.int64
    np.testing.assert_array_equal(got_codes, codes)
    np.testing.assert_array_equal(got_classes, classes)
    np.testing.assert_array_equal(got_classes[got_codes], np.asarray(labels))


def test_encode_labels_needs_one_label_per_sample():
    with pytest.raises(ValueError, match="1-D array"):
        encode_labels(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="empty"):
        encode_labels([])


def test_one_hot():
    encoded = one_hot(np.array([2, 0, 1]), 4)
    assert encoded.dtype == np.float32
    np.testing.assert_array_equal(encoded, [[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]])
    assert one_hot([1, 1]).shape == (2, 2)  # n_classes defaults to max + 1


def test_one_hot_errors():
    with pytest.raises(ValueError, match=r"\[0, 2\).*from 0 to 2"):
        one_hot([0, 2], 2)
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        one_hot([-1, 2], 3)
    with pytest.raises(TypeError, match="integer class codes"):
        one_hot(np.array([0.0, 1.0]), 2)
    with pytest.raises(ValueError, match="n_classes must be an integer >= 1"):
        one_hot([0], 0)
