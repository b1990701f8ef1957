"""Module and Parameter: registration, traversal, modes, state dicts, repr."""

from __future__ import annotations

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn


class TwoLayer(nn.Module):
    """A custom module with an attribute Sequential, a head, an optional parameter and a buffer."""

    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(3, 4, seed=0), nn.ReLU())
        self.head = nn.Linear(4, 2, seed=1)
        self.scale = None
        self.register_buffer("calls", np.zeros(1))

    def forward(self, x):
        self.calls += 1
        return self.head(self.layers(x))


def test_parameter_is_a_float_tensor_that_requires_grad():
    p = nn.Parameter([[1, 2], [3, 4]])
    assert isinstance(p, nl.Tensor) and p.requires_grad
    assert p.dtype == np.float32
    assert "Parameter containing" in repr(p)


def test_parameter_keeps_a_float_array_without_copy():
    array = np.ones((2, 3), np.float64)
    p = nn.Parameter(array, name="w")
    assert p.data is array and p.name == "w"


def test_parameter_has_no_instance_dict():
    assert not hasattr(nn.Parameter([1.0]), "__dict__")


def test_named_parameters_use_dotted_names_in_registration_order():
    model = TwoLayer()
    names = [name for name, _ in model.named_parameters()]
    assert names == ["layers.0.weight", "layers.0.bias", "head.weight", "head.bias"]
    assert [p.shape for p in model.parameters()] == [(3, 4), (4,), (4, 2), (2,)]


def test_sequential_parameters_are_named_by_position():
    seq = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    assert [name for name, _ in seq.named_parameters()] == [
        "0.weight", "0.bias", "2.weight", "2.bias"]


def test_shared_parameters_are_listed_once():
    first = nn.Linear(3, 3)
    second = nn.Linear(3, 3)
    second.weight = first.weight
    seq = nn.Sequential(first, second)
    assert len(list(seq.parameters())) == 3
    assert seq.num_parameters() == 9 + 3 + 3


def test_optional_parameter_is_none_and_not_listed():
    layer = nn.Linear(3, 2, bias=False)
    assert layer.bias is None
    assert [name for name, _ in layer.named_parameters()] == ["weight"]
    assert "bias" not in layer.state_dict()


def test_assigning_a_plain_tensor_to_a_parameter_slot_is_refused():
    layer = nn.Linear(2, 2)
    with pytest.raises(TypeError, match=r"registered as a parameter.*nn.Parameter"):
        layer.weight = nl.zeros(2, 2)
    layer.bias = None  # an optional parameter may be removed
    assert layer.bias is None


def test_reassigning_a_name_with_another_kind_moves_it():
    model = TwoLayer()
    model.head = nn.Parameter(np.zeros(2))
    assert "head" in dict(model.named_parameters())
    assert [name for name, _ in model.named_children()] == ["layers"]
    del model.head
    assert "head" not in dict(model.named_parameters())


def test_forgetting_super_init_gives_a_clear_error():
    class Broken(nn.Module):
        def __init__(self):
            self.w = nn.Parameter([1.0])

    with pytest.raises(RuntimeError, match=r"must call super\(\).__init__\(\)"):
        Broken()


def test_buffers_are_registered_and_validated():
    model = TwoLayer()
    assert dict(model.named_buffers()).keys() == {"calls"}
    with pytest.raises(TypeError, match="needs a numpy array"):
        model.register_buffer("stats", [1, 2])
    with pytest.raises(ValueError, match="already has an attribute 'head'"):
        model.register_buffer("head", np.zeros(1))
    with pytest.raises(ValueError, match="without dots"):
        model.register_buffer("a.b", np.zeros(1))
    with pytest.raises(TypeError, match="registered as a buffer"):
        model.calls = 3.0


def test_children_and_modules():
    model = TwoLayer()
    assert [type(m).__name__ for m in model.children()] == ["Sequential", "Linear"]
    assert [type(m).__name__ for m in model.modules()] == [
        "TwoLayer", "Sequential", "Linear", "ReLU", "Linear"]
    assert [name for name, _ in model.named_modules()] == [
        "", "layers", "layers.0", "layers.1", "head"]


def test_train_and_eval_switch_the_whole_tree_and_return_self():
    model = TwoLayer()
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    assert model.train() is model
    assert all(m.training for m in model.modules())
    with pytest.raises(TypeError, match="takes a bool"):
        model.train("no")


def test_zero_grad_sets_grads_to_none():
    model = TwoLayer()
    model(np.ones((2, 3))).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_call_converts_arrays_and_lists_to_float32_tensors():
    model = TwoLayer()
    out = model([[1.0, 2.0, 3.0]])
    assert isinstance(out, nl.Tensor) and out.dtype == np.float32 and out.shape == (1, 2)
    out64 = model(np.ones((1, 3), np.float64))
    assert out64.dtype == np.float32
    np.testing.assert_allclose(model(nl.tensor([[1.0, 2.0, 3.0]])).data, out.data)


def test_forward_is_required():
    with pytest.raises(NotImplementedError, match="must define forward"):
        nn.Module()(nl.ones(1))


def test_state_dict_holds_copies_of_parameters_and_buffers():
    model = TwoLayer()
    state = model.state_dict()
    # module by module, own entries first (as PyTorch orders them)
    assert list(state) == ["calls", "layers.0.weight", "layers.0.bias", "head.weight",
                           "head.bias"]
    state["head.bias"][:] = 5.0
    assert np.all(model.head.bias.data == 0.0)


def test_load_state_dict_round_trip_copies_in_place():
    source, target = TwoLayer(), TwoLayer()
    source.head.bias.data[:] = [1.5, -2.0]
    source(np.ones((1, 3)))  # changes the buffer
    weight_array = target.head.weight.data
    result = target.load_state_dict(source.state_dict())
    assert result == ([], [])
    assert target.head.weight.data is weight_array
    for name, value in source.state_dict().items():
        np.testing.assert_array_equal(target.state_dict()[name], value)


def test_load_state_dict_names_missing_and_unexpected_keys():
    model = TwoLayer()
    state = model.state_dict()
    del state["head.bias"]
    state["extra"] = np.zeros(1)
    with pytest.raises(ValueError,
                       match=r"missing keys \['head.bias'\], unexpected keys \['extra'\]"):
        model.load_state_dict(state)
    result = model.load_state_dict(state, strict=False)
    assert result.missing_keys == ["head.bias"] and result.unexpected_keys == ["extra"]


def test_load_state_dict_names_the_key_and_both_shapes_and_changes_nothing():
    model = TwoLayer()
    before = model.state_dict()
    state = {name: value + 1 for name, value in before.items()}
    state["head.weight"] = np.zeros((5, 2))
    with pytest.raises(ValueError, match=r"'head.weight': the state has shape \(5, 2\), the model "
                                         r"\(4, 2\)"):
        model.load_state_dict(state, strict=False)
    np.testing.assert_array_equal(model.layers[0].weight.data, before["layers.0.weight"])


def test_load_state_dict_refuses_non_dicts():
    with pytest.raises(TypeError, match="needs a dict"):
        TwoLayer().load_state_dict([1, 2])


def test_num_parameters_of_an_mlp():
    assert nn.MLP([64, 64, 10]).num_parameters() == 64 * 64 + 64 + 64 * 10 + 10


def test_repr_is_a_tree_with_shapes_and_the_total_count_on_top():
    text = repr(nn.MLP([4, 8, 3], seed=0))
    lines = text.splitlines()
    assert lines[0] == "MLP(  # 67 parameters"
    assert lines[1] == "  (0): Linear(in_features=4, out_features=8, bias=True)"
    assert lines[2] == "  (1): ReLU()"
    assert lines[3] == "  (2): Linear(in_features=8, out_features=3, bias=True)"
    assert lines[4] == ")"


def test_repr_nests_sub_modules():
    lines = repr(TwoLayer()).splitlines()
    assert lines[0] == "TwoLayer(  # 26 parameters"
    assert lines[1] == "  (layers): Sequential("
    assert lines[2] == "    (0): Linear(in_features=3, out_features=4, bias=True)"
    assert lines[-2] == "  (head): Linear(in_features=4, out_features=2, bias=True)"


def test_nn_and_optim_are_lazy_attributes_of_neuralab():
    import neuralab.optim

    assert nl.nn is nn and nl.optim is neuralab.optim
    assert {"nn", "optim"} <= set(nl.__all__) and {"nn", "optim"} <= set(dir(nl))


def _mixed_tree():
    net = nn.Sequential(nn.Linear(2, 3, seed=0), nn.Dropout(0.5), nn.ReLU(),
                        nn.Linear(3, 1, seed=1))
    net.train()
    net[1].eval()  # one sub-module set apart on purpose
    return net


def _flags(net):
    return [module.training for module in net.modules()]


def test_evaluating_switches_the_tree_and_restores_each_modules_own_flag():
    net = _mixed_tree()
    before = _flags(net)
    assert before == [True, True, False, True, True]
    with net.evaluating() as inside:
        assert inside is net
        assert _flags(net) == [False] * 5
    assert _flags(net) == before


def test_evaluating_restores_the_flags_when_the_block_raises():
    net = _mixed_tree()
    before = _flags(net)
    with pytest.raises(RuntimeError, match="inside"), net.evaluating():
        raise RuntimeError("raised inside the block")
    assert _flags(net) == before


def test_mode_true_trains_inside_and_restores_an_evaluating_tree():
    net = _mixed_tree().eval()
    net[0].train()
    before = _flags(net)
    with net.mode(True):
        assert _flags(net) == [True] * 5
    assert _flags(net) == before
    with pytest.raises(TypeError, match="takes a bool"), net.mode("yes"):
        pass
    assert _flags(net) == before


def test_evaluating_nests():
    net = _mixed_tree()
    before = _flags(net)
    with net.evaluating():
        with net.mode(True):
            assert _flags(net) == [True] * 5
        assert _flags(net) == [False] * 5
    assert _flags(net) == before
