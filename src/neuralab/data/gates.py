"""The course's logic gates and the half adder as tiny datasets: exact truth tables."""

from __future__ import annotations

import numpy as np

#: inputs of every two-input gate, in the course's row order
_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)

#: outputs for the rows (0,0), (0,1), (1,0), (1,1)
_TRUTH_TABLES = {
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "nand": (1, 1, 1, 0),
    "nor": (1, 0, 0, 0),
    "xor": (0, 1, 1, 0),
    "xnor": (1, 0, 0, 1),
}

#: every name :func:`gates` accepts
GATE_NAMES = (*_TRUTH_TABLES, "not")


def gates(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The truth table of a logic gate as ``(X, y)``.

    ==  ==  ===  ==  ====  ===  ===  ====
    x1  x2  AND  OR  NAND  NOR  XOR  XNOR
    ==  ==  ===  ==  ====  ===  ===  ====
    0   0   0    0   1     1    0    1
    0   1   0    1   1     0    1    0
    1   0   0    1   1     0    1    0
    1   1   1    1   0     0    0    1
    ==  ==  ===  ==  ====  ===  ===  ====

    NOT has one input: x = 0 → 1, x = 1 → 0.

    Parameters
    ----------
    name : str
        One of "and", "or", "nand", "nor", "xor", "xnor", "not" (any case).

    Returns
    -------
    X : ndarray of float32, shape (4, 2) (``(2, 1)`` for "not")
        Rows in the order (0,0), (0,1), (1,0), (1,1).
    y : ndarray of int64, shape (4,) (``(2,)`` for "not")
    """
    key = name.lower() if isinstance(name, str) else name
    if key == "not":
        return np.array([[0], [1]], dtype=np.float32), np.array([1, 0], dtype=np.int64)
    if key not in _TRUTH_TABLES:
        raise ValueError(f"Unknown gate {name!r}. Choose one of: {', '.join(GATE_NAMES)}.")
    return _INPUTS.copy(), np.array(_TRUTH_TABLES[key], dtype=np.int64)


def half_adder() -> tuple[np.ndarray, np.ndarray]:
    """The half adder: adds two bits A + B into a sum bit and a carry bit.

    Sum = A XOR B and Carry = A AND B:

    =  =  ===  =====
    A  B  Sum  Carry
    =  =  ===  =====
    0  0  0    0
    0  1  1    0
    1  0  1    0
    1  1  0    1
    =  =  ===  =====

    Returns
    -------
    X : ndarray of float32, shape (4, 2)
    y : ndarray of int64, shape (4, 2)
        Columns [sum, carry]: two binary outputs, one per output unit of the network.
    """
    _, total = gates("xor")
    _, carry = gates("and")
    return _INPUTS.copy(), np.stack([total, carry], axis=1)
