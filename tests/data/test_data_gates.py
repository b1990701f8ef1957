"""The course's truth tables, exactly."""

import numpy as np
import pytest

from neuralab.data import GATE_NAMES, gates, half_adder

ROWS = [[0, 0], [0, 1], [1, 0], [1, 1]]


@pytest.mark.parametrize(
    ("name", "outputs"),
    [
        ("and", [0, 0, 0, 1]),
        ("or", [0, 1, 1, 1]),
        ("nand", [1, 1, 1, 0]),
        ("nor", [1, 0, 0, 0]),
        ("xor", [0, 1, 1, 0]),
        ("xnor", [1, 0, 0, 1]),
    ],
)
def test_two_input_gates(name, outputs):
    X, y = gates(name)
    assert X.dtype == np.float32 and y.dtype == np.int64
    np.testing.assert_array_equal(X, ROWS)
    np.testing.assert_array_equal(y, outputs)


def test_not_gate():
    X, y = gates("not")
    np.testing.assert_array_equal(X, [[0], [1]])
    np.testing.assert_array_equal(y, [1, 0])


def test_gate_names_ignore_case_and_are_listed():
    np.testing.assert_array_equal(gates("XOR")[1], gates("xor")[1])
    assert set(GATE_NAMES) == {"and", "or", "nand", "nor", "xor", "xnor", "not"}


def test_unknown_gate_lists_the_names():
    names = "and, or, nand, nor, xor, xnor, not"
    with pytest.raises(ValueError, match=rf"Unknown gate 'nxor'\. Choose one of: {names}"):
        gates("nxor")


def test_returned_arrays_are_fresh_copies():
    X, _ = gates("and")
    X[0, 0] = 9
    assert gates("and")[0][0, 0] == 0


def test_half_adder_is_sum_xor_and_carry_and():
    X, y = half_adder()
    np.testing.assert_array_equal(X, ROWS)
    assert y.shape == (4, 2) and y.dtype == np.int64
    np.testing.assert_array_equal(y, [[0, 0], [1, 0], [1, 0], [0, 1]])
    total, carry = y.T
    np.testing.assert_array_equal(X.sum(axis=1), total + 2 * carry)  # it really adds
