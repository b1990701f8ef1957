"""The maps sent to the page: grid orientation and compact encodings."""

import base64

import numpy as np

from neuralab.playground.views import encode_probability, encode_signed, grid_points, output_map


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


def decoded(data: str, dtype) -> np.ndarray:
    return np.frombuffer(base64.b64decode(data), dtype=dtype)


def test_the_output_map_of_two_classes_is_the_probability_of_class_1():
    scores = np.array([[0.0], [100.0], [-100.0]])
    as_scores = output_map(scores, "binary", outputs_probability=False, scale=1.0)
    assert as_scores["kind"] == "probability"
    np.testing.assert_array_equal(decoded(as_scores["data"], np.uint8), [128, 255, 0])
    as_p = output_map(np.array([[0.25]]), "binary", outputs_probability=True, scale=1.0)
    np.testing.assert_array_equal(decoded(as_p["data"], np.uint8), [64])


def test_the_output_map_of_several_classes_is_a_softmax_per_class():
    scores = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [1e4, 0.0, -1e4]])
    encoded = output_map(scores, "multiclass", outputs_probability=False, scale=1.0)
    assert encoded["kind"] == "classes" and len(encoded["data"]) == 3
    p = np.stack([decoded(d, np.uint8) for d in encoded["data"]], axis=1) / 255
    expected = np.exp(scores - scores.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(p, expected, atol=1 / 255)


def test_the_output_map_of_a_regression_is_the_value_on_the_datas_colour_scale():
    encoded = output_map(np.array([[0.5], [-2.0], [4.0], [np.nan]]), "regression",
                         outputs_probability=False, scale=2.0)
    assert (encoded["kind"], encoded["scale"]) == ("values", 2.0)
    np.testing.assert_array_equal(decoded(encoded["data"], np.int8), [32, -127, 127, 0])
