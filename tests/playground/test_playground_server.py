"""The web app through FastAPI's TestClient: pages, options, the WebSocket protocol, limits,
download and upload. A bad message gets an error frame and the session goes on."""

import json

import pytest
from starlette.websockets import WebSocketDisconnect

import neuralab as nl

from .conftest import XOR, receive_until, start_run, until_status


def test_the_page_and_its_modules_are_served_locally(client):
    page = client.get("/")
    assert page.status_code == 200 and '<script type="module" src="/static/app.js">' in page.text
    assert "http" not in page.text.replace("http-equiv", "")  # no CDN, no external font
    for name in ("app.js", "network.js", "heatmap.js", "style.css"):
        assert client.get(f"/static/{name}").status_code == 200
    assert client.get("/api/options").json()["limits"]["max_sessions"] == 2


def test_a_run_trains_while_playing_and_stops_on_pause(client):
    with client.websocket_connect("/ws") as ws:
        ready, frame = start_run(ws)
        assert ready["config"]["dataset"] == "xor" and frame["epoch"] == 0
        ws.send_json({"type": "play"})
        assert receive_until(ws, "status")["running"] is True
        epochs = [receive_until(ws, "frame")["epoch"] for _ in range(3)]
        assert epochs == sorted(epochs) and epochs[0] > 0
        ws.send_json({"type": "pause"})
        assert receive_until(ws, "status")["running"] is False


def test_step_trains_one_epoch_and_reset_starts_again(client):
    with client.websocket_connect("/ws") as ws:
        start_run(ws)
        ws.send_json({"type": "step"})
        assert until_status(ws)["frame"]["epoch"] == 1
        ws.send_json({"type": "reset"})
        assert receive_until(ws, "ready")["run"] == 2
        assert receive_until(ws, "frame")["epoch"] == 0


@pytest.mark.parametrize(("text", "code", "message"), [
    ("not json", "bad_message", "not valid JSON"),
    ("[1, 2]", "bad_message", 'a JSON object with a "type"'),
    ('{"type": "fly"}', "unknown_type", "Unknown message type 'fly'; known types: config"),
    ('{"type": "config", "config": {"hidden": [9]}}', "invalid", "hidden layer 1 has 9 neurons"),
    ('{"type": "config"}', "invalid", 'needs a "config" object'),
    ('{"type": "trace", "split": "train", "index": 999}', "invalid", "from 0 to 49"),
    ('{"type": "trace", "split": "all", "index": 0}', "invalid", '"split" must be "train"'),
    ('{"type": "speed", "epochs_per_frame": 1000}', "invalid", "from 0 (as fast as possible)"),
    ('{"type": "x", "pad": "' + "a" * 9000 + '"}', "bad_message", "this server takes at most"),
    ("[" * 3000 + "]" * 3000, "bad_message", "more than 16 levels deep"),
    ('{"type": "config", "config": {"hidden": ' + "[" * 20 + "]" * 20 + "}}", "bad_message",
     "more than 16 levels deep"),
])
def test_a_bad_message_gets_an_error_frame_and_the_session_survives(client, text, code, message):
    with client.websocket_connect("/ws") as ws:
        start_run(ws)
        ws.send_text(text)
        reply = receive_until(ws, "error")
        assert reply["code"] == code and message in reply["message"]
        ws.send_json({"type": "step"})
        assert until_status(ws)["frame"]["epoch"] == 1


def test_binary_frames_and_messages_before_a_config_are_answered(client):
    with client.websocket_connect("/ws") as ws:
        assert ws.receive_json()["type"] == "hello"
        ws.send_bytes(b"\x00\x01")
        assert "Binary frames" in receive_until(ws, "error")["message"]
        ws.send_json({"type": "play"})
        assert "No run yet" in receive_until(ws, "error")["message"]
        ws.send_json({"type": "config", "config": XOR})
        assert receive_until(ws, "ready")["run"] == 1


def test_too_many_messages_in_a_second_are_refused(client):
    with client.websocket_connect("/ws") as ws:
        start_run(ws)
        for _ in range(31):
            ws.send_json({"type": "speed", "epochs_per_frame": 1})
        reply = receive_until(ws, "error")
        assert reply["code"] == "rate_limited" and "More than 30 messages" in reply["message"]


def test_sessions_are_limited_and_closing_a_tab_ends_its_session(client, app):
    with client.websocket_connect("/ws") as first, client.websocket_connect("/ws") as second:
        first.receive_json(), second.receive_json()
        assert len(app.state.sessions) == 2
        with client.websocket_connect("/ws") as third:
            reply = third.receive_json()
            assert reply["code"] == "too_many_sessions"
            assert "already has 2 open sessions" in reply["message"]
            with pytest.raises(WebSocketDisconnect):
                third.receive_json()
    with client.websocket_connect("/ws") as again:
        assert again.receive_json()["type"] == "hello"
        assert len(app.state.sessions) == 1
    assert len(app.state.sessions) == 0


def test_another_site_cannot_open_a_session(client):
    with pytest.raises(WebSocketDisconnect) as closed, \
            client.websocket_connect("/ws", headers={"origin": "http://evil.example"}):
        pass
    assert closed.value.code == 1008


def test_hidden_step_units_stop_training_with_an_explanation(client):
    with client.websocket_connect("/ws") as ws:
        start_run(ws, {**XOR, "activation": "step"})
        ws.send_json({"type": "play"})
        reply = receive_until(ws, "error")
        assert reply["code"] == "step_units" and "step function" in reply["message"]
        assert receive_until(ws, "status")["running"] is False


def test_download_then_upload_round_trip(client, tmp_path):
    with client.websocket_connect("/ws") as ws:
        session = ws.receive_json()["session"]
        ws.send_json({"type": "config", "config": {**XOR, "hidden": [5, 3]}})
        until_status(ws)
        ws.send_json({"type": "step"})
        trained = until_status(ws)["frame"]
        assert trained["epoch"] == 1
        response = client.get(f"/api/sessions/{session}/model.safetensors")
        assert response.status_code == 200
        assert "neuralab-playground-xor.safetensors" in response.headers["content-disposition"]
        path = tmp_path / "m.safetensors"
        path.write_bytes(response.content)
        assert nl.load(path).sizes == [2, 5, 3, 1]

        ws.send_json({"type": "config", "config": {"dataset": "moons", "points": 40}})
        until_status(ws)
        upload = client.post(f"/api/sessions/{session}/model", params={"name": "m.safetensors"},
                             content=response.content)
        assert upload.status_code == 200 and upload.json()["config"]["hidden"] == [5, 3]
        pushed = until_status(ws)
        assert pushed["ready"]["source"] == "upload"
        assert pushed["ready"]["config"]["dataset"] == "xor"
        assert pushed["frame"]["output"] == trained["output"]


def test_bad_uploads_are_refused_and_the_session_goes_on(client):
    with client.websocket_connect("/ws") as ws:
        session = ws.receive_json()["session"]
        ws.send_json({"type": "config", "config": XOR})
        until_status(ws)
        url = f"/api/sessions/{session}/model"
        bad = client.post(url, params={"name": "evil.pt"}, content=b"PK\x03\x04 zip")
        assert bad.status_code == 400 and "'evil.pt' is a zip archive" in bad.json()["detail"]
        big = client.post(url, params={"name": "big.safetensors"}, content=b"x" * 9000)
        assert big.status_code == 413 and "8,192 bytes" in big.json()["detail"]
        ws.send_json({"type": "step"})
        assert until_status(ws)["frame"]["epoch"] == 1
    missing = client.get("/api/sessions/nope/model.safetensors")
    assert missing.status_code == 404 and "Reload the page" in missing.json()["detail"]


def test_messages_are_json_without_nan():
    from neuralab.playground.connection import to_json

    assert json.loads(to_json({"loss": float("nan"), "maps": [float("inf"), 1.0]})) == {
        "loss": None, "maps": [None, 1.0]}
