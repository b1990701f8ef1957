"""The 2-D teaching sets: shapes, dtypes, classes, geometry, seeding, argument checks."""

import numpy as np
import pytest

from neuralab.data import circles, gaussians, moons, spiral, xor

SETS = [circles, xor, gaussians, spiral, moons]


@pytest.mark.parametrize("make", SETS)
def test_shapes_dtypes_and_balanced_classes(make):
    X, y = make(n=101, seed=0)
    assert X.shape == (101, 2) and X.dtype == np.float32
    assert y.shape == (101,) and y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y), [51, 50])
    assert np.all(np.abs(X) < 2.5)


@pytest.mark.parametrize("make", SETS)
def test_same_seed_same_points_other_seed_other_points(make):
    X_a, y_a = make(seed=3)
    X_b, y_b = make(seed=3)
    X_c, _ = make(seed=4)
    np.testing.assert_array_equal(X_a, X_b)
    np.testing.assert_array_equal(y_a, y_b)
    assert not np.array_equal(X_a, X_c)
    X_rng, _ = make(rng=np.random.default_rng(3))
    np.testing.assert_array_equal(X_rng, X_a)


@pytest.mark.parametrize("make", SETS)
def test_rows_are_shuffled(make):
    _, y = make(seed=0)
    assert np.any(np.diff(y[:100]) != 0)


@pytest.mark.parametrize("make", SETS)
def test_argument_checks(make):
    with pytest.raises(ValueError, match="noise must be a number >= 0"):
        make(noise=-0.1)
    with pytest.raises(ValueError, match="noise must be finite"):
        make(noise=float("inf"))
    with pytest.raises(ValueError, match=r"n \(the number of points.*>= 2. Got 1"):
        make(n=1)
    with pytest.raises(TypeError, match=r"n .* must be an integer"):
        make(n=10.0)


def test_circles_radii():
    X, y = circles(n=200, noise=0.0, factor=0.3, seed=0)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.0, rtol=1e-6)
    np.testing.assert_allclose(radius[y == 1], 0.3, rtol=1e-6)
    with pytest.raises(ValueError, match="factor"):
        circles(factor=1.0)


def test_xor_labels_follow_the_truth_table():
    X, y = xor(n=400, noise=0.0, seed=0)
    bits = (X > 0).astype(int)
    np.testing.assert_array_equal(y, bits[:, 0] ^ bits[:, 1])
    assert np.all(np.abs(X) >= 0.1 - 1e-6) and np.all(np.abs(X) <= 1.1 + 1e-6)
    quadrants = {tuple(row) for row in bits}
    assert quadrants == {(0, 0), (0, 1), (1, 0), (1, 1)}


def test_xor_noise_moves_points_across_the_axes():
    X, y = xor(n=400, noise=0.3, seed=0)
    bits = (X > 0).astype(int)
    assert np.any(y != bits[:, 0] ^ bits[:, 1])


def test_gaussians_centres_and_spread():
    X, y = gaussians(n=4000, noise=0.2, seed=0)
    np.testing.assert_allclose(X[y == 0].mean(axis=0), [-0.75, -0.75], atol=0.02)
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [0.75, 0.75], atol=0.02)
    np.testing.assert_allclose(X[y == 0].std(axis=0), [0.2, 0.2], rtol=0.05)


def test_spiral_arms_are_classes():
    X, y = spiral(n=300, arms=3, noise=0.0, seed=0)
    np.testing.assert_array_equal(np.bincount(y), [100, 100, 100])
    assert np.all(np.hypot(X[:, 0], X[:, 1]) <= 1.0 + 1e-6)
    with pytest.raises(ValueError, match="arms must be an integer >= 2"):
        spiral(arms=1)
    with pytest.raises(ValueError, match=r">= 3\. Got 2"):
        spiral(n=2, arms=3)


def test_spiral_points_lie_on_their_arm():
    X, y = spiral(n=200, arms=2, noise=0.0, seed=0)
    radius = np.hypot(X[:, 0], X[:, 1])
    angle = 1.75 * 2 * np.pi * radius + np.pi * y
    np.testing.assert_allclose(X[:, 0], radius * np.cos(angle), atol=1e-5)
    np.testing.assert_allclose(X[:, 1], radius * np.sin(angle), atol=1e-5)


def test_moons_ranges():
    X, y = moons(n=500, noise=0.0, seed=0)
    assert X[:, 0].min() >= -1.5 - 1e-6 and X[:, 0].max() <= 1.5 + 1e-6
    assert X[:, 1].min() >= -0.75 - 1e-6 and X[:, 1].max() <= 0.75 + 1e-6
    upper = X[y == 0] + [0.5, 0.25]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, rtol=1e-5)
