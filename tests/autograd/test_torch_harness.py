"""Every public op against PyTorch on drawn inputs: values and gradients, float64 and float32.

The rows live in ``torch_table.py``. For each row and dtype, hypothesis draws cases (shapes,
broadcasting partners, negative axes, edge values 0, ±1, ±1e4, ±inf, NaN); neuralab runs the
op forward and backward under ``warnings.simplefilter("error")`` -- a NumPy RuntimeWarning
fails the test -- and its output and the gradient of every input must equal PyTorch's:
NaN where PyTorch has NaN, the same infinities, and the finite numbers to 1e-9 (float64) or
2e-4 (float32) relative to the case's scale.

The number of cases comes from the hypothesis profile (``tests/conftest.py``): derandomized
and small by default, so that the run is the same everywhere and fast;
``NEURALAB_HYPOTHESIS=explore`` searches at random with many more cases.
"""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest
from hypothesis import find, given
from hypothesis import strategies as st

import neuralab as nl

from .torch_table import NOT_OPS, ROWS, torch

torch.set_num_threads(1)

DTYPES = {"float64": (torch.float64, 1e-9), "float32": (torch.float32, 2e-4)}


class _Drawer:
    """Lets a row's ``draw(data)`` run inside ``st.composite`` (``data.draw`` = ``draw``)."""

    def __init__(self, draw):
        self.draw = draw


def cases(row):
    return st.composite(lambda draw: row.draw(_Drawer(draw)))()


def _inputs(case, dtype, leaves=()):
    ours = [nl.nn.Parameter(nl.tensor(a, dtype=dtype)) if i in leaves
            else nl.tensor(a, dtype=dtype, requires_grad=True) for i, a in enumerate(case.arrays)]
    theirs = [torch.tensor(a, dtype=DTYPES[dtype][0], requires_grad=True) for a in case.arrays]
    return ours, theirs


def _scale(*arrays) -> float:
    arrays = [np.asarray(a) for a in arrays]
    finite = [np.abs(a[np.isfinite(a)]).max() for a in arrays if np.isfinite(a).any()]
    return max([1.0, *finite])


def assert_same(ours, theirs, rtol, scale, what):
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape}, PyTorch {theirs.shape}"
    if theirs.dtype == bool:
        np.testing.assert_array_equal(ours, theirs, err_msg=what)
        return
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=rtol * scale, equal_nan=True,
                               err_msg=what)


def run_row(row, case, dtype):
    ours_in, theirs_in = _inputs(case, dtype, row.leaves)
    rtol = DTYPES[dtype][1] if dtype == "float32" or row.rtol64 is None else row.rtol64
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = row.ours(*ours_in, **case.params)
    ref = row.theirs(*theirs_in, **case.params)
    ref_values = ref.detach().numpy()
    scale = _scale(*case.arrays, ref_values[~np.isnan(ref_values)] if ref_values.size else 0.0)
    assert_same(out.data, ref_values, rtol, scale, f"{row.name} forward")
    if not row.grad or not ref.requires_grad:
        return
    upstream = np.random.default_rng(0).normal(size=ref_values.shape)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out.backward(upstream)
    ref.backward(torch.tensor(upstream, dtype=ref.dtype))
    for i, (mine, theirs) in enumerate(zip(ours_in, theirs_in, strict=True)):
        expected = np.zeros(theirs.shape) if theirs.grad is None else theirs.grad.numpy()
        got = np.zeros(mine.shape) if mine.grad is None else mine.grad
        assert_same(got, expected, rtol, scale * _scale(upstream), f"{row.name} d/dinput{i}")


@pytest.mark.parametrize("dtype", sorted(DTYPES))
@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
@given(data=st.data())
def test_op_matches_pytorch(row, dtype, data):
    run_row(row, data.draw(cases(row)), dtype)


# ---------------------------------------------------------------------- the table is complete
def _row_names() -> set[str]:
    return {row.name.split(" (")[0] for row in ROWS}


def public_ops() -> set[str]:
    """The public names of the Tensor, functional, nl.* joining and loss-module API."""
    names = set()
    for name, member in vars(nl.Tensor).items():
        if (name.startswith("_") and not name.endswith("__")) or name in ("__module__",):
            continue
        if callable(member) or isinstance(member, property):
            names.add(f"Tensor.{name}")
    for name, member in vars(nl.functional).items():
        if (not name.startswith("_") and inspect.isfunction(member)
                and member.__module__ == nl.functional.__name__):
            names.add(f"functional.{name}")
    for name in nl.autograd.__all__:
        member = getattr(nl.autograd, name)
        if inspect.isfunction(member):
            names.add(f"nl.{name}")
    for name in nl.nn.__all__:
        member = getattr(nl.nn, name)
        if inspect.isclass(member) and issubclass(member, nl.nn.Loss) and member is not nl.nn.Loss:
            names.add(f"nn.{name}")
    return names


#: metadata and creation functions: no inputs to differentiate
_NOT_OPS_HERE = {
    **{f"Tensor.{name}": "metadata" for name in
       ("shape", "dtype", "ndim", "size", "op", "parents", "is_leaf")},
    **{f"nl.{name}": "creation from numbers or a generator (test_tensor.py checks them)"
       for name in ("arange", "full", "ones", "ones_like", "rand", "randn", "tensor", "uniform",
                    "zeros", "zeros_like")},
    "nl.apply": "runs an op (every row goes through it)",
    "nl.gradcheck": "the finite-difference checker",
    "nl.unbroadcast": "a helper of the ops' backward (the broadcasting rows cover it)",
}


def test_every_public_op_has_a_row():
    missing = public_ops() - _row_names() - set(NOT_OPS) - set(_NOT_OPS_HERE)
    assert not missing, f"public ops without a row in torch_table.py: {sorted(missing)}"
    stale = (_row_names() | set(NOT_OPS)) - public_ops() - {"nn.BatchNorm1d"}
    assert not stale, f"rows or exemptions for names that are not public ops: {sorted(stale)}"


def _primitives() -> set[str]:
    from neuralab.autograd import ops
    from neuralab.autograd.function import Op

    found = set()
    for module_name in ("activation", "elementwise", "linalg", "loss", "normalization",
                        "reduce", "shape"):
        module = __import__(f"{ops.__name__}.{module_name}", fromlist=["_"])
        found |= {value.name for value in vars(module).values()
                  if inspect.isclass(value) and issubclass(value, Op) and "name" in vars(value)
                  and value.__module__ == module.__name__}
    return found


def test_every_primitive_op_is_reached_by_a_row():
    reached = set()
    for row in ROWS:
        case = find(cases(row), lambda _: True)
        ours, _ = _inputs(case, "float64", row.leaves)
        stack = [row.ours(*ours, **case.params)]
        while stack:
            node = stack.pop()
            if node.op is not None:
                reached.add(node.op)
                stack.extend(node.parents)
    missing = _primitives() - reached
    assert not missing, f"primitive ops no row of torch_table.py reaches: {sorted(missing)}"
