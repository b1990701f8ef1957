"""The playground's web application: :func:`create_app` builds it (FastAPI, run under uvicorn).

HTTP routes
-----------
``GET /``                                     the page (``static/index.html``)
``GET /static/...``                           its CSS and JavaScript modules (no CDN, no fonts)
``GET /api/options``                          choices, labels, defaults and the server's limits
``GET /api/sessions/{id}/model.safetensors``  the tab's network, as ``nl.save`` writes it
``GET /api/sessions/{id}/export.py``          the Python script that reproduces the tab's run
``POST /api/sessions/{id}/model?name=F``      upload a model file (the raw bytes as the body);
                                              400 with the reason if it is not a model the
                                              playground can show, 413 if too large
``POST /api/sessions/{id}/csv?name=F``        upload a CSV table (raw bytes); answers its
                                              columns (the "csv" message), 400 or 413 if not

Every request must name one of the server's host names in its ``Host`` header and, if the
server has an access token, carry it (see :mod:`.security`); a POST and the WebSocket must come
from the playground's own page (``Origin``). A POST checks its session, its Origin and its
declared size before it reads any of the body, and stops reading at the limit.

The WebSocket ``/ws`` (one per tab) carries JSON text messages, nested at most
:data:`~.jsontext.MAX_DEPTH` levels deep. A tab that sends nothing for ``limits.idle_seconds``
is told so (error ``idle``) and closed.

Page -> server: ``{"type": "config", "config": {...}}`` (build a run from settings; see
:class:`~neuralab.playground.config.PlaygroundConfig`), ``{"type": "play"}``,
``{"type": "pause"}``, ``{"type": "step"}`` (one epoch), ``{"type": "reset"}`` (same settings,
same seed, fresh start), ``{"type": "speed", "epochs_per_frame": n}`` (0-100, 0 = as many as fit
in a frame; default 5), ``{"type": "trace", "split": "train" | "test", "index": i}``,
``{"type": "csv_columns", "x1": c, "x2": c, "label": c, "task": t}`` (after a CSV upload: the
columns to use), ``{"type": "ping"}`` (a keep-alive).

Server -> page: ``hello`` (session id and limits, first), ``ready`` (settings, points, network
shape and input-feature maps, after each config/reset/upload), ``frame`` (epoch, updates,
train/test loss and accuracy, the output heat map, every neuron's map, the weights and their
gradients, now and then the diagnostics, once a perceptron's ``notice``), ``status`` (running
or not), ``trace``, ``csv_points`` (the settings of the chosen CSV columns) and ``error``
(``code`` and ``message``; the session goes on). ``ready`` and ``frame`` carry the ``run``
number: frames of an older run are never sent after a newer ``ready``.

Closing the tab closes the WebSocket, which stops and forgets its session.
"""

# no "from __future__ import annotations": FastAPI reads the route annotations at run time

import asyncio
import contextlib
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from ..io import ModelFileError
from .config import Limits, options
from .connection import ConnectionClosed, SessionLimitError, SessionManager, error, to_json
from .security import LOOPBACK_HOSTS, Guard, RequestRefused, check_origin, read_body

STATIC = Path(__file__).with_name("static")


def create_app(limits: Limits | None = None, *, hosts=LOOPBACK_HOSTS,
               token: str | None = None) -> FastAPI:
    """The playground application.

    Parameters
    ----------
    limits : Limits, optional
        What the server allows (layers, neurons, points, classes, sessions, idle time, upload
        and message sizes, message rate); the defaults of :class:`Limits` if omitted.
    hosts : sequence of str
        The host names (or addresses) the server answers to, by the ``Host`` header; this
        machine's loopback names by default.
    token : str, optional
        An access token every request must carry (see :mod:`.security`); none by default.

    Returns
    -------
    FastAPI
        Serve it with uvicorn (``neuralab playground`` does), or test it with FastAPI's
        ``TestClient``. ``app.state.sessions`` is its :class:`SessionManager`.
    """
    limits = limits or Limits()
    sessions = SessionManager(limits)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        sessions.shutdown()

    app = FastAPI(title="neuralab playground", docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan)
    app.add_middleware(Guard, hosts=hosts, token=token)
    app.state.sessions = sessions
    app.state.limits = limits
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    def connection_of(session_id: str):
        connection = sessions.get(session_id)
        if connection is None:
            raise HTTPException(404, "No such playground session: its tab was closed or the "
                                     "server restarted. Reload the page.")
        return connection

    async def upload_of(request: Request, session_id: str, limit: int, what: str):
        """The session and the body of an upload: session, Origin and size are checked before
        the body is read, and reading stops at the limit."""
        connection = connection_of(session_id)
        check_origin(request.headers)
        return connection, await read_body(request, limit, what)

    @app.get("/", include_in_schema=False)
    async def page():
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/api/options")
    async def get_options():
        return options(limits)

    async def attachment(session_id: str, method: str, suffix: str, media_type: str):
        """What ``method`` of the tab's session returns, as a file download."""
        connection = connection_of(session_id)
        try:
            content = await connection.in_session(getattr(connection.session, method))
        except ValueError as err:
            raise HTTPException(409, str(err)) from None
        name = f"neuralab-playground-{connection.session.config.dataset}{suffix}"
        return Response(content, media_type=media_type,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.get("/api/sessions/{session_id}/model.safetensors")
    async def download(session_id: str):
        return await attachment(session_id, "model_file", ".safetensors",
                                "application/octet-stream")

    @app.get("/api/sessions/{session_id}/export.py")
    async def export(session_id: str):
        return await attachment(session_id, "export_script", ".py",
                                "text/x-python; charset=utf-8")

    @app.post("/api/sessions/{session_id}/model")
    async def upload_model(session_id: str, request: Request, name: str = "model.safetensors"):
        connection, raw = await upload_of(request, session_id, limits.max_upload_bytes,
                                          "model file")
        connection.stop()
        try:
            ready = await connection.in_session(connection.session.load_model_file, raw, name)
        except (ModelFileError, ValueError) as err:
            raise HTTPException(400, str(err)) from None
        frame = await connection.in_session(connection.session.frame, True)
        try:
            await connection.send(ready)
            await connection.send(frame)
            await connection.send_status()
        except ConnectionClosed:
            raise HTTPException(410, "The playground tab of this session was closed.") from None
        return {"ok": True, "config": ready["config"]}

    @app.post("/api/sessions/{session_id}/csv")
    async def upload_csv(session_id: str, request: Request, name: str = "data.csv"):
        connection, raw = await upload_of(request, session_id, limits.max_csv_bytes,
                                          "CSV file")
        try:
            return await connection.in_session(connection.session.read_csv, raw, name[:80])
        except ValueError as err:
            raise HTTPException(400, str(err)) from None

    @app.exception_handler(HTTPException)
    async def http_error(request, exc: HTTPException):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)

    @app.exception_handler(RequestRefused)
    async def refused(request, exc: RequestRefused):
        return JSONResponse({"detail": exc.reason}, status_code=exc.status)

    @app.websocket("/ws")
    async def websocket_session(websocket: WebSocket):
        try:
            check_origin(websocket.headers)
        except RequestRefused as refused:
            await websocket.close(code=1008, reason=refused.reason[:120])
            return
        await websocket.accept()
        try:
            connection = sessions.open(websocket)
        except SessionLimitError as err:
            await websocket.send_text(to_json(error("too_many_sessions", str(err))))
            await websocket.close(code=1013)
            return
        await connection.send({"type": "hello", "session": connection.id,
                               "limits": limits.to_dict()})
        trainer = asyncio.create_task(connection.train_loop())
        try:
            await _serve(websocket, connection, limits)
        except (WebSocketDisconnect, ConnectionClosed):
            pass  # the tab was closed while a reply was being sent
        finally:
            sessions.close(connection.id)
            trainer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await trainer

    return app


async def _serve(websocket, connection, limits: Limits) -> None:
    """Answer the tab's messages until it goes away or stays silent for too long."""
    while True:
        try:
            message = await asyncio.wait_for(websocket.receive(), limits.idle_seconds)
        except asyncio.TimeoutError:  # the builtin TimeoutError from Python 3.11 on
            await connection.send(error(
                "idle", f"This tab sent nothing for {limits.idle_seconds:g} seconds, so the "
                "server closed its session to make room for others. Reload the page (or press "
                "Reconnect) to start again."))
            await websocket.close(code=1000, reason="idle")
            return
        if message["type"] == "websocket.disconnect":
            return
        if message.get("text") is None:
            await connection.send(error("bad_message", "Binary frames are not understood: "
                                                       "send JSON text."))
            continue
        await connection.receive(message["text"])
