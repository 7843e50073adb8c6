"""Redirect hops are judged like the first link, and connections go only to checked addresses.

"allowed.test" resolves (through the injected resolver) to 127.0.0.1, which the policy vouches
for with `allowed_addresses`; every other private address stays forbidden. The system resolver
cannot resolve "allowed.test" at all, so a successful fetch proves httpx did not look it up
again (no DNS rebinding window), and the socket guard confirms no name look-up happened.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from bot.netguard import network_blocked
from extraction.fetch.evidence import EvidenceWarc, sha256_of_warc_digest
from extraction.fetch.fetcher import FetchPolicy, NetworkFetcher
from tests.fetch.server import PageServer, ServedRequest, page_server
from tests.fetch.test_refusals import ZoneResolver

PAGE = b"<html><body><main><p>Anna, new in town. Call +31 6 12345678</p></main></body></html>"


def redirect_to(location: str) -> object:
    def route(request: ServedRequest) -> None:
        request.respond("302 Found", {"Location": location, "Content-Type": "text/html"}, b"moved")

    return route


def page(request: ServedRequest) -> None:
    request.respond("200 OK", {"Content-Type": "text/html; charset=utf-8"}, PAGE)


@pytest.fixture
def server() -> Iterator[PageServer]:
    with page_server({"/page": page, "/hop": redirect_to("/page")}) as running:
        yield running


def lab_fetcher(resolver: ZoneResolver) -> NetworkFetcher:
    return NetworkFetcher(
        FetchPolicy(timeout_s=1.0, allowed_addresses=frozenset({"127.0.0.1"})), resolver=resolver
    )


def lab_zone() -> ZoneResolver:
    return ZoneResolver({"allowed.test": ["127.0.0.1"], "internal.example.com": ["10.0.0.5"]})


FORBIDDEN_HOPS = [
    ("http://169.254.169.254/latest/meta-data/iam/", "link-local"),
    ("http://internal.example.com/admin", "resolves to a forbidden address"),
    ("http://127.0.0.2:{port}/page", "loopback"),  # answers on Linux, yet is not the vouched address
    ("http://localhost:{port}/page", "local network"),
    ("http://0x7f000001:{port}/page", "loopback"),
    ("javascript:alert(1)", "javascript: link"),
    ("file:///etc/passwd", "file: link"),
    ("http://user:pw@allowed.test:{port}/page", "user name or password"),
]


@pytest.mark.parametrize(("target", "reason_words"), FORBIDDEN_HOPS, ids=[t for t, _ in FORBIDDEN_HOPS])
def test_redirect_to_a_forbidden_target_is_refused_at_the_hop(
    server: PageServer, target: str, reason_words: str
) -> None:
    target = target.format(port=server.port)
    server.routes["/bounce"] = redirect_to(target)
    start = server.url("/bounce", host="allowed.test")
    with network_blocked(allowed={("127.0.0.1", server.port)}) as attempts:
        result = lab_fetcher(lab_zone()).fetch(start)
    assert result.outcome == "refused" and reason_words in (result.error or ""), result
    assert result.hops == [start] and result.final_url == target
    assert [request.path for request in server.served] == ["/bounce"]
    assert attempts == []


def test_the_lab_server_is_reached_by_its_name_without_a_second_lookup(server: PageServer) -> None:
    resolver = lab_zone()
    start = server.url("/hop", host="allowed.test")
    with network_blocked(allowed={("127.0.0.1", server.port)}) as attempts:
        result = lab_fetcher(resolver).fetch(start)
    assert result.outcome == "ok" and result.body == PAGE
    assert result.hops == [start, server.url("/page", host="allowed.test")]
    assert attempts == []  # no DNS look-up of "allowed.test" by httpx: it connected to the checked address
    assert resolver.asked == ["allowed.test", "allowed.test"]  # once per hop, by the fetcher
    assert [request.headers["host"] for request in server.served] == [f"allowed.test:{server.port}"] * 2


def test_a_name_answered_differently_later_cannot_rebind_the_connection(server: PageServer) -> None:
    """The classic rebinding DNS: first answer passes the check, later answers point inside."""
    answers = iter([["127.0.0.1"]])

    def rebinding(host: str) -> list[str]:
        return next(answers, ["169.254.169.254"])

    fetcher = NetworkFetcher(
        FetchPolicy(timeout_s=1.0, allowed_addresses=frozenset({"127.0.0.1"})), resolver=rebinding
    )
    with network_blocked(allowed={("127.0.0.1", server.port)}) as attempts:
        result = fetcher.fetch(server.url("/page", host="allowed.test"))
    assert result.outcome == "ok" and attempts == []


def test_each_exchange_goes_to_the_evidence_warc(server: PageServer, tmp_path: Path) -> None:
    log = tmp_path / "evidence.warc.gz"
    fetcher = NetworkFetcher(
        FetchPolicy(timeout_s=1.0, allowed_addresses=frozenset({"127.0.0.1"})),
        resolver=lab_zone(),
        evidence=EvidenceWarc(log),
    )
    result = fetcher.fetch(server.url("/hop", host="allowed.test"))
    with gzip.open(log, "rb") as stream:
        records = [
            (r.rec_headers.get_header("WARC-Target-URI"), r.http_headers.get_statuscode(), r.rec_headers)
            for r in ArchiveIterator(stream)
            if r.rec_type == "response"
        ]
    assert [(uri, status) for uri, status, _ in records] == [
        (server.url("/hop", host="allowed.test"), "302"),
        (server.url("/page", host="allowed.test"), "200"),
    ]
    assert records[0][2].get_header("WARC-Truncated") == "unspecified"  # a redirect's body is not read
    digest = sha256_of_warc_digest(records[1][2].get_header("WARC-Payload-Digest"))
    assert digest == result.sha256 == hashlib.sha256(PAGE).hexdigest()
