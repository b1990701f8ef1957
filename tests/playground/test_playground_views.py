"""The maps sent to the page: grid orientation and compact encodings."""

import base64

import numpy as np

from neuralab.playground.views import encode_probability, encode_signed, grid_points


def test_the_grid_starts_at_the_top_left_corner_and_runs_along_x1():
    grid = grid_points((-1.0, 2.0), size=4)
    np.testing.assert_allclose(grid[0], [-1.0, 2.0])
    np.testing.assert_allclose(grid[1], [0.0, 2.0])
    np.testing.assert_allclose(grid[-1], [2.0, -1.0])


def test_signed_maps_are_int8_relative_to_their_largest_magnitude():
    encoded = encode_signed(np.array([-2.0, 0.0, 1.0, 2.0]))
    assert encoded["scale"] == 2.0
    values = np.frombuffer(base64.b64decode(encoded["data"]), dtype=np.int8)
    np.testing.assert_array_equal(values, [-127, 0, 64, 127])
    assert encode_signed(np.zeros(3))["scale"] == 0.0


def test_probabilities_are_uint8():
    values = np.frombuffer(base64.b64decode(encode_probability(np.array([0.0, 0.5, 1.0, 1.5]))),
                           dtype=np.uint8)
    np.testing.assert_array_equal(values, [0, 128, 255, 255])
