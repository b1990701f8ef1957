"""SGD, Adam and RMSprop: each update rule by hand in numpy, PyTorch's numbers, state dicts."""

from __future__ import annotations

import json

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn, optim

SHAPES = [(3, 4), (4,)]


def _problem(seed=0, steps=3, dtype=np.float64):
    """Initial parameter values and a gradient for each parameter at each step."""
    rng = np.random.default_rng(seed)
    initial = [rng.standard_normal(shape).astype(dtype) for shape in SHAPES]
    grads = [[rng.standard_normal(shape).astype(dtype) for shape in SHAPES] for _ in range(steps)]
    return initial, grads


def _run(make, initial, grads):
    """Step an optimizer of ours through the gradients; return the final parameter values."""
    params = [nn.Parameter(w.copy()) for w in initial]
    opt = make(params)
    for step_grads in grads:
        for param, grad in zip(params, step_grads, strict=True):
            param.grad = None if grad is None else grad.copy()
        opt.step()
    return [param.data for param in params]


# ---------------------------------------------------------------------- the rules by hand

def sgd_by_hand(w, grads, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
    v = None
    for grad in grads:
        g = grad + weight_decay * w
        if momentum:
            v = g if v is None else momentum * v + g
            g = g + momentum * v if nesterov else v
        w = w - lr * g
    return w


def adam_by_hand(w, grads, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 eps_hat=False):
    m = v = np.zeros_like(w)
    for t, grad in enumerate(grads, start=1):
        g = grad + weight_decay * w
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g**2
        if eps_hat:  # scikit-learn's MLP: the corrections folded into the step size
            lr_t = lr * np.sqrt(1 - betas[1] ** t) / (1 - betas[0] ** t)
            w = w - lr_t * m / (np.sqrt(v) + eps)
        else:
            m_hat, v_hat = m / (1 - betas[0] ** t), v / (1 - betas[1] ** t)
            w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
    return w


def rmsprop_by_hand(w, grads, lr, alpha=0.99, eps=1e-8, momentum=0.0, weight_decay=0.0):
    s = b = np.zeros_like(w)
    for grad in grads:
        g = grad + weight_decay * w
        s = alpha * s + (1 - alpha) * g**2
        d = g / (np.sqrt(s) + eps)
        if momentum:
            b = momentum * b + d
            d = b
        w = w - lr * d
    return w


CASES = [
    ("SGD", {"lr": 0.1}, sgd_by_hand),
    ("SGD", {"lr": 0.1, "momentum": 0.9}, sgd_by_hand),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}, sgd_by_hand),
    ("SGD", {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.1}, sgd_by_hand),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.2}, sgd_by_hand),
    ("Adam", {"lr": 0.01}, adam_by_hand),
    ("Adam", {"lr": 0.1, "betas": (0.8, 0.9), "eps": 1e-6, "weight_decay": 0.1}, adam_by_hand),
    ("Adam", {"lr": 0.1, "eps": 0.5, "eps_hat": True}, adam_by_hand),
    ("RMSprop", {"lr": 0.01}, rmsprop_by_hand),
    ("RMSprop", {"lr": 0.01, "alpha": 0.9, "momentum": 0.5, "weight_decay": 0.1},
     rmsprop_by_hand),
]
IDS = [f"{name}-{'-'.join(options)}" for name, options, _ in CASES]


@pytest.mark.parametrize(("name", "options", "by_hand"), CASES, ids=IDS)
def test_three_steps_equal_the_formula_by_hand(name, options, by_hand):
    initial, grads = _problem()
    ours = _run(lambda params: getattr(optim, name)(params, **options), initial, grads)
    for index, w in enumerate(initial):
        expected = by_hand(w, [step[index] for step in grads], **options)
        np.testing.assert_allclose(ours[index], expected, rtol=1e-12, atol=1e-14)


#: the cases PyTorch has an optimizer for (it has no ε̂ form of Adam)
TORCH_CASES = [case for case in CASES if "eps_hat" not in case[1]]


@pytest.mark.parametrize(("name", "options", "by_hand"), TORCH_CASES,
                         ids=[IDS[CASES.index(case)] for case in TORCH_CASES])
def test_three_steps_equal_torch_optim(name, options, by_hand):
    torch = pytest.importorskip("torch")
    initial, grads = _problem(seed=1)
    grads[1][1] = None  # a parameter without gradient is skipped (and Adam's t stays put)
    ours = _run(lambda params: getattr(optim, name)(params, **options), initial, grads)
    theirs = [torch.nn.Parameter(torch.tensor(w)) for w in initial]
    opt = getattr(torch.optim, name)(theirs, **options)
    for step_grads in grads:
        for param, grad in zip(theirs, step_grads, strict=True):
            param.grad = None if grad is None else torch.tensor(grad)
        opt.step()
    for mine, reference in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(mine, reference.detach().numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(("name", "options"), [
    ("SGD", {"lr": 0.1, "momentum": 0.9}), ("Adam", {"lr": 0.05}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.5})])
def test_weight_decay_per_parameter_equals_torch_parameter_groups(name, options):
    """weight_decay=(0.3, 0.0): the matrix decays, the bias does not (as in PyTorch's groups)."""
    torch = pytest.importorskip("torch")
    initial, grads = _problem(seed=2)
    ours = _run(lambda params: getattr(optim, name)(params, weight_decay=[0.3, 0.0], **options),
                initial, grads)
    theirs = [torch.nn.Parameter(torch.tensor(w)) for w in initial]
    opt = getattr(torch.optim, name)([{"params": [theirs[0]], "weight_decay": 0.3},
                                      {"params": [theirs[1]], "weight_decay": 0.0}], **options)
    for step_grads in grads:
        for param, grad in zip(theirs, step_grads, strict=True):
            param.grad = torch.tensor(grad)
        opt.step()
    for mine, reference in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(mine, reference.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_weight_decay_per_parameter_needs_one_rate_each_and_survives_a_state_dict():
    params = [nn.Parameter(np.ones(2)), nn.Parameter(np.ones(3))]
    with pytest.raises(ValueError, match="has 3 rates for 2 parameters"):
        optim.SGD(params, lr=0.1, weight_decay=[0.1, 0.0, 0.2])
    with pytest.raises(ValueError, match="'weight_decay' parameter of Adam must be a float >= 0"):
        optim.Adam(params, lr=0.1, weight_decay=[0.1, -1.0])
    opt = optim.SGD(params, lr=0.1, weight_decay=[0.1, 0.0])
    state = json.loads(json.dumps({k: v for k, v in opt.state_dict().items() if k != "state"}))
    other = optim.SGD(params, lr=0.1)
    other.load_state_dict({**state, "state": opt.state_dict()["state"]})
    assert other.weight_decay == (0.1, 0.0)


@pytest.mark.parametrize(("name", "options", "by_hand"), CASES, ids=IDS)
def test_step_updates_in_place_and_leaves_grads_alone(name, options, by_hand):
    initial, grads = _problem(dtype=np.float32)
    params = [nn.Parameter(w.copy()) for w in initial]
    arrays = [param.data for param in params]
    opt = getattr(optim, name)(params, **options)
    for param, grad in zip(params, grads[0], strict=True):
        param.grad = grad.copy()
    opt.step()
    for param, array, grad in zip(params, arrays, grads[0], strict=True):
        assert param.data is array and param.data.dtype == np.float32
        np.testing.assert_array_equal(param.grad, grad)
    assert not np.array_equal(params[0].data, initial[0])


def test_parameters_without_grad_are_skipped():
    initial, grads = _problem()
    for step in grads:
        step[1] = None
    ours = _run(lambda params: optim.SGD(params, lr=0.1, momentum=0.9), initial, grads)
    np.testing.assert_array_equal(ours[1], initial[1])


def test_zero_grad_sets_grads_to_none():
    params = [nn.Parameter(np.ones(2))]
    params[0].grad = np.ones(2)
    optim.Adam(params).zero_grad()
    assert params[0].grad is None


# ---------------------------------------------------------------------- state dicts

@pytest.mark.parametrize(("name", "options", "by_hand"), CASES, ids=IDS)
def test_state_dict_round_trip_continues_identically(name, options, by_hand):
    initial, grads = _problem(steps=4)
    straight = _run(lambda params: getattr(optim, name)(params, **options), initial, grads)

    params = [nn.Parameter(w.copy()) for w in initial]
    first = getattr(optim, name)(params, **options)
    for step_grads in grads[:2]:
        for param, grad in zip(params, step_grads, strict=True):
            param.grad = grad.copy()
        first.step()
    saved = first.state_dict()
    json.dumps({key: value for key, value in saved.items() if key != "state"})
    resumed = getattr(optim, name)(params, lr=123.0)  # other settings: the state brings them
    resumed.load_state_dict(saved)
    assert resumed.hyperparameters() == first.hyperparameters()
    assert resumed.step_count == 2
    for step_grads in grads[2:]:
        for param, grad in zip(params, step_grads, strict=True):
            param.grad = grad.copy()
        resumed.step()
    for param, expected in zip(params, straight, strict=True):
        np.testing.assert_array_equal(param.data, expected)


def test_state_dict_layout():
    params = [nn.Parameter(np.ones((2, 2))), nn.Parameter(np.ones(2))]
    opt = optim.Adam(params, lr=0.01)
    state = opt.state_dict()
    assert state["type"] == "Adam" and state["step_count"] == 0
    assert state["hyperparameters"] == {"lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-8,
                                        "weight_decay": 0.0, "eps_hat": False}
    assert set(state["state"]) == {"0", "1"}
    assert set(state["state"]["0"]) == {"exp_avg", "exp_avg_sq"}
    state["state"]["0"]["exp_avg"][:] = 1.0  # a copy
    assert np.all(opt.state["exp_avg"][0] == 0)


def test_load_state_dict_errors():
    params = [nn.Parameter(np.ones((2, 2))), nn.Parameter(np.ones(2))]
    saved = optim.SGD(params, lr=0.1, momentum=0.9).state_dict()
    with pytest.raises(ValueError, match="Cannot load the state of a SGD into a Adam"):
        optim.Adam(params).load_state_dict(saved)
    with pytest.raises(ValueError, match="is for 2 parameters; this optimizer has 1"):
        optim.SGD(params[:1], lr=0.1).load_state_dict(saved)
    with pytest.raises(ValueError, match=r"'momentum_buffer' for parameter 0 has shape \(2, 2\); "
                                         r"the parameter has shape \(3,\)"):
        optim.SGD([nn.Parameter(np.ones(3)), params[1]], lr=0.1).load_state_dict(saved)
    broken = {**saved, "state": {"0": {}, "1": {}}}
    with pytest.raises(ValueError, match=r"parameter 0 holds \[\]; its settings need "
                                         r"\['momentum_buffer'\]"):
        optim.SGD(params, lr=0.1).load_state_dict(broken)
    with pytest.raises(ValueError, match="lacks the keys"):
        optim.SGD(params, lr=0.1).load_state_dict({"type": "SGD"})


# ---------------------------------------------------------------------- arguments

@pytest.mark.parametrize(("make", "error", "match"), [
    (lambda p: optim.SGD(p, lr=-1), ValueError,
     r"^The 'lr' parameter of SGD must be a float > 0. Got -1 instead.$"),
    (lambda p: optim.SGD(p, lr="fast"), TypeError, "'lr' parameter of SGD must be a float"),
    (lambda p: optim.SGD(p, lr=0.1, momentum=1.0), ValueError, r"'momentum' .* in \[0, 1\)"),
    (lambda p: optim.SGD(p, lr=0.1, nesterov=True), ValueError, "needs momentum > 0"),
    (lambda p: optim.SGD(p, lr=0.1, weight_decay=-0.1), ValueError, "'weight_decay'.*>= 0"),
    (lambda p: optim.Adam(p, betas=(0.9, 1.0)), ValueError, r"'betas\[1\]' parameter of Adam"),
    (lambda p: optim.Adam(p, betas=0.9), TypeError, "pair of floats"),
    (lambda p: optim.Adam(p, eps=-1e-8), ValueError, "'eps' parameter of Adam"),
    (lambda p: optim.RMSprop(p, alpha=1.5), ValueError, "'alpha' parameter of RMSprop"),
])
def test_hyperparameter_errors(make, error, match):
    with pytest.raises(error, match=match):
        make([nn.Parameter(np.ones(2))])


def test_parameter_list_errors():
    with pytest.raises(ValueError, match="empty list of parameters"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match=r"parameter 1 is a ndarray"):
        optim.SGD([nn.Parameter(np.ones(2)), np.ones(2)], lr=0.1)
    with pytest.raises(ValueError, match=r"parameter 0 .* does not require grad"):
        optim.SGD([nl.ones(2)], lr=0.1)
    with pytest.raises(ValueError, match="is computed from other tensors"):
        optim.SGD([nn.Parameter(np.ones(2)) * 2], lr=0.1)
    with pytest.raises(TypeError, match=r"pass model.parameters\(\)"):
        optim.SGD(nn.Linear(2, 1), lr=0.1)
    with pytest.raises(TypeError, match=r"not a single Tensor: pass \[tensor\]"):
        optim.SGD(nn.Parameter(np.ones(2)), lr=0.1)
    shared = nn.Parameter(np.ones(2))
    with pytest.raises(ValueError, match="same parameter more than once"):
        optim.SGD([shared, shared], lr=0.1)


def test_plain_tensors_that_require_grad_are_accepted():
    w = nl.tensor([1.0, 2.0], requires_grad=True)
    w.grad = np.array([1.0, 1.0], np.float32)
    optim.SGD([w], lr=0.5).step()
    np.testing.assert_allclose(w.data, [0.5, 1.5])


def test_repr_shows_the_settings():
    opt = optim.Adam([nn.Parameter(np.ones(2))], lr=0.01)
    assert repr(opt) == ("Adam(lr=0.01, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.0, "
                         "eps_hat=False)")


# ---------------------------------------------------------------------- build_optimizer

@pytest.mark.parametrize(("name", "cls", "lr", "extra"), [
    ("sgd", optim.SGD, 0.01, {"momentum": 0.0}),
    ("momentum", optim.SGD, 0.01, {"momentum": 0.9}),
    ("adam", optim.Adam, 1e-3, {}),
    ("rmsprop", optim.RMSprop, 1e-2, {}),
    ("Adam", optim.Adam, 1e-3, {}),
])
def test_build_optimizer_defaults(name, cls, lr, extra):
    opt = optim.build_optimizer(name, [nn.Parameter(np.ones(2))])
    assert type(opt) is cls and opt.lr == lr
    for key, value in extra.items():
        assert getattr(opt, key) == value


def test_build_optimizer_options_override_defaults():
    opt = optim.build_optimizer("momentum", [nn.Parameter(np.ones(2))], lr=0.5, momentum=0.95,
                                nesterov=True)
    assert (opt.lr, opt.momentum, opt.nesterov) == (0.5, 0.95, True)


def test_build_optimizer_unknown_name():
    with pytest.raises(ValueError, match=r"Unknown optimizer 'adagrad'. Choose one of: adam, "
                                         "momentum, rmsprop, sgd."):
        optim.build_optimizer("adagrad", [nn.Parameter(np.ones(2))])
