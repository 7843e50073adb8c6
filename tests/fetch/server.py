"""A misbehaving web server on 127.0.0.1 for the fetcher's tests, speaking real HTTP/1.1 on a socket.

Each route is a function that writes whatever bytes it likes (slowly, too many, compressed,
never finishing). The server records every request it got and how many bytes it managed to
send before the client went away, so tests assert on what the fetcher really did on the wire.
"""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field


class ClientGone(Exception):
    """The fetcher closed the connection while the route was still sending."""


@dataclass
class ServedRequest:
    """One request as the server saw it, and what the route sent back."""

    method: str
    path: str
    headers: dict[str, str]
    connection: socket.socket = field(repr=False)
    bytes_sent: int = 0
    client_gone: bool = False
    finished: bool = False

    def send(self, data: bytes) -> None:
        try:
            self.connection.sendall(data)
        except OSError as error:
            self.client_gone = True
            raise ClientGone from error
        self.bytes_sent += len(data)

    def respond(self, status: str, headers: dict[str, str], body: bytes = b"") -> None:
        """A complete response; Content-Length is added unless the route set its own framing."""
        lines = [f"HTTP/1.1 {status}"]
        if "Content-Length" not in headers and "Transfer-Encoding" not in headers:
            headers = {**headers, "Content-Length": str(len(body))}
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)


Route = Callable[[ServedRequest], None]


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        connection: socket.socket = self.request
        connection.settimeout(5)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = connection.recv(4096)
            if not chunk:
                return
            head += chunk
        request_line, *header_lines = head.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
        method, path, _ = request_line.split(" ", 2)
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        served = ServedRequest(method, path, headers, connection)
        self.server.served.append(served)
        route = self.server.routes.get(path.split("?")[0])
        try:
            if route is None:
                served.respond("404 Not Found", {"Content-Type": "text/html"}, b"<p>no such page</p>")
            else:
                route(served)
            served.finished = True
        except ClientGone:
            pass


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, routes: dict[str, Route]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes = routes
        self.served: list[ServedRequest] = []


@dataclass
class PageServer:
    """What a test needs of a running server: its address, its routes and what it served."""

    port: int
    routes: dict[str, Route]
    served: list[ServedRequest]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def wait_until_done(self, timeout: float = 3.0) -> None:
        """Routes run in their own threads; wait until each noticed its client leaving or finished."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if all(item.finished or item.client_gone for item in self.served):
                return
            time.sleep(0.01)


@contextmanager
def page_server(routes: dict[str, Route]) -> Iterator[PageServer]:
    server = _Server(routes)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield PageServer(server.server_address[1], routes, server.served)
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def unaccepting_port() -> Iterator[int]:
    """A port whose listen queue is full, so a new connection hangs until the client gives up."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        with suppress(BlockingIOError):  # non-blocking: the handshake completes into the queue
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    time.sleep(0.05)
    try:
        yield port
    finally:
        for filler in fillers:
            filler.close()
        listener.close()
