"""The playground's web application: :func:`create_app` builds it (FastAPI, run under uvicorn).

HTTP routes
-----------
``GET /``                                     the page (``static/index.html``)
``GET /static/...``                           its CSS and JavaScript modules (no CDN, no fonts)
``GET /api/options``                          choices, labels, defaults and the server's limits
``GET /api/sessions/{id}/model.safetensors``  the tab's network, as ``nl.save`` writes it
``POST /api/sessions/{id}/model``             upload a model file (multipart field ``file``);
                                              400 with the reason if it is not a model the
                                              playground can show, 413 if too large

The WebSocket ``/ws`` (one per tab) carries JSON text messages.

Page -> server: ``{"type": "config", "config": {...}}`` (build a run from settings; see
:class:`~neuralab.playground.config.PlaygroundConfig`), ``{"type": "play"}``,
``{"type": "pause"}``, ``{"type": "step"}`` (one epoch), ``{"type": "reset"}`` (same settings,
same seed, fresh start), ``{"type": "speed", "epochs_per_frame": n}`` (0-100, 0 = as many as fit
in a frame; default 5), ``{"type": "trace", "split": "train" | "test", "index": i}``.

Server -> page: ``hello`` (session id and limits, first), ``ready`` (settings, points, network
shape and input-feature maps, after each config/reset/upload), ``frame`` (epoch, updates,
train/test loss and accuracy, the output heat map, every neuron's map, the weights and their
gradients, and now and then the diagnostics), ``status`` (running or not), ``trace`` and
``error`` (``code`` and ``message``; the session goes on). ``ready`` and ``frame`` carry the
``run`` number: frames of an older run are never sent after a newer ``ready``.

Closing the tab closes the WebSocket, which stops and forgets its session.
"""

# no "from __future__ import annotations": FastAPI reads the route annotations at run time

import asyncio
import contextlib
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, HTTPException, Request, UploadFile, WebSocket, WebSocketDisconnect
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from ..io import ModelFileError
from .config import Limits, options
from .connection import ConnectionClosed, SessionLimitError, SessionManager, error, to_json

STATIC = Path(__file__).with_name("static")
#: room for the multipart envelope around an uploaded file
_MULTIPART_OVERHEAD = 16 * 1024


def _same_origin(websocket) -> bool:
    """A page of another site may not open a session (cross-site WebSocket hijacking)."""
    origin = websocket.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == websocket.headers.get("host")


def create_app(limits: Limits | None = None) -> FastAPI:
    """The playground application.

    Parameters
    ----------
    limits : Limits, optional
        What the server allows (layers, neurons, points, sessions, upload and message sizes,
        message rate); the defaults of :class:`Limits` if omitted.

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
    app.state.sessions = sessions
    app.state.limits = limits
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    def connection_of(session_id: str):
        connection = sessions.get(session_id)
        if connection is None:
            raise HTTPException(404, "No such playground session: its tab was closed or the "
                                     "server restarted. Reload the page.")
        return connection

    @app.get("/", include_in_schema=False)
    async def page():
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/api/options")
    async def get_options():
        return options(limits)

    @app.get("/api/sessions/{session_id}/model.safetensors")
    async def download(session_id: str):
        connection = connection_of(session_id)
        try:
            raw = await connection.in_session(connection.session.model_file)
        except ValueError as err:
            raise HTTPException(409, str(err)) from None
        name = f"neuralab-playground-{connection.session.config.dataset}.safetensors"
        return Response(raw, media_type="application/octet-stream",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.post("/api/sessions/{session_id}/model")
    async def upload(session_id: str, request: Request, file: UploadFile):
        connection = connection_of(session_id)
        declared = int(request.headers.get("content-length") or 0)
        raw = await file.read(limits.max_upload_bytes + 1)
        if len(raw) > limits.max_upload_bytes or \
                declared > limits.max_upload_bytes + _MULTIPART_OVERHEAD:
            raise HTTPException(413, f"The model file is larger than this server's limit of "
                                     f"{limits.max_upload_bytes:,} bytes.")
        connection.stop()
        try:
            ready = await connection.in_session(connection.session.load_model_file, raw,
                                                file.filename)
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

    @app.exception_handler(HTTPException)
    async def http_error(request, exc: HTTPException):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)

    @app.websocket("/ws")
    async def websocket_session(websocket: WebSocket):
        if not _same_origin(websocket):
            await websocket.close(code=1008, reason="cross-site connections are refused")
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
            while True:
                message = await websocket.receive()
                if message["type"] == "websocket.disconnect":
                    break
                if message.get("text") is None:
                    await connection.send(error("bad_message", "Binary frames are not "
                                                "understood: send JSON text."))
                    continue
                await connection.receive(message["text"])
        except (WebSocketDisconnect, ConnectionClosed):
            pass  # the tab was closed while a reply was being sent
        finally:
            sessions.close(connection.id)
            trainer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await trainer

    return app
