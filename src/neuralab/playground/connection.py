"""One WebSocket per browser tab: its messages, its training loop, and the table of open tabs.

The protocol is JSON text frames; see :mod:`neuralab.playground.server` for the list. Every
problem with a message is answered with an error frame ``{"type": "error", "code": ...,
"message": ...}`` and the session goes on.

Work on a network (building, training, drawing) runs in the manager's single worker thread, so
the event loop stays free to serve messages while a network trains, and training never takes
more than one core (the machine may have only two): the tabs' networks take turns. Each slice
of work is short (a frame period at most), so the turns come quickly.

While playing, each frame follows a slice of training of ``epochs_per_frame`` epochs (the page's
speed; 0 = as many as fit in :data:`FRAME_PERIOD`), paced to at most one frame per
:data:`FRAME_PERIOD` seconds.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import secrets
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from ..io import ModelFileError
from .config import Limits
from .jsontext import loads
from .session import Session, TrainingDivergedError
from .trainer import StepUnitsError

log = logging.getLogger(__name__)

#: seconds between two frames while training: at most 20 frames a second
FRAME_PERIOD = 0.05
#: epochs per frame the page may ask for (0 = as many as fit in a frame period)
MAX_EPOCHS_PER_FRAME = 100


class SessionLimitError(RuntimeError):
    """The server has as many sessions as its limits allow."""


class ConnectionClosed(ConnectionError):
    """The tab went away while a message was being sent to it."""


def _finite(value):
    """``value`` with NaN and infinities replaced by None (JSON has no such numbers)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def to_json(message: dict) -> str:
    try:
        return json.dumps(message, allow_nan=False)
    except ValueError:
        return json.dumps(_finite(message), allow_nan=False)


def error(code: str, message: str) -> dict:
    return {"type": "error", "code": code, "message": message}


class Connection:
    """A tab's session with its WebSocket, lock and training state."""

    def __init__(self, session_id: str, websocket, limits: Limits,
                 worker: ThreadPoolExecutor) -> None:
        self.id = session_id
        self.websocket = websocket
        self.limits = limits
        self._worker = worker
        self.session = Session(limits)
        self.lock = asyncio.Lock()
        self._send_lock = asyncio.Lock()
        self.running = False
        self.epochs_per_frame = 5
        self._wake = asyncio.Event()
        self._received: deque[float] = deque()

    # -- plumbing -----------------------------------------------------------------------------
    async def send(self, message: dict) -> None:
        """Send one message; ConnectionClosed if the tab is gone."""
        text = to_json(message)
        async with self._send_lock:
            try:
                await self.websocket.send_text(text)
            except Exception as err:  # starlette and uvicorn raise several kinds here
                raise ConnectionClosed(f"the tab of session {self.id} is gone") from err

    async def in_session(self, method, *args):
        """Run ``method(*args)`` of the session in the worker thread, one call at a time."""
        async with self.lock:
            return await asyncio.get_running_loop().run_in_executor(self._worker, method, *args)

    def start(self) -> None:
        self.running = True
        self._wake.set()

    def stop(self) -> None:
        self.running = False
        self._wake.clear()

    async def send_status(self) -> None:
        await self.send({"type": "status", "running": self.running})

    # -- incoming messages --------------------------------------------------------------------
    def _too_fast(self) -> bool:
        now = time.monotonic()
        while self._received and now - self._received[0] > 1.0:
            self._received.popleft()
        self._received.append(now)
        return len(self._received) > self.limits.max_messages_per_second

    def _parse(self, text: str) -> dict:
        """The message as a dict with a string "type"; ValueError with the reason otherwise."""
        if len(text.encode()) > self.limits.max_message_bytes:
            raise ValueError(f"The message has {len(text.encode()):,} bytes; this server takes "
                             f"at most {self.limits.max_message_bytes:,}.")
        message = loads(text, "The message")
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            raise ValueError('A message must be a JSON object with a "type", e.g. '
                             '{"type": "play"}.')
        return message

    async def receive(self, text: str) -> None:
        """Handle one text frame from the page; problems are answered with an error frame."""
        if self._too_fast():
            await self.send(error(
                "rate_limited", f"More than {self.limits.max_messages_per_second} messages in "
                "one second: this one was ignored. Slow down a little."))
            return
        try:
            message = self._parse(text)
        except ValueError as err:
            await self.send(error("bad_message", str(err)))
            return
        handler = HANDLERS.get(message["type"])
        if handler is None:
            await self.send(error(
                "unknown_type", f"Unknown message type {message['type']!r}; known types: "
                f"{', '.join(HANDLERS)}."))
            return
        try:
            await handler(self, message)
        except StepUnitsError as err:
            await self.send(error("step_units", str(err)))
        except ModelFileError as err:
            await self.send(error("bad_model_file", str(err)))
        except ValueError as err:
            await self.send(error("invalid", str(err)))
        except ConnectionClosed:
            raise
        except Exception as err:  # a bug must not end the tab's session: report it, go on
            log.exception("playground: %s message failed", message["type"])
            await self.send(error("internal", f"The server failed on this message: {err!r}."))

    # -- the training loop --------------------------------------------------------------------
    async def train_loop(self) -> None:
        """While running: train a slice in the worker thread, send its frame, repeat (until the
        tab is gone)."""
        try:
            await self._train_forever()
        except ConnectionClosed:
            self.stop()

    async def _train_forever(self) -> None:
        while True:
            await self._wake.wait()
            if not self.running:
                self._wake.clear()
                continue
            run = self.session.run
            started = time.perf_counter()
            try:
                frame = await self.in_session(self.session.advance, self.epochs_per_frame,
                                              FRAME_PERIOD)
            except StepUnitsError as err:
                self.stop()
                await self.send(error("step_units", str(err)))
                await self.send_status()
                continue
            except TrainingDivergedError as err:
                self.stop()
                await self.send(error("diverged", str(err)))
                await self.send_status()
                continue
            except Exception as err:  # report a bug to the page instead of dying silently
                log.exception("playground: training failed")
                self.stop()
                await self.send(error("internal", f"Training failed: {err!r}."))
                await self.send_status()
                continue
            if frame["run"] == run:
                await self.send(frame)
            await asyncio.sleep(max(0.0, FRAME_PERIOD - (time.perf_counter() - started)))


async def _restart(connection: Connection, method, *args) -> None:
    """Stop training, build a run with ``method`` and send its "ready" and first frame."""
    connection.stop()
    ready = await connection.in_session(method, *args)
    frame = await connection.in_session(connection.session.frame, True)
    await connection.send(ready)
    await connection.send(frame)
    await connection.send_status()


async def _on_config(connection: Connection, message: dict) -> None:
    if not isinstance(message.get("config"), dict):
        raise ValueError('A "config" message needs a "config" object, e.g. '
                         '{"type": "config", "config": {"dataset": "xor"}}.')
    await _restart(connection, connection.session.configure, message["config"])


async def _on_reset(connection: Connection, message: dict) -> None:
    await _restart(connection, connection.session.reset)


async def _on_play(connection: Connection, message: dict) -> None:
    connection.session.require_config()
    connection.start()
    await connection.send_status()


async def _on_pause(connection: Connection, message: dict) -> None:
    connection.stop()
    await connection.send_status()


async def _on_step(connection: Connection, message: dict) -> None:
    """One epoch, then a frame (with diagnostics)."""
    connection.stop()
    await connection.in_session(connection.session.train, 1, 0.0)
    await connection.send(await connection.in_session(connection.session.frame, True))
    await connection.send_status()


async def _on_speed(connection: Connection, message: dict) -> None:
    epochs = message.get("epochs_per_frame")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or \
            not 0 <= epochs <= MAX_EPOCHS_PER_FRAME:
        raise ValueError(f'"epochs_per_frame" must be an integer from 0 (as fast as possible) to '
                         f"{MAX_EPOCHS_PER_FRAME}; got {epochs!r}.")
    connection.epochs_per_frame = epochs


async def _on_trace(connection: Connection, message: dict) -> None:
    trace = await connection.in_session(connection.session.trace, message.get("split", "train"),
                                        message.get("index"))
    await connection.send(trace)


async def _on_csv_columns(connection: Connection, message: dict) -> None:
    """The columns of the uploaded CSV table to use: answered with their settings."""
    choice = [message.get(key) for key in ("x1", "x2", "label", "task")]
    if not all(isinstance(value, str) for value in choice):
        raise ValueError('A "csv_columns" message names its columns and task as text, e.g. '
                         '{"type": "csv_columns", "x1": "a", "x2": "b", "label": "c", '
                         '"task": "classification"}.')
    await connection.send(await connection.in_session(connection.session.csv_settings, *choice))


async def _on_ping(connection: Connection, message: dict) -> None:
    """A keep-alive: receiving it is all it does (see ``Limits.idle_seconds``)."""


#: message type -> handler(connection, message)
HANDLERS = {
    "config": _on_config,
    "reset": _on_reset,
    "play": _on_play,
    "pause": _on_pause,
    "step": _on_step,
    "speed": _on_speed,
    "trace": _on_trace,
    "csv_columns": _on_csv_columns,
    "ping": _on_ping,
}


class SessionManager:
    """The open tabs, by session id (an unguessable token), at most ``limits.max_sessions``,
    and the one worker thread that runs their networks (see the module docstring)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._connections: dict[str, Connection] = {}
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playground")

    def __len__(self) -> int:
        return len(self._connections)

    def open(self, websocket) -> Connection:
        if len(self._connections) >= self.limits.max_sessions:
            raise SessionLimitError(
                f"This playground server already has {self.limits.max_sessions} open sessions "
                "(its limit). Close another playground tab and reload this one."
            )
        session_id = secrets.token_urlsafe(16)
        connection = Connection(session_id, websocket, self.limits, self.worker)
        self._connections[session_id] = connection
        return connection

    def get(self, session_id: str) -> Connection | None:
        return self._connections.get(session_id)

    def close(self, session_id: str) -> None:
        connection = self._connections.pop(session_id, None)
        if connection is not None:
            connection.stop()

    def shutdown(self) -> None:
        """Stop the worker thread (after its current slice of work)."""
        self.worker.shutdown(wait=True, cancel_futures=True)
