"""Tensor creation, dtype rules, attributes, backward semantics, no_grad, errors, introspection."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import neuralab as nl


def test_the_readme_example_gives_the_course_gradient():
    F = nl.functional
    x = nl.tensor([[1.0, 0.0]])
    w = nl.tensor([[0.3], [0.6]], requires_grad=True)
    b = nl.tensor([0.1], requires_grad=True)
    y_hat = (x @ w + b).sigmoid()
    loss = F.binary_cross_entropy(y_hat, nl.tensor([[1.0]]))
    loss.backward()
    expected = -(1.0 - y_hat.data) * x.data.T
    np.testing.assert_allclose(w.grad, expected, rtol=1e-6)
    np.testing.assert_allclose(b.grad, -(1.0 - y_hat.data[0]), rtol=1e-6)
    assert isinstance(w.grad, np.ndarray)


def test_default_dtypes():
    assert nl.tensor([1.0, 2.0]).dtype == np.float32
    assert nl.tensor(np.zeros(3)).dtype == np.float32  # float64 arrays too: float32 end to end
    assert nl.tensor([1, 2]).dtype == np.int64  # labels stay integers
    assert nl.tensor([True, False]).dtype == np.bool_
    assert nl.tensor([1.0], dtype="float64").dtype == np.float64
    assert nl.tensor([1.0], dtype=np.float64).dtype == np.float64
    with nl.config(dtype="float64"):
        assert nl.tensor([1.0]).dtype == np.float64
        assert nl.randn(2).dtype == np.float64
    assert nl.tensor([1.0]).dtype == np.float32


def test_unknown_dtype_lists_the_allowed_ones():
    with pytest.raises(TypeError, match=r"Unknown dtype 'float16'.*\"float32\", \"float64\""):
        nl.tensor([1.0], dtype="float16")
    with pytest.raises(TypeError, match="Unknown dtype"):
        nl.tensor([1.0], dtype="banana")


def test_integer_tensors_cannot_require_grad():
    with pytest.raises(TypeError, match="Only floating-point tensors"):
        nl.tensor([1, 2], requires_grad=True)


def test_tensor_copies_its_input():
    a = np.ones(3, dtype=np.float32)
    t = nl.tensor(a)
    a[0] = 5
    assert t.data[0] == 1


def test_attributes_and_conversions():
    t = nl.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    assert t.shape == (2, 3) and t.ndim == 2 and t.size == 6 and len(t) == 2
    assert t.T.shape == (3, 2)
    assert t.sum().item() == 21.0
    assert isinstance(t.numpy(), np.ndarray)
    d = t.detach()
    assert not d.requires_grad and d.data is t.data and d.is_leaf
    assert np.asarray(t).shape == (2, 3)
    with pytest.raises(ValueError, match="one element"):
        t.item()


def test_creation_helpers():
    assert nl.zeros(2, 3).shape == (2, 3) and nl.zeros((2, 3)).data.sum() == 0
    assert nl.ones(4).data.sum() == 4
    assert nl.full((2, 2), 7.0).data.tolist() == [[7, 7], [7, 7]]
    assert nl.arange(5).data.tolist() == [0, 1, 2, 3, 4] and nl.arange(5).dtype == np.int64
    assert nl.arange(0.0, 1.0, 0.5).dtype == np.float32
    base = nl.tensor([[1.0, 2.0]])
    assert nl.zeros_like(base).shape == (1, 2) and nl.ones_like(base).data.sum() == 2
    assert nl.randn(3, 4, requires_grad=True).requires_grad
    assert nl.uniform(-1, 1, (100,), seed=0).data.min() >= -1


def test_random_helpers_are_reproducible_by_seed_or_generator():
    np.testing.assert_array_equal(nl.randn(5, seed=3).data, nl.randn(5, seed=3).data)
    assert not np.array_equal(nl.randn(5, seed=3).data, nl.randn(5, seed=4).data)
    a = nl.rand(4, rng=np.random.default_rng(9)).data
    b = nl.rand(4, rng=np.random.default_rng(9)).data
    np.testing.assert_array_equal(a, b)
    nl.manual_seed(11)
    first = nl.randn(3).data
    nl.manual_seed(11)
    np.testing.assert_array_equal(first, nl.randn(3).data)
    with pytest.raises(TypeError, match="either seed= or rng="):
        nl.randn(2, seed=1, rng=np.random.default_rng(1))


def test_gradients_accumulate_across_backward_calls():
    x = nl.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad, [6, 6])


def test_shared_pass_through_gradient_is_not_aliased_between_leaves():
    a = nl.tensor([1.0, 2.0], requires_grad=True)
    b = nl.tensor([3.0, 4.0], requires_grad=True)
    (a + b).sum().backward()
    assert a.grad is not b.grad
    a.grad *= 10  # an in-place update (clipping, say) must not leak into b
    np.testing.assert_array_equal(b.grad, [1, 1])


def test_backward_with_explicit_gradient_and_its_errors():
    x = nl.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match=r"shape \(2,\) needs grad="):
        y.backward()
    y.backward(np.array([1.0, 10.0]))
    np.testing.assert_array_equal(x.grad, [2, 20])
    with pytest.raises(nl.ShapeError, match=r"\(3,\).*\(2,\)"):
        (x * 2).backward(np.ones(3))


def test_backward_on_a_constant_explains_itself():
    with pytest.raises(RuntimeError, match="does not require grad"):
        nl.tensor(1.0).backward()


def test_graph_released_after_backward_unless_retained():
    x = nl.tensor(2.0, requires_grad=True)
    y = x * x
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad == pytest.approx(8.0)
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()


def test_no_grad_records_nothing_and_restores():
    w = nl.tensor([1.0], requires_grad=True)
    with nl.no_grad():
        y = w * 2
        assert not nl.is_grad_enabled()
        with nl.enable_grad():
            assert (w * 2).requires_grad
    assert not y.requires_grad and y.is_leaf
    assert nl.is_grad_enabled()

    @nl.no_grad()
    def evaluate():
        return w * 3

    assert not evaluate().requires_grad


def test_a_chain_of_ten_thousand_ops_does_not_hit_the_recursion_limit():
    x = nl.tensor(1.0, dtype="float64", requires_grad=True)
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    assert sys.getrecursionlimit() / 2 < 10_000
    y.backward()
    assert x.grad == pytest.approx(1.0001**10_000)


def test_graph_introspection_for_teaching():
    x = nl.tensor([[1.0, 0.0]], name="x")
    w = nl.tensor([[0.3], [0.6]], requires_grad=True, name="w")
    z = x @ w
    a = z.sigmoid()
    assert a.op == "sigmoid" and a.parents == (z,)
    assert z.op == "matmul" and z.parents == (x, w)
    assert w.op is None and w.parents == () and w.name == "w"
    assert "op='sigmoid'" in repr(a)


def test_retain_grad_keeps_intermediate_gradients():
    x = nl.tensor([2.0], dtype="float64", requires_grad=True)
    h = (x * 3).retain_grad()
    (h * h).sum().backward()
    np.testing.assert_allclose(h.grad, [12.0])
    np.testing.assert_allclose(x.grad, [36.0])


def test_comparisons_give_tensors_without_gradient():
    x = nl.tensor([1.0, 2.0, 3.0], requires_grad=True)
    mask = x > 1.5
    assert mask.dtype == np.bool_ and not mask.requires_grad
    assert (x == 2.0).data.tolist() == [False, True, False]
    assert ((x <= 2.0).data == [True, True, False]).all()
    assert {x: 1}[x] == 1  # tensors stay hashable


def test_numpy_arrays_on_the_left_defer_to_tensor():
    x = nl.tensor([1.0, 2.0], requires_grad=True)
    y = np.array([10.0, 20.0]) - x
    assert isinstance(y, nl.Tensor) and y.dtype == np.float32
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [-1, -1])


def test_scalars_do_not_upcast_float32():
    x = nl.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 0.5 + np.float64(1.0)) / 3
    assert y.dtype == np.float32
    y.sum().backward()
    assert x.grad.dtype == np.float32


def test_shape_mismatch_names_both_shapes():
    a = nl.tensor(np.ones((2, 3)))
    with pytest.raises(nl.ShapeError, match=r"\(2, 3\) and \(4,\)"):
        a + nl.tensor(np.ones(4))
    with pytest.raises(nl.ShapeError, match=r"matmul.*\(2, 3\) and \(2, 3\)"):
        a @ a
    with pytest.raises(nl.ShapeError, match=r"\(2, 3\).*3 features.*\(4, 2\)"):
        nl.functional.linear(a, nl.tensor(np.ones((4, 2))))


def test_pow_takes_a_tensor_exponent_with_both_gradients():
    x = nl.tensor([2.0, 3.0], dtype="float64", requires_grad=True)
    y = nl.tensor([3.0, 0.5], dtype="float64", requires_grad=True)
    (x ** y).sum().backward()
    np.testing.assert_allclose(x.grad, [3 * 2.0**2, 0.5 * 3.0**-0.5])
    np.testing.assert_allclose(y.grad, [8 * np.log(2.0), 3.0**0.5 * np.log(3.0)])


def test_iteration_and_reshape_forms():
    t = nl.arange(6).reshape(2, 3)
    assert t.reshape((3, 2)).shape == (3, 2) and t.reshape(-1).shape == (6,)
    rows = list(t)
    assert len(rows) == 2 and rows[1].data.tolist() == [3, 4, 5]


def test_no_grad_in_one_thread_does_not_switch_off_recording_in_another():
    import threading

    inside, release = threading.Event(), threading.Event()

    def evaluate():
        with nl.no_grad():
            inside.set()
            release.wait(5)

    worker = threading.Thread(target=evaluate)
    worker.start()
    inside.wait(5)
    try:
        assert nl.is_grad_enabled()
        assert (nl.tensor([1.0], requires_grad=True) * 2).requires_grad
    finally:
        release.set()
        worker.join()


def test_no_grad_blocks_are_counted_back_to_zero_even_when_they_raise():
    from neuralab._config import OPEN_NO_GRAD

    @nl.no_grad()
    def failing():
        raise KeyError("x")

    with nl.no_grad():
        with nl.enable_grad():
            assert (nl.tensor([1.0], requires_grad=True) * 2).requires_grad
            with nl.no_grad():
                assert not (nl.tensor([1.0], requires_grad=True) * 2).requires_grad
        assert OPEN_NO_GRAD[0] == 1  # the outer block
        with pytest.raises(KeyError):
            failing()
    assert OPEN_NO_GRAD[0] == 0
    assert (nl.tensor([1.0], requires_grad=True) * 2).requires_grad
