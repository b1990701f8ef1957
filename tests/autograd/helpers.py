"""One helper checks an op end to end: seeded float64 inputs, forward values, every gradient."""

from __future__ import annotations

import numpy as np

import neuralab as nl


def check_op(fn, reference, *shapes, low=-2.0, high=2.0, seed=0, inputs=None):
    """Gradient-check ``fn`` on random float64 inputs of ``shapes`` and compare its forward
    values with the NumPy ``reference`` (None to skip). Returns the input tensors."""
    rng = np.random.default_rng(seed)
    arrays = inputs if inputs is not None else [rng.uniform(low, high, s) for s in shapes]
    tensors = [nl.tensor(a, dtype="float64", requires_grad=True) for a in arrays]
    if reference is not None:
        np.testing.assert_allclose(fn(*tensors).data, reference(*arrays), rtol=1e-10, atol=1e-12)
    assert nl.gradcheck(fn, *tensors)
    return tensors
