"""`hub analyse`: the extraction of saved pages, one JSON line each, without a chat or a database.

For analysts re-checking pages and for measuring the extraction on its own. Each line holds the
page's URL, platform kind, identifiers (with the span of their spelling in the page's extracted
text: title, meta description and body joined by newlines, as extraction reads it), indicators
with their quotes, the THB-suspect score and the milliseconds the analysis took. A page the
CSAM policy stops gives only that fact (its reason code and the time): nothing of its content.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from extraction import page
from extraction.analyse import analyse_page, region_hints
from extraction.fetch.archive import WarcArchive
from extraction.types import FetchResult, Identifier

_CONTEXT = 40


def analyse_files(
    paths: Iterable[Path], *, url: str | None = None, country: str | None = None
) -> Iterator[dict[str, Any]]:
    """One report per saved HTML file; its URL is `url` (one file only) or the file's own URI."""
    for path in paths:
        where = url or path.resolve().as_uri()
        fetched = FetchResult(
            url=where,
            outcome="ok",
            status=200,
            final_url=where,
            content_type="text/html",
            body=path.read_bytes(),
        )
        yield page_report(fetched, where, country=country)


def analyse_warc(
    path: Path, *, url: str | None = None, country: str | None = None
) -> Iterator[dict[str, Any]]:
    """One report per page of a WARC file (redirects followed), or for `url` alone.

    The archive is read (and a damaged one refused) before the first report.
    """
    archive = WarcArchive([path])
    targets = [url] if url else warc_pages(path)
    return (page_report(archive.fetch(target), target, country=country) for target in targets)


def warc_pages(path: Path) -> list[str]:
    """Target URIs of a WARC's response records that are pages, not redirects, in file order."""
    from warcio.archiveiterator import ArchiveIterator

    found: list[str] = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            uri = record.rec_headers.get_header("WARC-Target-URI")
            http = record.http_headers
            status = int(http.get_statuscode() or 0) if http is not None else 0
            if record.rec_type == "response" and uri and not 300 <= status < 400 and uri not in found:
                found.append(uri)
    return found


def page_report(fetched: FetchResult, url: str, *, country: str | None = None) -> dict[str, Any]:
    """The JSON-ready report of one fetched page (see the module docstring)."""
    started = time.perf_counter()
    analysis = analyse_page(fetched, url, participant_country=country)
    milliseconds = round((time.perf_counter() - started) * 1000, 1)
    report: dict[str, Any] = {"url": url}
    if analysis.suppressed:
        return {**report, "csam_stop": analysis.suppressed, "ms": milliseconds}
    report.update(
        final_url=fetched.final_url,
        outcome=fetched.outcome,
        error=fetched.error,
        platform=analysis.platform,
        kind=analysis.platform_kind,
        title=analysis.title,
        language=analysis.language,
        city=analysis.city,
    )
    text = ""
    if fetched.body is not None and fetched.outcome == "ok":
        parsed = page.parse_page(fetched.body, fetched.final_url or url, fetched.content_type)
        text = f"{parsed.title}\n{parsed.meta_description}\n{parsed.body}"
    report["region_hints"] = region_hints(fetched.final_url or url, analysis.language, country)
    report["identifiers"] = [_identifier(identifier, text) for identifier in analysis.identifiers]
    report["furniture"] = [_identifier(identifier, "") for identifier in analysis.furniture]
    report["indicators"] = [
        {"code": found.code, "weight": found.weight, "quote": found.evidence, "source": found.source}
        for found in analysis.indicators
    ]
    report.update(
        thb_score=round(analysis.thb_score, 3),
        thb_suspect=analysis.thb_suspect,
        csam_stop=None,
        ms=milliseconds,
    )
    return report


def _identifier(identifier: Identifier, text: str) -> dict[str, Any]:
    span = _span(identifier.raw, text)
    out: dict[str, Any] = {
        "kind": identifier.kind,
        "value": identifier.value,
        "raw": identifier.raw,
        "span": list(span) if span else None,
        "context": text[max(0, span[0] - _CONTEXT) : span[1] + _CONTEXT] if span else None,
        "obscured": identifier.obscured,
        "source": identifier.source,
    }
    # The phone reader may say which evidence chose the number's region (`/finding` shows it).
    reason = getattr(identifier, "region_reason", None)
    if reason is not None:
        out["region_reason"] = reason
    return out


def _span(raw: str, text: str) -> tuple[int, int] | None:
    """Where the identifier's spelling first sits in the text; None for one read from a link."""
    if not raw or not text:
        return None
    start = text.find(raw)
    if start < 0:
        start = text.lower().find(raw.lower())
    return (start, start + len(raw)) if start >= 0 else None


def write_lines(reports: Iterable[dict[str, Any]], out: Any) -> int:
    """Write each report as one JSON line; the number written."""
    count = 0
    for report in reports:
        out.write(json.dumps(report, ensure_ascii=False) + "\n")
        out.flush()
        count += 1
    return count
