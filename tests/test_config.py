"""nl.config, set_default_dtype and manual_seed: per-thread blocks over process-wide defaults."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn
from neuralab._config import OPEN_CONFIG


def _in_thread(job, inside: threading.Event | None = None):
    """Run ``job`` in a new thread (after ``inside`` is set, if given); return its result."""
    result = {}

    def target():
        if inside is not None:
            inside.wait()
        result["value"] = job()

    worker = threading.Thread(target=target)
    worker.start()
    worker.join(timeout=30)
    return result["value"]


def test_a_config_block_does_not_change_the_dtype_of_models_built_in_other_threads():
    inside, done = threading.Event(), threading.Event()
    seen = {}

    def block():
        with nl.config(dtype="float64"):
            seen["block"] = nn.Linear(2, 2).weight.dtype
            inside.set()
            done.wait(timeout=30)

    holder = threading.Thread(target=block)
    holder.start()
    try:
        seen["other"] = _in_thread(lambda: nn.Linear(2, 2).weight.dtype, inside)
        seen["main"] = nl.tensor([1.0]).dtype
    finally:
        done.set()
        holder.join(timeout=30)
    assert seen == {"block": np.float64, "other": np.float32, "main": np.float32}
    assert OPEN_CONFIG[0] == 0


def test_a_config_block_restores_only_its_own_threads_values():
    """Two threads in overlapping blocks: each sees its own dtype, and each exit restores its
    thread's value, whatever order the blocks end in."""
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with nl.config(dtype="float64"):
            first_in.set()
            second_in.wait(timeout=30)
            seen["first inside"] = nl.default_dtype()
        seen["first after"] = nl.default_dtype()
        first_out.set()

    def second():
        first_in.wait(timeout=30)
        with nl.config(dtype="float32"):
            second_in.set()
            first_out.wait(timeout=30)
            seen["second inside"] = nl.default_dtype()
            with nl.config(dtype="float64"):
                seen["second nested"] = nl.default_dtype()
            seen["second after nested"] = nl.default_dtype()

    with nl.config(dtype="float64"):  # the main thread's own block stays in force throughout
        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        seen["main"] = nl.default_dtype()
    assert seen == {"first inside": np.float64, "first after": np.float32,
                    "second inside": np.float32, "second nested": np.float64,
                    "second after nested": np.float32, "main": np.float64}
    assert nl.default_dtype() == np.float32


def test_a_seeded_block_draws_the_same_numbers_whatever_other_threads_draw():
    with nl.config(seed=0):
        expected = nl.randn(5).data
    inside, done = threading.Event(), threading.Event()
    drawn = {}

    def block():
        with nl.config(seed=0):
            inside.set()
            done.wait(timeout=30)
            drawn["block"] = nl.randn(5).data

    holder = threading.Thread(target=block)
    holder.start()
    try:
        _in_thread(lambda: nl.randn(1000), inside)  # draws from the process-wide generator
    finally:
        done.set()
        holder.join(timeout=30)
    np.testing.assert_array_equal(drawn["block"], expected)


def test_set_default_dtype_and_manual_seed_inside_a_block_last_until_the_block_ends():
    nl.manual_seed(5)
    outside = nl.rand(3).data
    nl.manual_seed(5)
    with nl.config(dtype="float64"):
        nl.set_default_dtype("float32")
        nl.manual_seed(1)
        assert nl.default_dtype() == np.float32
        with nl.config(seed=1):
            block_draw = nl.rand(3).data
        np.testing.assert_array_equal(nl.rand(3).data, block_draw)  # the block's manual_seed
    assert nl.default_dtype() == np.float32
    np.testing.assert_array_equal(nl.rand(3).data, outside)  # the process generator untouched


def test_set_default_dtype_outside_blocks_is_process_wide():
    try:
        nl.set_default_dtype("float64")
        assert _in_thread(lambda: nn.Linear(2, 2).weight.dtype) == np.float64
    finally:
        nl.set_default_dtype("float32")


def test_config_refuses_a_non_float_dtype_and_leaves_the_settings_alone():
    with pytest.raises(TypeError, match=r'"float32" or "float64"\. Got \'int64\''), \
            nl.config(dtype="int64"):
        pass  # pragma: no cover - never entered
    assert nl.default_dtype() == np.float32 and OPEN_CONFIG[0] == 0
