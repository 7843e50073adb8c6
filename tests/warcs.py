"""Build small WARC files for tests (pages are answered from WARC, never from the network)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

Page = tuple[int, str, bytes, str | None]  # status, content type, body, location


def write_warc(path: Path, pages: dict[str, Page]) -> Path:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for url, (status, content_type, body, location) in pages.items():
            headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
            if location:
                headers.append(("Location", location))
            reason = {200: "OK", 301: "Moved Permanently", 404: "Not Found", 500: "Internal Server Error"}
            http = StatusAndHeaders(f"{status} {reason.get(status, 'Status')}", headers, protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http)
            writer.write_record(record)
    return path


def html(body: str, *, title: str = "Ad", footer: str = "") -> bytes:
    return (
        f"<html lang='en'><head><title>{title}</title></head><body>"
        f"<header><nav><a href='/'>Home</a></nav></header><main><article>{body}</article></main>"
        f"<footer>{footer}</footer></body></html>"
    ).encode()
