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


def test_on_this_machine_there_is_no_token_and_only_loopback_names():
    from neuralab.cli.playground import serving

    local = serving("127.0.0.1", 8765)
    assert local.token is None and local.warning is None
    assert local.url == "http://127.0.0.1:8765/"
    assert set(local.hosts) == {"127.0.0.1", "localhost", "::1"}
    assert "proxy.example" in serving("127.0.0.1", 8765, ["proxy.example"]).hosts


def test_all_interfaces_warn_print_the_real_address_and_require_a_token():
    from neuralab.cli.playground import serving

    wide = serving("0.0.0.0", 8765)
    assert wide.token and len(wide.token) >= 20
    assert wide.url.endswith(f":8765/?token={wide.token}") and "0.0.0.0" not in wide.url
    address = wide.url.split("//")[1].split(":8765")[0]
    assert address in wide.hosts and "0.0.0.0" not in wide.hosts
    assert "other computers on your network can reach it" in wide.warning
    assert serving("0.0.0.0", 8765).token != wide.token  # fresh every start


def test_the_command_prints_the_warning_and_the_link_with_its_token(monkeypatch, capsys):
    import uvicorn

    served = {}
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets: served.update(
        app=self.config.app, port=sockets[0].getsockname()[1]))
    assert main(["playground", "--no-browser", "--host", "0.0.0.0", "--port", "0"]) == 0
    printed = capsys.readouterr()
    assert "warning: the playground listens on every network interface" in printed.err
    link = printed.out.split("neuralab playground: ")[1].split()[0]
    assert f":{served['port']}/?token=" in link and "0.0.0.0" not in link
