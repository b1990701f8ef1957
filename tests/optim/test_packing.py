"""Packed parameters: one flat array of values and one of gradients, stepped in one go, with
exactly the results of stepping each parameter on its own."""

import numpy as np
import pytest

from neuralab import nn, optim
from neuralab.optim.packing import ParameterPack

RNG = np.random.default_rng(7)


def _params(dtype=np.float64):
    return [nn.Parameter(RNG.standard_normal(shape).astype(dtype))
            for shape in [(3, 4), (4,), (4, 2), (2,)]]


def test_a_pack_holds_the_values_as_views_and_hands_back_the_original_arrays():
    params = _params()
    homes = [p.data for p in params]
    before = [h.copy() for h in homes]
    pack = ParameterPack.pack(params)
    assert pack.intact() and pack.data.shape == pack.grad.shape == (26,)
    for param, view, value in zip(params, pack.value_views, before, strict=True):
        assert param.data is view and view.base is pack.data
        np.testing.assert_array_equal(view, value)
    pack.data *= 2  # what a packed update does
    for param, grad_view in zip(params, pack.grad_views, strict=True):
        grad_view[...] = 1.0
        param.grad = grad_view
    params[1].data = np.zeros(4)  # code that replaces an array leaves the pack
    assert not pack.intact()
    pack.unpack()
    for index, (param, home, value) in enumerate(zip(params, homes, before, strict=True)):
        if index == 1:
            np.testing.assert_array_equal(param.data, np.zeros(4))  # kept, not overwritten
            continue
        assert param.data is home
        np.testing.assert_array_equal(home, 2 * value)
    assert all(p.grad.base is None and np.all(p.grad == 1.0) for p in params)


def test_parameters_of_different_dtypes_are_not_packed():
    params = [nn.Parameter(np.ones(2, np.float32)), nn.Parameter(np.ones(2, np.float64))]
    assert ParameterPack.pack(params) is None
    assert ParameterPack.pack([]) is None


OPTIMIZERS = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.1, "momentum": 0.5, "weight_decay": [0.3, 0.0, 0.1, 0.0]}),
    ("Adam", {"lr": 0.05, "weight_decay": [0.3, 0.0, 0.3, 0.0]}),
    ("Adam", {"lr": 0.05}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.5, "weight_decay": 0.2}),
]


def _train(name, options, packed: bool, steps: int = 4):
    """``steps`` updates from the same values and gradients, packed or one parameter at a time."""
    rng = np.random.default_rng(3)
    params = [nn.Parameter(rng.standard_normal(shape)) for shape in [(3, 4), (4,), (4, 2), (2,)]]
    opt = getattr(optim, name)(params, **options)
    pack = ParameterPack.pack(params) if packed else None
    for _ in range(steps):
        grads = [rng.standard_normal(p.shape) for p in params]
        if packed:
            for param, view, grad in zip(params, pack.grad_views, grads, strict=True):
                view[...] = grad
                param.grad = view
        else:
            for param, grad in zip(params, grads, strict=True):
                param.grad = grad
        opt.step(pack)
    if packed:
        pack.unpack()
    return [p.data for p in params], opt.state_dict()


@pytest.mark.parametrize(("name", "options"), OPTIMIZERS)
def test_a_packed_step_equals_stepping_each_parameter(name, options):
    separate, separate_state = _train(name, options, packed=False)
    packed, packed_state = _train(name, options, packed=True)
    for mine, reference in zip(packed, separate, strict=True):
        np.testing.assert_array_equal(mine, reference)
    assert packed_state["step_count"] == separate_state["step_count"] == 4
    for index, buffers in separate_state["state"].items():
        for buffer_name, reference in buffers.items():
            np.testing.assert_array_equal(packed_state["state"][index][buffer_name], reference)
    if name == "Adam":
        assert packed_state["param_steps"] == separate_state["param_steps"] == [4] * 4


def test_an_optimizer_steps_parameter_by_parameter_when_the_pack_is_not_its_own():
    params = _params()
    opt = optim.SGD(params[:2], lr=0.5)  # the pack below holds two more parameters
    pack = ParameterPack.pack(params)
    for param, view in zip(params, pack.grad_views, strict=True):
        view[...] = 1.0
        param.grad = view
    before = pack.data.copy()
    opt.step(pack)
    np.testing.assert_array_equal(pack.data[:16], before[:16] - 0.5)
    np.testing.assert_array_equal(pack.data[16:], before[16:])  # not its parameters


def test_adam_steps_parameter_by_parameter_while_their_step_counts_differ():
    params = _params()
    opt = optim.Adam(params, lr=0.1)
    params[0].grad = np.ones((3, 4))  # only the first parameter has a gradient
    opt.step()
    assert opt.param_steps == [1, 0, 0, 0]
    pack = ParameterPack.pack(params)
    for param, view in zip(params, pack.grad_views, strict=True):
        view[...] = 1.0
        param.grad = view
    opt.step(pack)
    assert opt.param_steps == [2, 1, 1, 1]  # each its own bias correction


def test_optimizer_buffers_are_views_of_one_array_only_for_one_dtype():
    same = optim.SGD(_params(), lr=0.1, momentum=0.9)
    assert all(b.base is same._flat_state["momentum_buffer"]
               for b in same.state["momentum_buffer"])
    mixed = optim.SGD([nn.Parameter(np.ones(2, np.float32)), nn.Parameter(np.ones(2))], lr=0.1)
    assert mixed._flat_scratch is None
