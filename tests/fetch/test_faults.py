"""Pages that fight back: every fault ends with a clear outcome and reason, never a crash or a hang.

All served by `tests.fetch.server` on 127.0.0.1 (FetchPolicy(allow_private=True)) with small
timeouts, so each case takes well under a second or two.
"""

from __future__ import annotations

import gzip
import os
import time
import zlib
from collections.abc import Callable, Iterator

import pytest

from extraction.fetch.fetcher import ACCEPT_ENCODING, FetchPolicy, NetworkFetcher
from extraction.identifiers.kinds import identifiers_in
from extraction.page import parse_page
from extraction.types import FetchResult
from tests.fetch.server import PageServer, ServedRequest, page_server, unaccepting_port

MB = 1_000_000
CAP = 1 * MB
HUGE = 50 * MB
POLICY = FetchPolicy(allow_private=True, timeout_s=0.3, deadline_s=0.8, max_bytes=CAP, max_redirects=3)
HTML = "text/html; charset=utf-8"


Route = Callable[[ServedRequest], None]


def stream_body(content_type: str | None, total: int, declare: bool = False) -> Route:
    """`total` bytes of body in 64 KB writes; framed by closing the connection unless declared."""

    def route(request: ServedRequest) -> None:
        headers = {"Connection": "close"}
        if content_type:
            headers["Content-Type"] = content_type
        if declare:
            headers["Content-Length"] = str(total)
        # else neither Content-Length nor chunked: the body ends when the server closes
        request.send(
            ("HTTP/1.1 200 OK\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n").encode()
        )
        block = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>"
        sent = 0
        while sent < total:
            request.send(block)
            sent += len(block)

    return route


def static(status: str, headers: dict[str, str], body: bytes) -> Callable[[ServedRequest], None]:
    def route(request: ServedRequest) -> None:
        request.respond(status, headers, body)

    return route


def trickle(prefix: bytes, every: float = 0.05) -> Callable[[ServedRequest], None]:
    """Send `prefix`, then one byte at a time, for ever: each read succeeds inside the read timeout."""

    def route(request: ServedRequest) -> None:
        request.send(prefix)
        while True:
            time.sleep(every)
            request.send(b"a")

    return route


def silent(request: ServedRequest) -> None:
    time.sleep(0.6)  # longer than the read timeout; the response never starts in time
    request.respond("200 OK", {"Content-Type": HTML}, b"too late")


def loop(request: ServedRequest) -> None:
    request.respond("302 Found", {"Location": "/loop", "Content-Length": "0"})


def gzipped(data: bytes, times: int = 1) -> bytes:
    for _ in range(times):
        data = gzip.compress(data, compresslevel=9)
    return data


PAGE = b"<html><body><main><p>Anna, new in town: anna@example.com</p></main></body></html>"
BOMB = gzipped(b" " * HUGE)  # ~50 KB on the wire, 50 MB decoded
RAW_DEFLATE = zlib.compressobj(wbits=-zlib.MAX_WBITS)
DEFLATED_RAW = RAW_DEFLATE.compress(PAGE) + RAW_DEFLATE.flush()

ROUTES: dict[str, Callable[[ServedRequest], None]] = {
    "/silent": silent,
    "/500": static("500 Internal Server Error", {"Content-Type": HTML}, b"<h1>oops</h1>"),
    "/loop": loop,
    "/huge": stream_body(HTML, HUGE),
    "/huge-declared": stream_body(HTML, HUGE, declare=True),
    "/image": stream_body("image/jpeg", HUGE, declare=True),
    "/video": stream_body("video/mp4", HUGE),
    "/untyped": stream_body(None, HUGE),
    "/octets": static("200 OK", {"Content-Type": "application/octet-stream"}, os.urandom(4096)),
    "/binary-as-html": static("200 OK", {"Content-Type": HTML}, os.urandom(4096) + PAGE),
    "/trickle-body": trickle(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 99999\r\n\r\n"),
    "/trickle-headers": trickle(b"HTTP/1.1 200 OK\r\nX-Slow: "),
    "/bad-utf8": static(
        "200 OK", {"Content-Type": HTML}, b"<main><p>caf\xc3 \xff\xfe (\xe2\x82 anna@example.com</p></main>"
    ),
    "/malformed": static(
        "200 OK",
        {"Content-Type": HTML},
        b"<html><body><div><p>Anna <b>new <i>in</b> town</i><table><tr><td>mail: anna@example.com"
        b"<td><a href='tel:+31612345678'>call<div></span></p></body></html><<<<!-- never closed",
    ),
    "/bomb": static("200 OK", {"Content-Type": HTML, "Content-Encoding": "gzip"}, BOMB),
    "/bomb-stacked": static(
        "200 OK", {"Content-Type": HTML, "Content-Encoding": "gzip, gzip"}, gzipped(b" " * HUGE, 2)
    ),
    "/gzip": static("200 OK", {"Content-Type": HTML, "Content-Encoding": "gzip"}, gzipped(PAGE)),
    "/deflate-raw": static("200 OK", {"Content-Type": HTML, "Content-Encoding": "deflate"}, DEFLATED_RAW),
    "/gzip-corrupt": static(
        "200 OK", {"Content-Type": HTML, "Content-Encoding": "gzip"}, gzipped(PAGE)[:12] + b"garbage!" * 8
    ),
    "/brotli": static("200 OK", {"Content-Type": HTML, "Content-Encoding": "br"}, b"\x1b\x00\x00"),
}


@pytest.fixture(scope="module")
def server() -> Iterator[PageServer]:
    with page_server(ROUTES) as running:
        yield running


def fetch(server: PageServer, path: str) -> tuple[FetchResult, float, ServedRequest]:
    before = len(server.served)
    started = time.monotonic()
    result = NetworkFetcher(POLICY).fetch(server.url(path))
    elapsed = time.monotonic() - started
    server.wait_until_done()
    return result, elapsed, server.served[before]


def test_connect_timeout() -> None:
    with unaccepting_port() as port:
        started = time.monotonic()
        result = NetworkFetcher(POLICY).fetch(f"http://127.0.0.1:{port}/")
    assert result.outcome == "timeout"
    assert result.error == "the server did not accept a connection within 0.3 s"
    assert time.monotonic() - started < 0.8


def test_read_timeout(server: PageServer) -> None:
    result, elapsed, _ = fetch(server, "/silent")
    assert (result.outcome, result.error) == ("timeout", "the server went silent for 0.3 s")
    assert elapsed < 0.6


def test_server_error_is_an_http_error_with_its_page(server: PageServer) -> None:
    result, _, _ = fetch(server, "/500")
    assert (result.outcome, result.status, result.error) == ("http_error", 500, "HTTP 500")
    assert result.body == b"<h1>oops</h1>"


def test_redirect_loop_stops_after_max_redirects(server: PageServer) -> None:
    before = len(server.served)
    result, _, _ = fetch(server, "/loop")
    assert (result.outcome, result.error) == ("error", "too many redirects (more than 3)")
    assert len(server.served) - before == 4 and len(result.hops) == 4


@pytest.mark.parametrize("path", ["/huge", "/huge-declared"])
def test_a_50_mb_page_stops_at_the_cap_without_being_read(server: PageServer, path: str) -> None:
    result, _, served = fetch(server, path)
    assert (result.outcome, result.error) == ("too_large", f"page larger than {CAP} bytes")
    assert result.body is None
    assert served.client_gone and served.bytes_sent < HUGE // 4, served.bytes_sent


@pytest.mark.parametrize(
    ("path", "content_type"), [("/image", "image/jpeg"), ("/video", "video/mp4"), ("/untyped", None)]
)
def test_media_and_untyped_bodies_are_never_downloaded(
    server: PageServer, path: str, content_type: str | None
) -> None:
    result, _, served = fetch(server, path)
    assert result.outcome == "not_html" and result.body is None
    assert result.error == f"not a page: {content_type or 'no content type'}"
    # The connection is closed unread: only what kernel buffers took before the close was sent.
    assert served.client_gone and served.bytes_sent < HUGE // 4, served.bytes_sent


def test_binary_bodies(server: PageServer) -> None:
    octets, _, _ = fetch(server, "/octets")
    assert (octets.outcome, octets.error) == ("not_html", "not a page: application/octet-stream")
    disguised, _, _ = fetch(server, "/binary-as-html")
    assert disguised.outcome == "ok" and disguised.body is not None
    parsed = parse_page(disguised.body, disguised.final_url or "", disguised.content_type)
    assert "anna@example.com" in parsed.body


@pytest.mark.parametrize("path", ["/trickle-body", "/trickle-headers"])
def test_slow_loris_ends_by_the_overall_deadline(server: PageServer, path: str) -> None:
    result, elapsed, served = fetch(server, path)
    assert result.outcome == "timeout"
    assert result.error == "the whole fetch took longer than its deadline"
    assert 0.75 < elapsed < 1.3  # the trickle never trips the 0.3 s read timeout; the 0.8 s deadline ends it
    assert served.client_gone


def test_invalid_utf8_is_read_and_parsed(server: PageServer) -> None:
    result, _, _ = fetch(server, "/bad-utf8")
    assert result.outcome == "ok" and result.body is not None
    parsed = parse_page(result.body, result.final_url or "", result.content_type)
    assert "\ufffd" in parsed.body and "anna@example.com" in parsed.body


def test_malformed_html_still_gives_its_identifiers(server: PageServer) -> None:
    result, _, _ = fetch(server, "/malformed")
    assert result.outcome == "ok" and result.body is not None
    parsed = parse_page(result.body, result.final_url or "", result.content_type)
    values = {i.value for i in identifiers_in(parsed.body, parsed.links, ["NL"])}
    assert {"anna@example.com", "+31612345678"} <= values


def test_the_cap_applies_to_decoded_bytes_of_a_gzip_bomb(server: PageServer) -> None:
    assert len(BOMB) < CAP  # on the wire it is small: only the decoded size can trip the cap
    result, _, _ = fetch(server, "/bomb")
    assert (result.outcome, result.error) == ("too_large", f"page larger than {CAP} bytes")


@pytest.mark.parametrize(("path", "encoding"), [("/bomb-stacked", "gzip, gzip"), ("/brotli", "br")])
def test_encodings_the_hub_did_not_ask_for_are_refused(server: PageServer, path: str, encoding: str) -> None:
    result, _, served = fetch(server, path)
    assert (result.outcome, result.error) == ("error", f"unsupported content encoding: {encoding}")
    assert served.headers["accept-encoding"] == ACCEPT_ENCODING == "gzip, deflate"


@pytest.mark.parametrize("path", ["/gzip", "/deflate-raw"])
def test_compressed_pages_are_decoded(server: PageServer, path: str) -> None:
    result, _, _ = fetch(server, path)
    assert result.outcome == "ok" and result.body == PAGE


def test_a_corrupt_gzip_body_is_an_error(server: PageServer) -> None:
    result, _, _ = fetch(server, "/gzip-corrupt")
    assert result.outcome == "error" and (result.error or "").startswith("the gzip body is corrupt")
