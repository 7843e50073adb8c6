"""Fetching a pasted page: the `Fetcher` interface and the network implementation.

Only text/HTML is ever downloaded. Every hop of a redirect chain is checked against the same
target rules before a socket is opened; host names are resolved and the addresses checked too.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import httpx

from extraction.payload import is_text_type, now_iso, sha256_hex
from extraction.targets import check_resolved_ip, refusal_reason
from extraction.types import FetchResult

USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


class Fetcher(Protocol):
    def fetch(self, url: str) -> FetchResult:
        """Fetch `url` (following redirects) and say what happened; never raises for a bad target."""
        ...


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    max_bytes: int = 2_000_000
    timeout_s: float = 10.0
    max_redirects: int = 5
    allow_private: bool = False
    proxy: str | None = None
    tor_proxy: str | None = None


Resolver = Callable[[str], list[str]]


def system_resolver(host: str) -> list[str]:
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})


class NetworkFetcher:
    """httpx with caps. Redirects are followed by hand so every hop is checked first."""

    def __init__(self, policy: FetchPolicy, *, resolver: Resolver = system_resolver) -> None:
        self.policy = policy
        self._resolver = resolver

    def _refusal(self, url: str) -> str | None:
        reason = refusal_reason(
            url, allow_private=self.policy.allow_private, tor_proxy=bool(self.policy.tor_proxy)
        )
        if reason:
            return reason
        host = urlsplit(url).hostname or ""
        if host.endswith(".onion") or self.policy.proxy:
            return None  # the proxy resolves; it must not leak the name to local DNS
        try:
            addresses = self._resolver(host)
        except (OSError, UnicodeError) as exc:
            return f"cannot resolve {host}: {exc.__class__.__name__}"
        for address in addresses:
            reason = check_resolved_ip(address, allow_private=self.policy.allow_private)
            if reason:
                return f"{host} resolves to a forbidden address: {reason}"
        return None

    def _client(self, url: str) -> httpx.Client:
        host = urlsplit(url).hostname or ""
        proxy = self.policy.tor_proxy if host.endswith(".onion") else self.policy.proxy
        timeout = httpx.Timeout(self.policy.timeout_s, connect=min(self.policy.timeout_s, 5.0))
        return httpx.Client(
            proxy=proxy,
            timeout=timeout,
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
            trust_env=False,
        )

    def fetch(self, url: str) -> FetchResult:
        hops: list[str] = []
        current = url
        for _ in range(self.policy.max_redirects + 1):
            reason = self._refusal(current)
            if reason:
                return FetchResult(url=url, outcome="refused", final_url=current, error=reason, hops=hops)
            hops.append(current)
            try:
                with self._client(current) as client, client.stream("GET", current) as response:
                    if response.is_redirect and "location" in response.headers:
                        current = urljoin(current, response.headers["location"])
                        continue
                    return self._read(url, current, response, hops)
            except httpx.TimeoutException as exc:
                return FetchResult(
                    url=url,
                    outcome="timeout",
                    final_url=current,
                    error=str(exc) or "timed out",
                    hops=hops,
                    fetched_at=now_iso(),
                )
            except (httpx.HTTPError, OSError, ValueError) as exc:
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
            error="too many redirects",
            hops=hops,
            fetched_at=now_iso(),
        )

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
            base.outcome, base.error = "not_html", f"not a page: {content_type or 'no content type'}"
            return base
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.policy.max_bytes:
            base.outcome, base.error = "too_large", f"page larger than {self.policy.max_bytes} bytes"
            return base
        chunks: list[bytes] = []
        size = 0
        deadline = time.monotonic() + self.policy.timeout_s * 3  # a slow-loris trickle ends too
        for chunk in response.iter_bytes():
            if time.monotonic() > deadline:
                base.outcome, base.error = "timeout", "page took too long to arrive"
                return base
            size += len(chunk)
            if size > self.policy.max_bytes:
                base.outcome, base.error = "too_large", f"page larger than {self.policy.max_bytes} bytes"
                return base
            chunks.append(chunk)
        body = b"".join(chunks)
        base.body, base.sha256 = body, sha256_hex(body)
        if response.status_code >= 400:
            base.outcome, base.error = "http_error", f"HTTP {response.status_code}"
        return base
