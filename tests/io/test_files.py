"""Reading safetensors header first, with bounded cost, and writing atomically: permissions of
the user's umask, and temporary files of killed saves cleaned up by the next save."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import tracemalloc

import numpy as np
import pytest

import neuralab as nl
from neuralab import nn
from neuralab.io import files

MB = 2**20


def raw_file(path, header: dict, data: bytes = b"") -> None:
    """A file laid out as safetensors: header length, JSON header, data."""
    text = json.dumps(header).encode()
    path.write_bytes(len(text).to_bytes(8, "little") + text + data)


def peak_bytes(function, *args) -> int:
    """The largest traced allocation made while ``function(*args)`` raises ModelFileError."""
    tracemalloc.start()
    try:
        with pytest.raises(nl.ModelFileError) as caught:
            function(*args)
        return tracemalloc.get_traced_memory()[1], caught.value
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("dtype", ["float64", "float32", "float16", "int64", "int32", "int16",
                                   "int8", "uint8", "bool"])
def test_files_of_the_safetensors_library_are_read_in_every_dtype(tmp_path, dtype):
    from safetensors.numpy import save_file

    values = np.arange(12).reshape(3, 4).astype(dtype)
    path = tmp_path / "t.safetensors"
    save_file({"a": values, "empty": np.zeros((0, 3), dtype)}, str(path), metadata={"k": "v"})
    arrays, metadata = nl.io.read_safetensors(path)
    assert metadata == {"k": "v"}
    np.testing.assert_array_equal(arrays["a"], values)
    assert arrays["a"].dtype == values.dtype and arrays["empty"].shape == (0, 3)
    arrays["a"][0, 0] = 1  # the arrays are the caller's, writable


def test_a_junk_file_of_6_gb_is_refused_from_its_first_bytes(tmp_path):
    """A sparse 6 GB file: refused after reading a header that does not fit, in a few kB."""
    path = tmp_path / "junk.safetensors"
    with path.open("wb") as handle:
        handle.write((8 * 2**30).to_bytes(8, "little") + b"{" + b"x" * 100)
        handle.truncate(6 * 2**30)
    peak, error = peak_bytes(nl.load, path)
    assert "does not start with a safetensors header" in str(error)
    assert "6,442,450,944" in str(error)
    assert peak < MB


def test_a_header_larger_than_100_mb_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_HEADER_BYTES", 64)
    path = tmp_path / "wide.safetensors"
    raw_file(path, {"__metadata__": {"pad": "x" * 100}})
    peak, error = peak_bytes(nl.load, path)
    assert "has a safetensors header of 129 bytes, more than the 64 neuralab reads" in str(error)
    assert peak < MB


def test_a_header_that_claims_tensors_the_file_does_not_hold_is_refused_before_reading(tmp_path):
    path = tmp_path / "liar.safetensors"
    raw_file(path, {"w": {"dtype": "F32", "shape": [50000, 50000],
                          "data_offsets": [0, 50000 * 50000 * 4]}})
    peak, error = peak_bytes(nl.load, path)
    assert "its tensors take 10,000,000,000 bytes but 0 follow the header" in str(error)
    assert peak < MB


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}},
         "does not take the 4 bytes"),
        ({"w": {"dtype": "BF16", "shape": [2], "data_offsets": [0, 4]}}, "dtype 'BF16'"),
        ({"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}, "malformed shape"),
        ({"w": {"dtype": "F32", "shape": [1]}}, "not dtype/shape/data_offsets"),
        ({"a": {"dtype": "U8", "shape": [4], "data_offsets": [0, 4]},
          "b": {"dtype": "U8", "shape": [4], "data_offsets": [2, 6]}}, "overlapping or missing"),
        ({"__metadata__": {"k": 1}}, "mapping of strings to strings"),
    ],
)
def test_malformed_headers_get_an_error_saying_what_is_wrong(tmp_path, header, message):
    path = tmp_path / "bad.safetensors"
    raw_file(path, header, b"\0" * 8)
    with pytest.raises(nl.ModelFileError, match=message):
        nl.io.read_header(path)


def test_deeply_nested_json_is_an_error_not_a_recursion_error(tmp_path):
    path = tmp_path / "deep.safetensors"
    text = b'{"a":' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    path.write_bytes(len(text).to_bytes(8, "little") + text)
    with pytest.raises(nl.ModelFileError, match="nested too deeply"):
        nl.load(path)


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_saved_files_get_the_permissions_of_the_users_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        path = nl.save(nn.Linear(2, 1, seed=0), tmp_path / "m.safetensors")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == mode


CHILD = textwrap.dedent("""
    import os, sys, time
    import neuralab as nl

    def stall(fd):  # the payload is written: stop before the rename, as a killed save would
        print("writing", flush=True)
        time.sleep(120)

    os.fsync = stall
    nl.save(nl.nn.MLP([4, 64, 2], seed=1), sys.argv[1])
""")


def _stalled_save(path) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE,
                             text=True)
    assert child.stdout.readline().strip() == "writing"
    return child


def _temporaries(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_save_killed_mid_write_leaves_the_old_file_and_the_next_save_removes_its_temp(
        tmp_path):
    path = tmp_path / "model.safetensors"
    original = nl.save(nn.MLP([2, 3, 1], seed=0), path).read_bytes()
    child = _stalled_save(path)
    try:
        [temporary] = _temporaries(tmp_path)
        assert temporary.startswith(".model.safetensors.") and f".{child.pid}." in temporary
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
    assert path.read_bytes() == original  # the kill left the previous model intact
    assert len(_temporaries(tmp_path)) == 1
    nl.save(nn.MLP([2, 3, 1], seed=2), path)
    assert _temporaries(tmp_path) == []
    assert repr(nl.load(path)) == repr(nn.MLP([2, 3, 1]))


def test_the_temporary_file_of_a_save_in_progress_is_left_alone(tmp_path):
    path = tmp_path / "model.safetensors"
    child = _stalled_save(path)
    try:
        assert nl.io.remove_stale_temporaries(path) == []
        nl.save(nn.MLP([2, 3, 1], seed=0), path)
        assert len(_temporaries(tmp_path)) == 1
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()


def test_only_temporaries_of_this_host_and_of_this_file_are_removed(tmp_path):
    path = tmp_path / "model.safetensors"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    kept = [f".model.safetensors.other-host.{dead}.ab12cd34.tmp",
            f".other.safetensors.{files._HOST}.{dead}.ab12cd34.tmp", "notes.tmp"]
    stale = tmp_path / f".model.safetensors.{files._HOST}.{dead}.ab12cd34.tmp"
    for name in kept:
        (tmp_path / name).write_bytes(b"x")
    stale.write_bytes(b"x")
    assert nl.io.remove_stale_temporaries(path) == [stale]
    assert _temporaries(tmp_path) == sorted(kept)
