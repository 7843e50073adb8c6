"""A page fetched over the network is appended to EVIDENCE_WARC, exported as evidence and verified.

The site is a local HTTP server (tests.fetch.server) that "rozenkamer.nl" resolves to through
the fetcher's injected resolver; it answers gzip-compressed, so the test also proves the
evidence holds the decoded page whose sha256 the finding carries.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select
from warcio.archiveiterator import ArchiveIterator

from commands.core.context import HubConfig
from commands.core.dispatcher import Dispatcher
from commands.core.registry import load_registry
from commands.export.document import export_document
from commands.export.verify import check_evidence
from commands.export.warc import write_evidence_warc
from extraction.fetch.evidence import EvidenceWarc
from extraction.fetch.fetcher import FetchPolicy, NetworkFetcher
from storage.engine import make_engine
from storage.models import Finding
from tests.exports.test_filters_and_policy import T0, say
from tests.fetch.server import PageServer, ServedRequest, page_server
from tests.fetch.test_refusals import ZoneResolver
from tests.warcs import html

PAGE = html("Sofia, 22, new in town. Call +40 721 555 019, our girls are waiting")


def compressed_page(request: ServedRequest) -> None:
    body = gzip.compress(PAGE)
    request.respond(
        "200 OK",
        {
            "Content-Type": "text/html; charset=utf-8",
            "Content-Encoding": "gzip",
            "Content-Length": str(len(body)),
        },
        body,
    )


@pytest.fixture
def site() -> Iterator[PageServer]:
    with page_server({"/ad/7": compressed_page}) as running:
        yield running


def test_a_fetched_page_becomes_verifiable_evidence(
    site: PageServer, sqlite_url: str, tmp_path: Path
) -> None:
    log = tmp_path / "evidence.warc.gz"
    fetcher = NetworkFetcher(
        FetchPolicy(timeout_s=2.0, allowed_addresses=frozenset({"127.0.0.1"})),
        resolver=ZoneResolver({"rozenkamer.nl": ["127.0.0.1"]}),
        evidence=EvidenceWarc(log),
    )
    hub = Dispatcher(
        engine=make_engine(sqlite_url),
        fetcher=fetcher,
        registry=load_registry(),
        config=HubConfig(),
    )
    hub.handle(say(f"https://x.test http://rozenkamer.nl:{site.port}/ad/7", "tg:nl", T0))
    assert [r.path for r in site.served] == ["/ad/7"]
    with hub.session() as session:
        finding = session.exec(select(Finding).where(Finding.platform == "rozenkamer.nl")).one()
        document = export_document(session=session)
    assert finding.fetch_outcome == "ok" and finding.sha256
    out = tmp_path / "export.warc.gz"
    manifest = write_evidence_warc(document, [log], out)
    [entry] = [r for r in manifest["records"] if r["finding_id"] == finding.id]
    assert entry["sha256"] == finding.sha256
    with out.open("rb") as stream:
        records = {r.rec_type: r for r in ArchiveIterator(stream) if r.rec_type in ("request", "response")}
    assert records["request"].http_headers.get_header("User-Agent")  # the request as sent, not rebuilt
    check = check_evidence(out)
    assert check.ok and check.manifest_entries == 1, check.problems
    assert json.loads((tmp_path / "export.manifest.json").read_text())["records"] == manifest["records"]


STOPPED = html("Escort Anna, 15yo, incall only. Call +40 721 555 020")


def stopped_page(request: ServedRequest) -> None:
    request.respond("200 OK", {"Content-Type": "text/html; charset=utf-8"}, STOPPED)


def moved(request: ServedRequest) -> None:
    request.respond("302 Found", {"Location": "/ad/9", "Content-Length": "0"}, b"")


def test_a_page_stopped_under_the_csam_policy_leaves_no_record_in_the_evidence_warc(
    sqlite_url: str, tmp_path: Path
) -> None:
    log = tmp_path / "evidence.warc.gz"
    with page_server({"/ad/7": compressed_page, "/ad/8": moved, "/ad/9": stopped_page}) as running:
        fetcher = NetworkFetcher(
            FetchPolicy(timeout_s=2.0, allowed_addresses=frozenset({"127.0.0.1"})),
            resolver=ZoneResolver({"rozenkamer.nl": ["127.0.0.1"]}),
            evidence=EvidenceWarc(log),
        )
        hub = Dispatcher(engine=make_engine(sqlite_url), fetcher=fetcher, registry=load_registry())
        base = f"http://rozenkamer.nl:{running.port}"
        [reply] = hub.handle(say(f"{base}/ad/8 {base}/ad/7", "tg:nl", T0))
        assert sorted(r.path for r in running.served) == ["/ad/7", "/ad/8", "/ad/9"]
    assert "🛑" in reply.text
    with log.open("rb") as stream:
        kept = [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(stream)]
    assert kept and all(uri.endswith("/ad/7") for uri in kept)  # neither the hop nor the page
    assert b"15yo" not in gzip.decompress(log.read_bytes())
    with hub.session() as session:
        stopped = session.exec(select(Finding).where(Finding.suppressed.is_not(None))).one()  # type: ignore[union-attr]
        document = export_document(session=session)
    assert stopped.sha256 is None and stopped.title is None
    out = tmp_path / "export.warc.gz"
    manifest = write_evidence_warc(document, [log], out)
    assert [r["finding_id"] for r in manifest["records"]] != [] and stopped.id not in {
        r["finding_id"] for r in manifest["records"]
    }
