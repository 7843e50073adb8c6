"""No forbidden target is ever fetched: each refusal happens before any socket is opened.

Every case runs inside `bot.netguard.network_blocked()`, which records any connection attempt
or DNS look-up; names resolve only through the fetcher's injectable resolver, so a "public"
name pointing at a private address is tested without a DNS server.
"""

from __future__ import annotations

import pytest

from bot.netguard import network_blocked
from extraction.fetch.fetcher import FetchPolicy, NetworkFetcher


class ZoneResolver:
    """A resolver answering from a fixed zone, recording the names it was asked."""

    def __init__(self, zone: dict[str, list[str]]) -> None:
        self.zone = zone
        self.asked: list[str] = []

    def __call__(self, host: str) -> list[str]:
        self.asked.append(host)
        if host not in self.zone:
            raise OSError(f"NXDOMAIN {host}")
        return self.zone[host]


ZONE = {
    "intranet.example.com": ["10.0.0.5"],
    "metadata.example.com": ["169.254.169.254"],
    "loopback.example.com": ["127.0.0.1"],
    "router.example.com": ["192.168.1.1"],
    "docker.example.com": ["172.17.0.2"],
    "ula.example.com": ["fd00::5"],
    "v6loop.example.com": ["::1"],
    "mapped.example.com": ["::ffff:10.0.0.5"],
    "mixed.example.com": ["93.184.215.14", "10.0.0.5"],
    "public.example.com": ["93.184.215.14"],
}

# (forbidden class, URL, words the reason must contain, whether the name is resolved first)
CASES = [
    ("javascript:", "javascript:alert(document.cookie)", "javascript: link runs code", False),
    ("data:", "data:text/html,<script>alert(1)</script>", "data: link carries its content", False),
    ("file:", "file:///etc/passwd", "file: link points at a file", False),
    ("credentials", "http://admin:hunter2@example.com/", "user name or password", False),
    ("credentials (user only)", "https://example.com@10.0.0.5/", "user name or password", False),
    ("127/8", "http://127.0.0.1:8080/admin", "loopback", False),
    ("127/8 (not .1)", "http://127.45.6.7/", "loopback", False),
    ("10/8", "http://10.1.2.3/", "private-network", False),
    ("172.16/12 low", "http://172.16.0.1/", "private-network", False),
    ("172.16/12 high", "http://172.31.255.254/", "private-network", False),
    ("192.168/16", "http://192.168.1.1/", "private-network", False),
    ("169.254/16 metadata", "http://169.254.169.254/latest/meta-data/", "link-local", False),
    ("::1", "http://[::1]:8000/", "loopback", False),
    ("fc00::/7 (fc)", "http://[fc00::1]/", "private-network", False),
    ("fc00::/7 (fd)", "http://[fd12:3456:789a::1]/", "private-network", False),
    ("IPv4-mapped IPv6", "http://[::ffff:169.254.169.254]/", "link-local", False),
    (".onion without proxy", "http://expyuzz4wqqyqhjn.onion/", "Tor .onion", False),
    ("decimal IPv4", "http://2130706433/", "loopback", False),
    ("hex IPv4", "http://0x7f000001/", "loopback", False),
    ("dotted hex IPv4", "http://0x7f.0x0.0x0.0x1/", "loopback", False),
    ("short hex IPv4", "http://0xa9.254.169.254/", "link-local", False),
    ("octal IPv4", "http://0177.0.0.1/", "loopback", False),
    ("localhost", "http://localhost:3000/", "local network", False),
    ("one-label name", "http://fileserver/", "one-label name", False),
    ("name → 10/8", "http://intranet.example.com/", "resolves to a forbidden address", True),
    ("name → 169.254.169.254", "http://metadata.example.com/", "link-local", True),
    ("name → 127.0.0.1", "http://loopback.example.com/", "loopback", True),
    ("name → 192.168/16", "http://router.example.com/", "private-network", True),
    ("name → 172.16/12", "http://docker.example.com/", "private-network", True),
    ("name → fc00::/7", "http://ula.example.com/", "private-network", True),
    ("name → ::1", "http://v6loop.example.com/", "loopback", True),
    ("name → IPv4-mapped private", "http://mapped.example.com/", "private-network", True),
    ("name → one public, one private", "http://mixed.example.com/", "10.0.0.5", True),
    ("name that does not resolve", "http://nxdomain.example.com/", "cannot resolve", True),
]


@pytest.mark.parametrize(("kind", "url", "reason_words", "resolved"), CASES, ids=[c[0] for c in CASES])
def test_forbidden_target_is_refused_before_any_socket(
    kind: str, url: str, reason_words: str, resolved: bool
) -> None:
    resolver = ZoneResolver(ZONE)
    fetcher = NetworkFetcher(FetchPolicy(timeout_s=0.5), resolver=resolver)
    with network_blocked() as attempts:
        result = fetcher.fetch(url)
    assert attempts == []
    assert result.outcome == "refused", (kind, result)
    assert result.error is not None and reason_words in result.error, result.error
    assert result.body is None and result.hops == []
    assert bool(resolver.asked) == resolved  # literal addresses are judged without a look-up


def test_the_guard_would_have_seen_a_connection() -> None:
    """The control: a permitted public address does reach the socket layer, and the guard says so."""
    fetcher = NetworkFetcher(FetchPolicy(timeout_s=0.5), resolver=ZoneResolver(ZONE))
    with network_blocked() as attempts:
        result = fetcher.fetch("http://public.example.com/ad/1")
    # httpcore hands the checked *address* to getaddrinfo (a numeric look-up, no DNS query):
    # the guard stops the connection there, and never sees the name.
    assert attempts == ["dns:'93.184.215.14'"]
    assert result.outcome == "error" and result.hops == ["http://public.example.com/ad/1"]


@pytest.mark.parametrize(
    "url",
    ["http://expyuzz4wqqyqhjn.onion/", "http://expyuzz4wqqyqhjn.onion./", "http://EXPYUZZ4WQQYQHJN.ONION../"],
)
def test_onion_goes_only_to_the_tor_proxy_and_never_to_local_dns(url: str) -> None:
    resolver = ZoneResolver(ZONE)
    fetcher = NetworkFetcher(FetchPolicy(timeout_s=0.5, tor_proxy="socks5://127.0.0.1:9"), resolver=resolver)
    with network_blocked() as attempts:
        result = fetcher.fetch(url)
    assert resolver.asked == []
    assert attempts == ["dns:'127.0.0.1'"]  # the proxy's address, nothing else
    assert result.outcome == "error"


def test_vouched_address_opens_only_itself() -> None:
    """`allowed_addresses` lets one lab address through; its neighbours stay refused."""
    fetcher = NetworkFetcher(
        FetchPolicy(timeout_s=0.5, allowed_addresses=frozenset({"10.0.0.5"})), resolver=ZoneResolver(ZONE)
    )
    with network_blocked() as attempts:
        neighbour = fetcher.fetch("http://10.0.0.6/")
        vouched_name = fetcher.fetch("http://intranet.example.com/")
    assert neighbour.outcome == "refused" and "private-network" in (neighbour.error or "")
    assert vouched_name.outcome == "error"  # got as far as connecting, which the guard stopped
    assert attempts == ["dns:'10.0.0.5'"]
