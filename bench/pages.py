"""Real pages for benchmark pastes: the dev corpus's HTML pages, re-addressed per run."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

DEV_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"


def require_corpus(corpus: Path) -> None:
    """Stop with one clear line when the shared corpus is not beside the repository."""
    if not (corpus / "pages.warc.gz").is_file() or not (corpus / "truth.json").is_file():
        raise SystemExit(
            f"bench: the shared dev corpus is absent ({corpus} has no pages.warc.gz and truth.json); "
            "check out the project's shared material next to the repository (../shared) to run this"
        )


def dev_pages(corpus: Path = DEV_CORPUS) -> list[tuple[str, bytes]]:
    """(url, html) of every 200 HTML response in the corpus WARC."""
    require_corpus(corpus)
    pages = []
    with (corpus / "pages.warc.gz").open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            if record.http_headers.get_statuscode() != "200":
                continue
            if "html" not in (record.http_headers.get_header("Content-Type") or ""):
                continue
            pages.append((record.rec_headers.get_header("WARC-Target-URI"), record.content_stream().read()))
    return pages


def bench_warc(pages: list[tuple[str, bytes]], path: Path, *, prefix: str) -> tuple[Path, list[str]]:
    """Write the pages under new hosts (`<prefix>-<host>`) so each run pastes unseen URLs."""
    urls = []
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for url, body in pages:
            parts = urlsplit(url)
            new = urlunsplit((parts.scheme, f"{prefix}-{parts.netloc}", parts.path, parts.query, ""))
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(new, "response", payload=BytesIO(body), http_headers=headers)
            )
            urls.append(new)
    return path, urls
