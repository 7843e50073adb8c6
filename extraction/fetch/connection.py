"""The only way a fetch opens a connection: to an address already checked, ending by a deadline.

Two holes a plain `httpx.Client` leaves open, closed here at the socket layer:

- DNS rebinding (time-of-check/time-of-use): the fetcher resolves a host and checks every
  address, but httpx would resolve the name *again* when it connects, and a hostile DNS server
  can answer "public" the first time and "169.254.169.254" the second. `CheckedBackend`
  connects to the addresses the fetcher checked and never resolves a name itself; the URL
  keeps its host name, so the Host header, TLS SNI and certificate check are unchanged.
- Slow-loris: httpx's timeouts are per read, so a server that trickles one byte just inside
  the read timeout (in the headers or the body) keeps a fetch alive for ever. Every read,
  write and connect here is given at most the time left until the fetch's deadline.

Through a proxy the proxy does the resolving (a `.onion` name must never reach local DNS), so
`CheckedBackend` is built with `pinned=None` and only connects to the configured proxy.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import httpcore
import httpx
from socksio.exceptions import SOCKSError

DEADLINE_PASSED = "the whole fetch took longer than its deadline"
SocketOption = tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self._inner = inner
        self._deadline = deadline

    def _budget(self, timeout: float | None, error: type[httpcore.TimeoutException]) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise error(DEADLINE_PASSED)
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            return self._inner.read(max_bytes, self._budget(timeout, httpcore.ReadTimeout))
        except httpcore.ReadTimeout as error:
            raise self._which_timeout(error) from error

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        try:
            self._inner.write(buffer, self._budget(timeout, httpcore.WriteTimeout))
        except httpcore.WriteTimeout as error:
            raise self._which_timeout(error) from error

    def _which_timeout(self, error: httpcore.TimeoutException) -> httpcore.TimeoutException:
        """Say "deadline" when the deadline, not the server's silence, cut the wait short."""
        if time.monotonic() >= self._deadline:
            return type(error)(DEADLINE_PASSED)
        return error

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        budget = self._budget(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, budget), self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class CheckedBackend(httpcore.NetworkBackend):
    """Connects a host name only to the addresses it was given; never resolves a name itself.

    `pinned` maps a host, spelled as it goes on the wire (lower case, punycode), to the
    addresses the fetcher checked. None means "through a proxy": connect where httpcore says
    (the configured proxy), still within the deadline.
    """

    def __init__(self, pinned: Mapping[str, Sequence[str]] | None, deadline: float) -> None:
        self._pinned = pinned
        self._deadline = deadline
        self._system = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = [host] if self._pinned is None else list(self._pinned.get(host.lower(), ()))
        if not addresses:
            raise httpcore.ConnectError(f"{host} was not checked before connecting; not connecting")
        failure: httpcore.ConnectError | None = None
        for address in addresses:  # the next checked address when one does not answer
            left = self._deadline - time.monotonic()
            if left <= 0:
                raise httpcore.ConnectTimeout(DEADLINE_PASSED)
            try:
                stream = self._system.connect_tcp(
                    address,
                    port,
                    timeout=left if timeout is None else min(timeout, left),
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectTimeout:
                raise
            except httpcore.ConnectError as error:
                failure = error
                continue
            return DeadlineStream(stream, self._deadline)
        assert failure is not None
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("fetches never use Unix sockets")

    def sleep(self, seconds: float) -> None:
        self._system.sleep(min(seconds, max(0.0, self._deadline - time.monotonic())))


# Every failure httpcore raises, mapped to httpx's exception of the same name so the fetcher
# catches one family (httpx keeps this mapping private, hence this small copy).
_CORE_ERRORS = (
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.TimeoutException,
    httpcore.ProxyError,
    httpcore.UnsupportedProtocol,
    SOCKSError,  # a SOCKS proxy that answers bytes socksio cannot read (httpcore lets it through)
)


def _as_httpx(error: Exception) -> Exception:
    if isinstance(error, SOCKSError):
        return httpx.ProxyError(f"the SOCKS proxy answered malformed bytes ({error})")
    for cls in type(error).__mro__:
        mapped = getattr(httpx, cls.__name__, None)
        if isinstance(mapped, type) and issubclass(mapped, httpx.TransportError):
            return mapped(str(error) or cls.__name__)
    return error


class _CheckedResponseBody(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._stream
        except _CORE_ERRORS as error:
            raise _as_httpx(error) from error

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class CheckedTransport(httpx.BaseTransport):
    """An httpx transport over an httpcore pool that uses `CheckedBackend` (direct or via a proxy)."""

    def __init__(self, backend: CheckedBackend, *, proxy: str | None = None) -> None:
        context = httpx.create_ssl_context()
        self._pool: httpcore.ConnectionPool
        if proxy is None:
            self._pool = httpcore.ConnectionPool(ssl_context=context, network_backend=backend)
        elif proxy.startswith(("socks5://", "socks5h://")):
            url = httpx.URL(proxy)
            self._pool = httpcore.SOCKSProxy(
                proxy_url=httpcore.URL(scheme=b"socks5", host=url.raw_host, port=url.port, target=b"/"),
                proxy_auth=_userinfo(url),
                ssl_context=context,
                network_backend=backend,
            )
        else:
            url = httpx.URL(proxy)
            self._pool = httpcore.HTTPProxy(
                proxy_url=httpcore.URL(
                    scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
                ),
                proxy_auth=_userinfo(url),
                ssl_context=context,
                network_backend=backend,
            )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        try:
            response = self._pool.handle_request(core_request)
        except _CORE_ERRORS as error:
            raise _as_httpx(error) from error
        assert isinstance(response.stream, Iterable)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_CheckedResponseBody(response.stream),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


def _userinfo(url: httpx.URL) -> tuple[bytes, bytes] | None:
    if not url.username:
        return None
    return url.username.encode(), url.password.encode() if url.password else b""
