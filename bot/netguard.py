"""An in-process socket guard: `hub replay --warc` opens no network connection at all.

Only the database's own address stays reachable (and Unix sockets). Anything else raises
before a packet leaves, including DNS look-ups.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class NetworkBlocked(OSError):
    pass


@contextmanager
def network_blocked(allowed: set[tuple[str, int]] = frozenset()) -> Iterator[list[str]]:  # type: ignore[assignment]
    """Within the block, connecting anywhere but `allowed` raises; yields the refused attempts."""
    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo
    allowed_hosts = {host for host, _ in allowed}

    def permitted(sock: socket.socket, address: Any) -> bool:
        if sock.family == getattr(socket, "AF_UNIX", None):
            return True
        return isinstance(address, tuple) and (str(address[0]), int(address[1])) in allowed

    def connect(sock: socket.socket, address: Any) -> None:
        if not permitted(sock, address):
            attempts.append(repr(address))
            raise NetworkBlocked(f"network blocked during replay: {address!r}")
        real_connect(sock, address)

    def connect_ex(sock: socket.socket, address: Any) -> int:
        if not permitted(sock, address):
            attempts.append(repr(address))
            raise NetworkBlocked(f"network blocked during replay: {address!r}")
        return real_connect_ex(sock, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in allowed_hosts:
            attempts.append(f"dns:{host!r}")
            raise NetworkBlocked(f"network blocked during replay: name lookup of {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign,assignment]
    socket.getaddrinfo = getaddrinfo
    try:
        yield attempts
    finally:
        socket.socket.connect = real_connect  # type: ignore[method-assign,assignment]
        socket.socket.connect_ex = real_connect_ex  # type: ignore[method-assign,assignment]
        socket.getaddrinfo = real_getaddrinfo
