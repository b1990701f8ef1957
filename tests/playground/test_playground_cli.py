"""``neuralab playground`` and the optional extra's import error."""

import sys

import pytest

from neuralab.cli import main
from neuralab.playground._require import require_playground


def test_the_command_is_registered_with_its_options(capsys):
    with pytest.raises(SystemExit):
        main(["playground", "--help"])
    text = capsys.readouterr().out
    assert "--host" in text and "--port" in text and "--no-browser" in text
    assert "127.0.0.1" in text


def test_a_bad_port_is_refused(capsys):
    with pytest.raises(SystemExit):
        main(["playground", "--port", "70000"])
    assert "from 0 to 65535" in capsys.readouterr().err


def test_a_port_in_use_is_reported(capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["playground", "--no-browser", "--port", str(port)]) == 2
    assert "Pick another --port" in capsys.readouterr().err


def test_a_missing_extra_names_the_pip_command(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # makes `import uvicorn` fail
    with pytest.raises(ImportError, match=r'needs uvicorn.*pip install "neuralab\[playground\]"'):
        require_playground()
    assert main(["playground", "--no-browser"]) == 1
    assert 'pip install "neuralab[playground]"' in capsys.readouterr().err
