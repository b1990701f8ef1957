"""Frames per second of the playground for a 2-8-8-1 network, over a real server and WebSocket.

Starts ``neuralab playground`` (uvicorn, loopback, a free port) in a child process, connects
one or more WebSocket clients (like browser tabs) from this one and counts the "frame" messages
each receives while training XOR for a few seconds, at each speed (epochs per frame). The issue
asks for at least 10 updates a second; the server paces itself to at most 20.

    python bench/playground_rate.py [--seconds 5] [--tabs 1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import subprocess
import sys
import time

import websockets

CONFIG = {"dataset": "xor", "features": ["x1", "x2"], "hidden": [8, 8], "activation": "tanh",
          "points": 200, "seed": 0}


async def count_frames(url: str, epochs_per_frame: int, seconds: float) -> tuple[float, dict]:
    # the server takes WebSockets from its own page only: send that page's Origin
    origin = url.replace("ws://", "http://").removesuffix("/ws")
    async with websockets.connect(url, max_size=None, origin=origin) as ws:
        await ws.recv()  # hello
        await ws.send(json.dumps({"type": "speed", "epochs_per_frame": epochs_per_frame}))
        await ws.send(json.dumps({"type": "config", "config": CONFIG}))
        await ws.send(json.dumps({"type": "play"}))
        frames, last, started = 0, None, time.perf_counter()
        while time.perf_counter() - started < seconds:
            message = json.loads(await ws.recv())
            if message["type"] == "frame" and message["epoch"] > 0:
                frames, last = frames + 1, message
        elapsed = time.perf_counter() - started
        await ws.send(json.dumps({"type": "pause"}))
        return frames / elapsed, last


async def measure(url: str, seconds: float, tabs: int) -> None:
    for epochs in (1, 5, 25, 0):
        results = await asyncio.gather(*[count_frames(url, epochs, seconds) for _ in range(tabs)])
        rates = ", ".join(f"{rate:5.1f}" for rate, _ in results)
        last = results[0][1]
        print(f"epochs per frame {epochs or 'max':>3}: frames/s per tab {rates}   "
              f"(epoch {last['epoch']}, test loss {last['test_loss']:.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--tabs", type=int, default=1)
    args = parser.parse_args()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "neuralab", "playground", "--no-browser",
                               "--port", str(port)], stdout=subprocess.PIPE, text=True)
    try:
        server.stdout.readline()  # the "neuralab playground: URL" line: it listens
        asyncio.run(measure(f"ws://127.0.0.1:{port}/ws", args.seconds, args.tabs))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
