"""Fetching a pasted page: the `Fetcher` interface and the network implementation.

Only text/HTML is ever downloaded: the Content-Type is read before the body, and anything else
is closed unread. Every hop of a redirect chain is checked against the same target rules
before a socket is opened; host names are resolved once, every address is checked, and the
connection goes to those checked addresses only (`extraction.connection`), so a DNS answer
that changes between check and connect (rebinding) cannot redirect the bot to an internal
address. The body is capped in *decoded* bytes and decoded a bounded slice at a time, so a
gzip bomb costs at most the cap. The whole fetch, every hop included, ends by one deadline.

Limits: the resolver itself (the system's `getaddrinfo`) is not bounded by the deadline; its
own timeouts apply. Through `FETCH_PROXY` the proxy resolves and connects, so the address
checks are the proxy's business there.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import httpx

from extraction.analyse import csam_stop
from extraction.fetch.connection import DEADLINE_PASSED, CheckedBackend, CheckedTransport
from extraction.fetch.decoding import PageTooLarge, content_decoder
from extraction.fetch.evidence import EvidenceSink, Exchange
from extraction.fetch.payload import is_text_type, now_iso, sha256_hex
from extraction.fetch.targets import check_resolved_ip, is_onion, refusal_reason
from extraction.types import FetchResult

USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
# Only what `extraction.decoding` can decode with a cap; no brotli/zstd.
ACCEPT_ENCODING = "gzip, deflate"
ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9"


class Fetcher(Protocol):
    def fetch(self, url: str) -> FetchResult:
        """Fetch `url` (following redirects) and say what happened; never raises for a bad target."""
        ...


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Caps and permissions of one fetcher.

    `allowed_addresses` are private addresses the operator vouches for (a lab's own test
    server, spelled as IPs): a name resolving to one, or a link to one, may be fetched while
    every other loopback/private/link-local address stays refused — unlike `allow_private`,
    which opens them all. `deadline_s` bounds the whole fetch (every hop, headers and body);
    None means three times `timeout_s`.
    """

    max_bytes: int = 2_000_000
    timeout_s: float = 10.0
    max_redirects: int = 5
    allow_private: bool = False
    proxy: str | None = None
    tor_proxy: str | None = None
    allowed_addresses: frozenset[str] = frozenset()
    deadline_s: float | None = None


Resolver = Callable[[str], list[str]]


def system_resolver(host: str) -> list[str]:
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})


def _ip_literal(host: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(host or ""))
    except ValueError:
        return None


def _ipv4_first(addresses: list[str]) -> list[str]:
    # Many hosts have no IPv6 route; trying IPv4 first avoids a connect timeout per fetch.
    return sorted(addresses, key=lambda address: ":" in address)


class NetworkFetcher:
    """httpx with caps. Redirects are followed by hand so every hop is checked first."""

    def __init__(
        self,
        policy: FetchPolicy,
        *,
        resolver: Resolver = system_resolver,
        evidence: EvidenceSink | None = None,
    ) -> None:
        self.policy = policy
        self._resolver = resolver
        self._evidence = evidence
        self._timeout = httpx.Timeout(policy.timeout_s, connect=min(policy.timeout_s, 5.0))
        self._vouched = {ipaddress.ip_address(address) for address in policy.allowed_addresses}

    def _is_vouched(self, address: str | None) -> bool:
        try:
            return ipaddress.ip_address(address or "") in self._vouched
        except ValueError:
            return False

    def _proxy_for(self, wire_host: str) -> str | None:
        return self.policy.tor_proxy if is_onion(wire_host) else self.policy.proxy

    def _check(self, url: str) -> tuple[str | None, dict[str, list[str]]]:
        """Why `url` must not be fetched, else the checked addresses a connection may use.

        The address map is empty when a proxy will connect instead (it resolves the name).
        """
        literal = _ip_literal(urlsplit(url.strip()).hostname)
        reason = refusal_reason(
            url,
            allow_private=self.policy.allow_private or self._is_vouched(literal),
            tor_proxy=bool(self.policy.tor_proxy),
        )
        if reason:
            return reason, {}
        try:
            wire_host = httpx.URL(url.strip()).raw_host.decode("ascii").lower()
        except (httpx.InvalidURL, UnicodeError) as error:
            return f"the link is malformed ({error})", {}
        if self._proxy_for(wire_host):
            return None, {}  # the proxy resolves; the name must not leak to local DNS
        if literal:
            addresses = [literal]
        else:
            try:
                addresses = self._resolver(wire_host)
            except (OSError, UnicodeError) as error:
                return f"cannot resolve {wire_host}: {lookup_problem(error)}", {}
        if not addresses:
            return f"{wire_host} does not resolve to any address", {}
        for address in addresses:
            reason = None if self._is_vouched(address) else self._address_reason(address)
            if reason:
                return f"{wire_host} resolves to a forbidden address: {reason}", {}
        return None, {wire_host: _ipv4_first(addresses)}

    def _address_reason(self, address: str) -> str | None:
        return check_resolved_ip(address, allow_private=self.policy.allow_private)

    @contextmanager
    def _exchange(self, url: str, pinned: dict[str, list[str]], deadline: float) -> Iterator[httpx.Response]:
        """One GET on a fresh connection, its body not yet read.

        Not through `httpx.Client`: its redirect bookkeeping parses every Location header
        eagerly and raises on a `javascript:` one before the hop can be judged and refused.
        """
        request = httpx.Request(
            "GET",
            url,
            headers={"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING},
            extensions={"timeout": self._timeout.as_dict()},
        )
        proxy = self._proxy_for(request.url.raw_host.decode("ascii").lower())
        with CheckedTransport(CheckedBackend(None if proxy else pinned, deadline), proxy=proxy) as transport:
            response = transport.handle_request(request)
            response.request = request
            try:
                yield response
            finally:
                response.close()

    def fetch(self, url: str) -> FetchResult:
        deadline = time.monotonic() + (self.policy.deadline_s or self.policy.timeout_s * 3)
        pending: list[Exchange] = []  # kept only once the page is known not to be stopped
        try:
            return self._follow(url, deadline, pending)
        finally:
            for exchange in pending:
                if self._evidence is not None:
                    self._evidence.record(exchange)

    def _follow(self, url: str, deadline: float, pending: list[Exchange]) -> FetchResult:
        hops: list[str] = []
        current = url
        for _ in range(self.policy.max_redirects + 1):
            reason, pinned = self._check(current)
            if reason:
                return FetchResult(url=url, outcome="refused", final_url=current, error=reason, hops=hops)
            hops.append(current)
            try:
                with self._exchange(current, pinned, deadline) as response:
                    if response.is_redirect and "location" in response.headers:
                        pending.append(_exchange(current, response, None, "unspecified"))
                        current = urljoin(current, response.headers["location"])
                        continue
                    result = self._read(url, current, response, hops)
                    unread = "length" if result.outcome == "too_large" else "unspecified"
                    pending.append(_exchange(current, response, result.body, unread))
                    if csam_stop(result, url):  # CSAM policy: no record of any hop is kept
                        pending.clear()
                    return result
            except httpx.TimeoutException as exc:
                return FetchResult(
                    url=url,
                    outcome="timeout",
                    final_url=current,
                    error=self._timeout_reason(exc),
                    hops=hops,
                    fetched_at=now_iso(),
                )
            except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
                return FetchResult(
                    url=url,
                    outcome="error",
                    final_url=current,
                    error=f"{exc.__class__.__name__}: {exc}"[:300],
                    hops=hops,
                    fetched_at=now_iso(),
                )
        return FetchResult(
            url=url,
            outcome="error",
            final_url=current,
            error=f"too many redirects (more than {self.policy.max_redirects})",
            hops=hops,
            fetched_at=now_iso(),
        )

    def _timeout_reason(self, exc: httpx.TimeoutException) -> str:
        if str(exc) == DEADLINE_PASSED:
            return DEADLINE_PASSED
        if isinstance(exc, httpx.ConnectTimeout):
            return f"the server did not accept a connection within {self.policy.timeout_s:g} s"
        return f"the server went silent for {self.policy.timeout_s:g} s"

    def _read(self, url: str, final: str, response: httpx.Response, hops: list[str]) -> FetchResult:
        content_type = response.headers.get("content-type")
        base = FetchResult(
            url=url,
            outcome="ok",
            status=response.status_code,
            final_url=final,
            content_type=content_type,
            hops=hops,
            fetched_at=now_iso(),
        )
        if not is_text_type(content_type):
            # Closed unread: images and video never reach the bot's disk or memory.
            base.outcome, base.error = "not_html", f"not a page: {content_type or 'no content type'}"
            return base
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.policy.max_bytes:
            base.outcome, base.error = "too_large", f"page larger than {self.policy.max_bytes} bytes"
            return base
        encoding = response.headers.get("content-encoding", "")
        decoder = content_decoder(encoding, self.policy.max_bytes)
        if decoder is None:
            base.outcome, base.error = "error", f"unsupported content encoding: {encoding}"
            return base
        chunks: list[bytes] = []
        try:
            for raw in response.iter_raw():
                chunks.append(decoder.decode(raw))
        except PageTooLarge:
            base.outcome, base.error = "too_large", f"page larger than {self.policy.max_bytes} bytes"
            return base
        except zlib.error as error:
            base.outcome, base.error = "error", f"the {encoding} body is corrupt ({error})"
            return base
        body = b"".join(chunks)
        base.body, base.sha256 = body, sha256_hex(body)
        if response.status_code >= 400:
            base.outcome, base.error = "http_error", f"HTTP {response.status_code}"
        return base


def _exchange(url: str, response: httpx.Response, body: bytes | None, unread: str) -> Exchange:
    """The exchange as the evidence WARC keeps it; a body never read is kept empty and marked."""
    return Exchange(
        url=url,
        status=response.status_code,
        reason=response.reason_phrase,
        response_headers=list(response.headers.multi_items()),
        body=body or b"",
        request_headers=list(response.request.headers.multi_items()),
        http_version=response.http_version,
        truncated=None if body is not None else unread,
        date=now_iso(),
    )


def lookup_problem(error: OSError | UnicodeError) -> str:
    """A failed name lookup in words a participant understands (not `gaierror`)."""
    if isinstance(error, UnicodeError):
        return "the host name cannot be spelled for DNS"
    if isinstance(error, socket.gaierror) and error.errno in (
        socket.EAI_NONAME,
        getattr(socket, "EAI_NODATA", -5),
    ):
        return "no such host (the name does not exist, or no longer)"
    if isinstance(error, socket.gaierror) and error.errno == socket.EAI_AGAIN:
        return "the name servers did not answer; try again later"
    return "the name lookup failed"
