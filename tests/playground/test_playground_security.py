"""Serving safely: only the configured host names (DNS rebinding), the access token, security
headers, Origin on everything that changes a session, uploads checked before their body is
read, and idle tabs closed."""

import contextlib
import socket
import time
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from neuralab.playground import Limits, create_app

from .conftest import HOST, LIMITS, ORIGIN, serve_in_thread, start_run


def test_a_rebound_host_name_is_refused_even_from_its_own_origin(app):
    """DNS rebinding: evil.example resolves to 127.0.0.1, the page's Origin matches its Host."""
    rebound = {"host": "evil.example:8765", "origin": "http://evil.example:8765"}
    with TestClient(app) as client:
        page = client.get("/", headers=rebound)
        assert page.status_code == 400 and "answers to testserver" in page.text
        assert client.get("/api/options", headers=rebound).status_code == 400
        with pytest.raises(WebSocketDisconnect) as closed, \
                client.websocket_connect("/ws", headers=rebound):
            pass
        assert closed.value.code == 1008


@pytest.mark.parametrize("host", [f"{HOST}:80; script-src *", f"{HOST}:80x", f"{HOST}/x", ""])
def test_a_host_header_that_is_not_a_host_and_port_is_refused(client, host):
    assert client.get("/", headers={"host": host}).status_code == 400


def test_every_response_carries_the_security_headers(client):
    for path in ("/", "/static/app.js", "/api/options", "/api/sessions/nope/model.safetensors"):
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self';" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy and f"ws://{HOST}" in policy
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"


def test_the_page_has_no_inline_script_or_style():
    from neuralab.playground.server import STATIC

    page = (STATIC / "index.html").read_text()
    assert page.count("<script") == 1 and 'src="/static/app.js"' in page
    assert " style=" not in page and "<style" not in page and "onclick" not in page


def test_a_server_with_a_token_needs_it_and_remembers_it_in_a_cookie():
    app = create_app(LIMITS, hosts=(HOST,), token="s3cret")
    with TestClient(app, headers={"origin": ORIGIN}) as client:
        refused = client.get("/")
        assert refused.status_code == 403 and "?token=" in refused.text
        assert client.get("/?token=wrong").status_code == 403
        first = client.get("/?token=s3cret")
        assert first.status_code == 200
        cookie = first.headers["set-cookie"]
        assert "s3cret" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert client.get("/api/options").status_code == 200  # the cookie carries it now
        with client.websocket_connect("/ws") as ws:
            assert ws.receive_json()["type"] == "hello"
    with TestClient(app, headers={"origin": ORIGIN}) as stranger, \
            pytest.raises(WebSocketDisconnect) as closed, stranger.websocket_connect("/ws"):
        pass
    assert closed.value.code == 1008


def test_posts_and_the_websocket_need_the_pages_origin(app, client):
    with client.websocket_connect("/ws") as ws:
        session = ws.receive_json()["session"]
        start = f"/api/sessions/{session}/model"
        for origin in ("http://evil.example", "null"):
            refused = client.post(start, content=b"x", headers={"origin": origin})
            assert refused.status_code == 403 and "only the playground's own page" in \
                refused.json()["detail"]
        with TestClient(app) as bare:  # no Origin at all
            assert bare.post(start, content=b"x").status_code == 403
            assert bare.post(f"/api/sessions/{session}/csv", content=b"x").status_code == 403
            with pytest.raises(WebSocketDisconnect) as closed, bare.websocket_connect("/ws"):
                pass
            assert closed.value.code == 1008


def raw_post(base_url: str, path: str, headers: dict, body_chunks, wait: float = 5.0) -> tuple:
    """POST over a plain socket: send the headers, then body chunks until the server answers.
    Returns (status line, bytes of body sent)."""
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=wait) as sock:
        lines = [f"POST {path} HTTP/1.1", f"Host: {parts.netloc}", f"Origin: {base_url[:-1]}",
                 *[f"{key}: {value}" for key, value in headers.items()], "", ""]
        sock.sendall("\r\n".join(lines).encode())
        sock.setblocking(False)
        sent, answer, deadline = 0, b"", time.monotonic() + wait
        for chunk in body_chunks:
            with contextlib.suppress(BlockingIOError):
                answer += sock.recv(4096)
            if answer or time.monotonic() > deadline:
                break
            try:
                sent += sock.send(chunk)
            except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                time.sleep(0.01)
        sock.setblocking(True)
        while b"\r\n" not in answer:
            answer += sock.recv(4096)
    return answer.split(b"\r\n", 1)[0].decode(), sent


def test_uploads_are_refused_before_their_body_is_read():
    """200 MB to a missing session, or declared too large: the answer comes while the client is
    still sending (what it got through is what the sockets' buffers hold, not 200 MB)."""
    app = create_app(Limits(max_upload_bytes=64 * 1024))
    with serve_in_thread(app) as url:
        huge = {"Content-Length": str(200 * 1024 * 1024)}
        chunks = (b"x" * 65536 for _ in range(3200))
        status, sent = raw_post(url, "/api/sessions/nope/model", huge, chunks)
        assert status.endswith("404 Not Found") and sent < 16 * 1024 * 1024
        session = app.state.sessions.open(websocket=None).id
        status, sent = raw_post(url, f"/api/sessions/{session}/model", huge, chunks)
        assert status.endswith("413 Request Entity Too Large") and sent < 16 * 1024 * 1024


def asgi_post(app, path: str, headers: dict) -> tuple[int, int]:
    """POST to the application itself with an endless body of 16 KB chunks; returns the status
    and how many chunks the application pulled."""
    import asyncio

    pulled, sent = 0, []

    async def receive():
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"x" * 16384, "more_body": True}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": b"", "root_path": "", "client": ("127.0.0.1", 1),
             "server": (HOST, 80),
             "headers": [(key.encode(), value.encode()) for key, value in headers.items()]}
    asyncio.run(app(scope, receive, send))
    return sent[0]["status"], pulled


@pytest.mark.parametrize(("session", "headers", "status", "chunks"), [
    ("nope", {}, 404, 0),                                   # no such session
    ("real", {"origin": "http://evil.example"}, 403, 0),    # another site
    ("real", {"content-length": str(200 * 2**20)}, 413, 0),  # declared too large
    ("real", {}, 413, 64 // 16 + 1),                        # unknown size: stops at 64 KB
])
def test_an_upload_is_checked_before_its_body_is_read_and_reading_stops_at_the_limit(
        session, headers, status, chunks):
    app = create_app(Limits(max_upload_bytes=64 * 1024, max_csv_bytes=64 * 1024), hosts=(HOST,))
    if session == "real":
        session = app.state.sessions.open(websocket=None).id
    for route in ("model", "csv"):
        answer = asgi_post(app, f"/api/sessions/{session}/{route}",
                           {"host": HOST, "origin": ORIGIN, **headers})
        assert answer == (status, chunks)


def test_an_idle_tab_is_told_and_closed_so_that_others_get_in():
    app = create_app(Limits(max_sessions=1, idle_seconds=0.3), hosts=(HOST,))
    with TestClient(app, headers={"origin": ORIGIN}) as client:
        with client.websocket_connect("/ws") as ws:
            start_run(ws, {"dataset": "xor", "points": 40, "hidden": [2]})
            reply = ws.receive_json()
            assert reply["code"] == "idle" and "sent nothing for 0.3 seconds" in reply["message"]
            with pytest.raises(WebSocketDisconnect):
                ws.receive_json()
        assert len(app.state.sessions) == 0
        with client.websocket_connect("/ws") as ws:
            assert ws.receive_json()["type"] == "hello"


def test_keep_alive_pings_keep_a_tab_open():
    app = create_app(Limits(idle_seconds=0.4), hosts=(HOST,))
    with TestClient(app, headers={"origin": ORIGIN}) as client, \
            client.websocket_connect("/ws") as ws:
        ws.receive_json()
        for _ in range(4):
            time.sleep(0.2)
            ws.send_json({"type": "ping"})
        ws.send_json({"type": "fly"})
        assert ws.receive_json()["code"] == "unknown_type"  # still open after 0.8 s
