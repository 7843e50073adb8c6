"""The evidence log: every network fetch appended to a WARC file (EVIDENCE_WARC), with SHA-256.

The hub keeps only a page's sha256 in the database; the bytes it analysed live here, so an
analyst can later show what the page said and that it was not altered since. Each exchange is
a `request` record plus a `response` record (`WARC-Concurrent-To` joins them) carrying
`WARC-Date` (when the answer arrived), `WARC-Payload-Digest` and `WARC-Block-Digest`, both
SHA-256 in the base32 spelling warcio and other WARC tools check.

The response body is the *decoded* body the hub analysed (its sha256 equals findings.sha256), so
`Content-Encoding`/`Transfer-Encoding` headers are dropped from the recorded response. A body
that was never read (a redirect, media the hub refuses to download, a page over the size cap)
is recorded empty and the record says so with `WARC-Truncated`.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Protocol

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from extraction.private_files import open_private

log = logging.getLogger(__name__)

# Hop-by-hop or encoding headers that would misdescribe the decoded body we store.
_DROPPED = {"content-encoding", "transfer-encoding", "content-length", "connection", "keep-alive"}
# Credentials never go into evidence that is handed to analysts.
_SECRET = {"authorization", "proxy-authorization", "cookie", "set-cookie"}


def warc_digest(data: bytes) -> str:
    """`sha256:` + base32, the WARC spelling (warcio compares any RFC 3548 spelling)."""
    return "sha256:" + base64.b32encode(hashlib.sha256(data).digest()).decode("ascii")


def sha256_of_warc_digest(digest: str) -> str | None:
    """The hex sha256 a `sha256:` WARC digest names (base32, base16 or base64); None otherwise."""
    algo, _, value = digest.partition(":")
    if algo.lower() != "sha256" or not value:
        return None
    try:
        if len(value) == 64:
            return value.lower()
        if len(value) in (52, 56):
            return base64.b32decode(value.upper() + "=" * (-len(value) % 8)).hex()
        return base64.b64decode(value + "=" * (-len(value) % 4)).hex()
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Exchange:
    """One HTTP request and what came back, as the fetcher saw it."""

    url: str
    status: int
    reason: str
    response_headers: list[tuple[str, str]]
    body: bytes
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    method: str = "GET"
    http_version: str = "HTTP/1.1"
    truncated: str | None = None  # WARC-Truncated reason when the body was not (fully) read
    date: str | None = None  # ISO time the answer arrived; now when None


class EvidenceSink(Protocol):
    def record(self, exchange: Exchange) -> str | None:
        """Keep the exchange; returns the response record's WARC-Record-ID (None if not kept)."""
        ...


def exchange_records(
    exchange: Exchange, *, gzip: bool, extra: dict[str, str] | None = None
) -> tuple[bytes, str]:
    """The response and request records of `exchange`, serialised, and the response record id.

    `extra` adds WARC header fields to the response record (e.g. which finding it is evidence of).
    """
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=gzip, warc_version="1.1")
    path = exchange.url.split("//", 1)[-1]
    target = "/" + path.split("/", 1)[1] if "/" in path else "/"
    request_http = StatusAndHeaders(
        f"{exchange.method} {target} {exchange.http_version}",
        [(k, v) for k, v in exchange.request_headers if k.lower() not in _SECRET],
        is_http_request=True,
    )
    headers = [(k, v) for k, v in exchange.response_headers if k.lower() not in _DROPPED | _SECRET]
    headers.append(("Content-Length", str(len(exchange.body))))
    response_http = StatusAndHeaders(
        f"{exchange.status} {exchange.reason}".strip(), headers, protocol=exchange.http_version
    )
    date = _warc_date(exchange.date)
    response_http.compute_headers_buffer(None)
    response_extra = {
        "WARC-Date": date,
        "WARC-Payload-Digest": warc_digest(exchange.body),
        "WARC-Block-Digest": warc_digest(response_http.headers_buff + exchange.body),
    }
    if exchange.truncated:
        response_extra["WARC-Truncated"] = exchange.truncated
    response_extra.update(extra or {})
    response = writer.create_warc_record(
        exchange.url,
        "response",
        payload=BytesIO(exchange.body),
        length=len(exchange.body),
        http_headers=response_http,
        warc_headers_dict=response_extra,
    )
    request_http.compute_headers_buffer(None)
    request = writer.create_warc_record(
        exchange.url,
        "request",
        payload=BytesIO(b""),
        length=0,
        http_headers=request_http,
        warc_headers_dict={
            "WARC-Date": date,
            "WARC-Payload-Digest": warc_digest(b""),
            "WARC-Block-Digest": warc_digest(request_http.headers_buff),
        },
    )
    writer.write_request_response_pair(request, response)
    return buffer.getvalue(), response.rec_headers.get_header("WARC-Record-ID")


def _warc_date(iso: str | None) -> str:
    moment = datetime.fromisoformat(iso) if iso else datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return datetime_to_iso_date(moment.astimezone(UTC).replace(tzinfo=None), use_micros=True)


class EvidenceWarc:
    """Appends exchanges to one WARC file; gzip per record when the name ends in `.gz`.

    Each exchange is serialised first and appended with one write under an exclusive file lock,
    so several threads or hub processes sharing the file never interleave records.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def record(self, exchange: Exchange) -> str | None:
        try:
            data, record_id = exchange_records(exchange, gzip=self.path.name.endswith(".gz"))
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock, open_private(self.path, append=True) as stream:
                fcntl.flock(stream, fcntl.LOCK_EX)
                try:
                    stream.write(data)
                    stream.flush()
                finally:
                    fcntl.flock(stream, fcntl.LOCK_UN)
            return record_id
        except OSError as exc:
            # Losing evidence must be loud, but must not lose the investigator's finding too.
            log.error("evidence WARC %s not written: %s", self.path, exc.__class__.__name__)
            return None
