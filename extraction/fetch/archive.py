"""A `Fetcher` that answers from WARC files: for `hub replay`, tests and evidence re-checks.

It opens no network connection, ever. A URL absent from the archives is "not_fetched". A file
that ends inside a record or is corrupt raises `ArchiveDamaged` with the byte offset where the
damage starts, before any page is answered: a replay over half an archive would store the other
half's pages as never fetched.
Lookup is exact first, then by a loose key (scheme, `www.`/`m.`, default port, fragment,
tracking parameters, query order and trailing slash ignored), as a live web server would
answer those spellings with the same page.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from extraction.fetch.payload import is_text_type, sha256_hex
from extraction.types import FetchResult

_TRACKING = re.compile(r"^(utm_.*|fbclid|gclid|igshid|si|ref|ref_src|mc_[a-z]+|_ga|yclid|msclkid)$", re.I)


class ArchiveDamaged(ValueError):
    """A WARC file that ends early or is corrupt; the message names the file and the offset."""


def gzip_damage(path: Path, *, chunk: int = 1 << 20) -> str | None:
    """Where a gzip WARC (one member per record) is cut off or corrupt, or None when every member
    is complete. warcio stops quietly at a truncated member, so the members are checked here."""
    with path.open("rb") as stream:
        start = position = 0
        inflate = zlib.decompressobj(wbits=31)
        while data := stream.read(chunk):
            while data:
                try:
                    inflate.decompress(data)
                except zlib.error:
                    return f"{path.name} is corrupt at byte {start}"
                if not inflate.eof:
                    position += len(data)
                    break
                used = len(data) - len(inflate.unused_data)
                position += used
                start, data = position, inflate.unused_data
                inflate = zlib.decompressobj(wbits=31)
        if position > start:
            return f"{path.name} is cut off at byte {start} (it ends inside a record)"
    return None


@dataclass(frozen=True, slots=True)
class ArchivedResponse:
    uri: str
    status: int
    content_type: str | None
    location: str | None
    body: bytes
    date: str | None


def loose_key(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    for prefix in ("www.", "m.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    port = parts.port if parts.port not in (None, 80, 443) else None
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k))
    )
    path = parts.path.rstrip("/")
    return f"{host}{f':{port}' if port else ''}{path}?{query}"


class WarcArchive:
    """Fetcher over one or more WARC files (response records indexed by target URI)."""

    def __init__(self, paths: Iterable[Path], *, max_redirects: int = 5) -> None:
        self.max_redirects = max_redirects
        self._exact: dict[str, ArchivedResponse] = {}
        self._loose: dict[str, ArchivedResponse] = {}
        for path in paths:
            self._load(Path(path))

    def _load(self, path: Path) -> None:
        with path.open("rb") as stream:
            gzipped = stream.read(2) == b"\x1f\x8b"
        damage = gzip_damage(path) if gzipped else None
        if damage:
            raise ArchiveDamaged(damage)
        with path.open("rb") as stream:
            records = ArchiveIterator(stream)
            try:
                self._index(records)
            except (ArchiveLoadFailed, zlib.error, EOFError) as exc:
                offset = records.member_info[0] if records.member_info else records.offset
                raise ArchiveDamaged(
                    f"{path.name} is corrupt at byte {offset} ({exc.__class__.__name__})"
                ) from None

    def _index(self, records: ArchiveIterator) -> None:
        for record in records:
            if record.rec_type != "response":
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI")
            http = record.http_headers
            if not uri or http is None:
                continue
            archived = ArchivedResponse(
                uri=uri,
                status=int(http.get_statuscode() or 0),
                content_type=http.get_header("Content-Type"),
                location=http.get_header("Location"),
                body=record.content_stream().read(),
                date=record.rec_headers.get_header("WARC-Date"),
            )
            self._exact.setdefault(uri, archived)
            key = loose_key(uri)
            # Several spellings can share a loose key (an http→https 301 and the page):
            # the page itself answers the loose lookup.
            known = self._loose.get(key)
            if known is None or (known.status != 200 and archived.status == 200):
                self._loose[key] = archived

    def __len__(self) -> int:
        return len(self._exact)

    def lookup(self, url: str) -> ArchivedResponse | None:
        try:
            return self._exact.get(url) or self._loose.get(loose_key(url))
        except ValueError:
            return None

    def fetch(self, url: str) -> FetchResult:
        hops: list[str] = []
        current = url
        for _ in range(self.max_redirects + 1):
            archived = self.lookup(current)
            if archived is None:
                return FetchResult(
                    url=url,
                    outcome="not_fetched",
                    final_url=None,
                    hops=hops,
                    error="not in the web archive (replay opens no network connection)",
                )
            hops.append(archived.uri)
            if 300 <= archived.status < 400 and archived.location:
                current = urljoin(archived.uri, archived.location)
                continue
            return self._result(url, archived, hops)
        return FetchResult(url=url, outcome="error", final_url=current, error="too many redirects", hops=hops)

    @staticmethod
    def _result(url: str, archived: ArchivedResponse, hops: list[str]) -> FetchResult:
        result = FetchResult(
            url=url,
            outcome="ok",
            status=archived.status,
            final_url=archived.uri,
            content_type=archived.content_type,
            fetched_at=archived.date,
            hops=hops,
        )
        if not is_text_type(archived.content_type):
            result.outcome, result.error = (
                "not_html",
                f"not a page: {archived.content_type or 'no content type'}",
            )
            return result
        result.body, result.sha256 = archived.body, sha256_hex(archived.body)
        if archived.status >= 400:
            result.outcome, result.error = "http_error", f"HTTP {archived.status}"
        return result
