"""A SOCKS proxy that answers garbage: `fetch()` returns an error result, it never raises."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from extraction.fetch.fetcher import FetchPolicy, NetworkFetcher

REPLIES = {
    "not socks at all": b"HTTP/1.1 400 Bad Request\r\n\r\n",
    "wrong version": b"\x04\x00",
    "bad auth method then garbage": b"\x05\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
    "short reply": b"\x05",
}


@pytest.fixture(params=sorted(REPLIES))
def garbage_socks(request: pytest.FixtureRequest) -> Iterator[str]:
    """A listener on 127.0.0.1 that answers every SOCKS greeting with the same wrong bytes."""
    reply = REPLIES[request.param]
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(5)

    def serve() -> None:
        try:
            while True:
                conn, _ = server.accept()
                with conn:
                    conn.recv(64)
                    conn.sendall(reply)
                    if reply == b"\x05\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff":
                        conn.recv(256)  # the connect request, answered by nothing sensible
        except OSError:
            return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"socks5h://127.0.0.1:{server.getsockname()[1]}"
    server.close()
    thread.join(timeout=5)


def test_a_malformed_socks_reply_is_an_error_result(garbage_socks: str) -> None:
    fetcher = NetworkFetcher(FetchPolicy(timeout_s=2, tor_proxy=garbage_socks))
    result = fetcher.fetch("http://expyuzz4wqqyqhjn.onion/")
    assert result.outcome in ("error", "timeout")
    assert result.error
