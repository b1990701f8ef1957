"""The ``quiet`` decorator: IEEE values without warnings inside, the caller's state after."""

import threading
import warnings

import numpy as np
import pytest

from neuralab.autograd.function import quiet


@quiet
def _log_of(x):
    return np.log(x), np.geterr()


def test_inside_all_floating_point_errors_are_ignored_and_give_ieee_values():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, state = _log_of(np.zeros(2))
    assert np.all(value == -np.inf)
    assert set(state.values()) == {"ignore"}


def test_the_callers_state_comes_back_after_a_return_and_after_an_exception():
    @quiet
    def fails():
        raise KeyError("boom")

    with np.errstate(divide="raise", invalid="warn"):
        _log_of(np.zeros(1))
        assert np.geterr()["divide"] == "raise"
        with pytest.raises(KeyError):
            fails()
        assert np.geterr()["divide"] == "raise" and np.geterr()["invalid"] == "warn"
        with pytest.raises(FloatingPointError):
            np.log(np.zeros(1))


def test_another_thread_keeps_its_own_state_while_one_runs_quiet():
    inside, seen = threading.Event(), {}

    @quiet
    def hold():
        inside.set()
        release.wait(5)

    release = threading.Event()
    worker = threading.Thread(target=hold)
    worker.start()
    inside.wait(5)
    seen["main"] = np.geterr()["divide"]
    release.set()
    worker.join()
    assert seen["main"] == "warn"
