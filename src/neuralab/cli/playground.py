"""``neuralab playground``: the browser lab where you watch a network learn.

Starts the playground's web server (FastAPI under uvicorn) on this machine only
(127.0.0.1 by default), prints its address and opens it in your browser. Each browser tab
trains its own network; closing the tab stops it. Stop the server with Ctrl-C.
Needs the optional extra: pip install "neuralab[playground]".
"""

from __future__ import annotations

import argparse


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(
            f"--port takes a TCP port number from 0 to 65535 (0 picks a free one); got {text!r}"
        )
    return port


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "playground", help="open the browser lab: watch a network learn, live",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=_port, default=8765, help="TCP port (default: 8765)")
    parser.add_argument("--no-browser", action="store_true",
                        help="only print the address; do not open a browser")


def _url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/"


def run(args) -> int:
    import socket
    import sys
    import webbrowser

    from ..playground._require import require_playground

    try:
        require_playground()
    except ImportError as err:
        print(f"neuralab playground: {err}", file=sys.stderr)
        return 1
    import uvicorn

    from ..playground import Limits, create_app

    limits = Limits()
    app = create_app(limits)
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((args.host, args.port))
        listener.listen(128)  # the browser may connect at once: the backlog holds it
    except OSError as err:
        listener.close()
        raise ValueError(
            f"cannot listen on {args.host}:{args.port} ({err.strerror}); is another playground "
            "running? Pick another --port."
        ) from None
    port = listener.getsockname()[1]
    url = _url(args.host, port)
    print(f"neuralab playground: {url}  (Ctrl-C to stop)", flush=True)
    if not args.no_browser:
        webbrowser.open(url)
    config = uvicorn.Config(app, log_level="warning", ws_max_size=limits.max_message_bytes,
                            timeout_graceful_shutdown=2)
    uvicorn.Server(config).run(sockets=[listener])
    return 0
