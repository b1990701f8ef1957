"""``neuralab playground``: the browser lab where you watch a network learn.

Starts the playground's web server (FastAPI under uvicorn) on this machine only
(127.0.0.1 by default), prints its address and opens it in your browser. Each browser tab
trains its own network; closing the tab stops it. Stop the server with Ctrl-C.

With --host 0.0.0.0 (or another address of this machine) other computers can reach it: it
then prints a warning and the machine's real address with an access token, which every
request must carry (share the link only with people you trust). It answers only to the host
names it knows (its addresses, its name, localhost); add others, such as a DNS name that
points here, with --allow-host NAME.

Needs the optional extra: pip install "neuralab[playground]".
"""

from __future__ import annotations

import argparse
import ipaddress
import secrets
import socket
from dataclasses import dataclass


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
                        help="address to listen on (default: 127.0.0.1, this machine only; "
                             "0.0.0.0 for every network interface, with an access token)")
    parser.add_argument("--port", type=_port, default=8765, help="TCP port (default: 8765)")
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="another host name the server answers to (repeatable)")
    parser.add_argument("--no-browser", action="store_true",
                        help="only print the address; do not open a browser")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_wildcard(host: str) -> bool:
    return host in ("", "0.0.0.0", "::")


def _outward_address(ipv6: bool) -> str | None:
    """The address this machine uses towards the network (a UDP "connection" to a documentation
    address sends nothing, but picks the interface), or None without a network."""
    family, target = ((socket.AF_INET6, "2001:db8::1") if ipv6
                      else (socket.AF_INET, "192.0.2.1"))
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect((target, 9))
            return probe.getsockname()[0]
    except OSError:
        return None


@dataclass(frozen=True)
class Serving:
    """How the server is reached: the host names it answers to, its token, the printed URL."""

    hosts: tuple[str, ...]
    token: str | None
    url: str
    warning: str | None


def serving(host: str, port: int, allow_hosts=()) -> Serving:
    """The host names, access token and address of a server listening on ``host``:``port``.

    On loopback: the loopback names, no token. Anywhere else: every name of this machine (its
    address, host name, loopback names), a fresh random token in the URL, and a warning.
    """
    from ..playground.security import LOOPBACK_HOSTS

    names = [*LOOPBACK_HOSTS, *allow_hosts]
    if _is_loopback(host):
        shown = "127.0.0.1" if host == "localhost" else host
        return Serving(tuple(dict.fromkeys([host, *names])), None, _url(shown, port), None)
    address = host
    if _is_wildcard(host):
        address = _outward_address(host == "::") or socket.gethostname()
    else:
        names.append(host)
    hostname = socket.gethostname()
    names += [address, hostname, socket.getfqdn(hostname)]
    token = secrets.token_urlsafe(18)
    reach = ("every network interface" if _is_wildcard(host) else f"the address {host}")
    warning = (f"warning: the playground listens on {reach}, port {port}: other computers on "
               "your network can reach it. It asks for the access token in the link below; "
               "share the link only with people you trust. Without --host it stays on this "
               "machine.")
    return Serving(tuple(dict.fromkeys(names)), token, f"{_url(address, port)}?token={token}",
                   warning)


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def run(args) -> int:
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
    reached = serving(args.host, port, args.allow_host)
    limits = Limits()
    app = create_app(limits, hosts=reached.hosts, token=reached.token)
    if reached.warning:
        print(f"neuralab playground: {reached.warning}", file=sys.stderr, flush=True)
    print(f"neuralab playground: {reached.url}  (Ctrl-C to stop)", flush=True)
    if not args.no_browser:
        webbrowser.open(reached.url)
    config = uvicorn.Config(app, log_level="warning", ws_max_size=limits.max_message_bytes,
                            timeout_graceful_shutdown=2)
    try:
        uvicorn.Server(config).run(sockets=[listener])
    finally:
        listener.close()
    return 0
