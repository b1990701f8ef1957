"""Fixtures of the playground tests: an app with small limits, a TestClient for it, and a real
uvicorn server in a thread."""

import contextlib
import socket
import threading
import time

import pytest
from fastapi.testclient import TestClient

from neuralab.playground import Limits, create_app

#: small limits, so that tests can reach them
LIMITS = Limits(max_hidden_layers=3, max_neurons=6, max_points=300, max_classes=4,
                max_sessions=2, max_upload_bytes=8192, max_csv_bytes=4096,
                max_message_bytes=8192, max_messages_per_second=30)
#: the host name of FastAPI's TestClient, and the Origin of its pages
HOST = "testserver"
ORIGIN = f"http://{HOST}"

#: a quick run: the XOR quadrants with a small network
XOR = {"dataset": "xor", "points": 100, "hidden": [4], "seed": 1}


@pytest.fixture
def app():
    return create_app(LIMITS, hosts=(HOST,))


@pytest.fixture
def client(app):
    """A client whose requests come from the playground's page (its Origin)."""
    with TestClient(app, headers={"origin": ORIGIN}) as test_client:
        yield test_client


def receive_until(ws, kind: str, limit: int = 50) -> dict:
    """The next message of type ``kind`` (others before it are skipped)."""
    for _ in range(limit):
        message = ws.receive_json()
        if message["type"] == kind:
            return message
    raise AssertionError(f"no {kind!r} message in {limit} messages")


def until_status(ws) -> dict:
    """The messages up to and including the next "status", by type (the last of each type)."""
    messages = {}
    while "status" not in messages:
        message = ws.receive_json()
        messages[message["type"]] = message
    return messages


def start_run(ws, config=None) -> tuple[dict, dict]:
    """Read the hello, send a config and return its ("ready", first "frame") messages."""
    hello = ws.receive_json()
    assert hello["type"] == "hello"
    ws.send_json({"type": "config", "config": XOR if config is None else config})
    ready = receive_until(ws, "ready")
    frame = receive_until(ws, "frame")
    assert receive_until(ws, "status") == {"type": "status", "running": False}
    return ready, frame


@contextlib.contextmanager
def serve_in_thread(app):
    """Serve ``app`` with uvicorn on a free loopback port in a thread; yields its base URL."""
    import uvicorn

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the playground server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
        assert not thread.is_alive(), "the playground server did not stop"
