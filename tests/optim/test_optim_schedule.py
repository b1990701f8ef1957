"""Learning-rate schedules: closed forms, PyTorch's values, state dicts, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from neuralab import nn, optim


def _optimizer(lr=0.1):
    return optim.SGD([nn.Parameter(np.ones(2))], lr=lr)


SCHEDULES = [
    ("StepLR", {"step_size": 3, "gamma": 0.5}, lambda e: 0.1 * 0.5 ** (e // 3)),
    ("ExponentialLR", {"gamma": 0.9}, lambda e: 0.1 * 0.9**e),
    ("CosineAnnealingLR", {"T_max": 5, "eta_min": 0.01},
     lambda e: 0.01 + 0.09 * (1 + math.cos(math.pi * e / 5)) / 2),
]
IDS = [name for name, _, _ in SCHEDULES]


@pytest.mark.parametrize(("name", "options", "formula"), SCHEDULES, ids=IDS)
def test_schedule_sets_the_optimizer_lr_each_epoch(name, options, formula):
    opt = _optimizer()
    schedule = getattr(optim, name)(opt, **options)
    assert schedule.get_last_lr() == pytest.approx(0.1)
    for epoch in range(1, 13):
        schedule.step()
        assert opt.lr == pytest.approx(formula(epoch), rel=1e-12)
        assert schedule.get_last_lr() == opt.lr


def test_cosine_reaches_eta_min_at_t_max():
    opt = _optimizer()
    schedule = optim.CosineAnnealingLR(opt, T_max=4, eta_min=0.001)
    for _ in range(4):
        schedule.step()
    assert opt.lr == pytest.approx(0.001)


@pytest.mark.parametrize(("name", "options", "formula"), SCHEDULES, ids=IDS)
def test_same_values_as_torch(name, options, formula):
    torch = pytest.importorskip("torch")
    opt = _optimizer()
    schedule = getattr(optim, name)(opt, **options)
    reference_opt = torch.optim.SGD([torch.nn.Parameter(torch.ones(2))], lr=0.1)
    reference = getattr(torch.optim.lr_scheduler, name)(reference_opt, **options)
    for _ in range(15):
        reference_opt.step()
        reference.step()
        schedule.step()
        assert opt.lr == pytest.approx(reference.get_last_lr()[0], rel=1e-9, abs=1e-15)


@pytest.mark.parametrize(("name", "options", "formula"), SCHEDULES, ids=IDS)
def test_state_dict_round_trip(name, options, formula):
    opt = _optimizer()
    schedule = getattr(optim, name)(opt, **options)
    for _ in range(4):
        schedule.step()
    saved = schedule.state_dict()
    assert saved["type"] == name and saved["last_epoch"] == 4
    resumed = getattr(optim, name)(_optimizer(lr=0.5), **options)
    resumed.load_state_dict(saved)
    schedule.step()
    resumed.step()
    assert resumed.optimizer.lr == opt.lr and resumed.last_epoch == 5


def test_load_state_dict_refuses_another_schedule():
    saved = optim.StepLR(_optimizer(), step_size=2).state_dict()
    with pytest.raises(ValueError, match=r"Cannot load .* into a ExponentialLR"):
        optim.ExponentialLR(_optimizer(), gamma=0.9).load_state_dict(saved)


@pytest.mark.parametrize(("make", "error", "match"), [
    (lambda o: optim.StepLR(o, step_size=0), ValueError,
     "'step_size' parameter of StepLR must be an int >= 1. Got 0 instead."),
    (lambda o: optim.StepLR(o, step_size=2, gamma=0), ValueError, "'gamma' parameter of StepLR"),
    (lambda o: optim.ExponentialLR(o, gamma=-1), ValueError, "'gamma' parameter of Exponential"),
    (lambda o: optim.CosineAnnealingLR(o, T_max=2.5), TypeError, "'T_max' parameter"),
    (lambda o: optim.CosineAnnealingLR(o, T_max=2, eta_min=-1), ValueError, "'eta_min'"),
    (lambda o: optim.StepLR("sgd", step_size=2), TypeError, "schedules an optimizer"),
])
def test_argument_errors(make, error, match):
    with pytest.raises(error, match=match):
        make(_optimizer())
