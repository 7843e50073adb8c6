"""A corpus's pages as the extraction tests read them, keyed to its truth labels.

Every reader starts from the same records: the 200 HTML responses of `pages.warc.gz`, by
WARC-Target-URI. On top of that, two views: `load_dev_pages` (body text plus every <a> href,
the quick reader the identifier extractors are scored on) and `corpus_pages` (our own
`parse_page`, for the page and platform tests). The corpora are those of `tests.corpora`: the
generated week always, the dev corpus when it is beside the repository.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser
from warcio.archiveiterator import ArchiveIterator

from extraction.page import PageText, parse_page
from tests import corpora


def html_responses(corpus: Path) -> Iterator[tuple[str, str, bytes]]:
    """(url, Content-Type, body bytes) of every 200 HTML response in the corpus WARC."""
    with (corpus / "pages.warc.gz").open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers.get_statuscode() != "200":
                continue
            content_type = record.http_headers.get_header("Content-Type") or ""
            if "html" not in content_type:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            yield url, content_type, record.content_stream().read()


@dataclass(frozen=True, slots=True)
class DevPage:
    """One 200 HTML page of a corpus as a quick reader sees it, with its truth."""

    url: str
    text: str
    truth: dict[str, Any]


@functools.cache
def load_dev_pages(corpus: Path) -> tuple[DevPage, ...]:
    """Body text plus the hrefs of every <a>, keyed to truth["pages"] by WARC-Target-URI."""
    truth = json.loads((corpus / "truth.json").read_text("utf-8"))
    pages = []
    for url, _, raw in html_responses(corpus):
        # selectolax.parser (Modest) refuses to import in selectolax ≥ 1.0; lexbor is its successor.
        tree = LexborHTMLParser(raw.decode("utf-8", "replace"))
        body = tree.body.text(separator=" ") if tree.body is not None else ""
        hrefs = [node.attributes.get("href") or "" for node in tree.css("a")]
        pages.append(DevPage(url=url, text="\n".join([body, *hrefs]), truth=truth["pages"][url]))
    return tuple(pages)


@functools.cache
def corpus_truth(corpus: Path) -> dict[str, Any]:
    return json.loads((corpus / "truth.json").read_text("utf-8"))


@functools.cache
def corpus_pages(corpus: Path) -> dict[str, PageText]:
    """Every 200 text/html response of a corpus, parsed, by WARC-Target-URI."""
    return {url: parse_page(raw, url, content_type) for url, content_type, raw in html_responses(corpus)}


def page_params() -> list[Any]:
    """(corpus, url) for every page of every available corpus, as pytest parameters."""
    import pytest

    return [
        pytest.param(folder, url, id=f"{name}:{url}")
        for name, folder in corpora.available().items()
        for url in sorted(corpus_truth(folder)["pages"])
    ]
