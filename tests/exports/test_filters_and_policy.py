"""Filters, the CSAM policy and `/export`, on both database back ends."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path

import pytest
import stix2
from pymisp import MISPEvent
from sqlalchemy import update
from sqlmodel import func, select

from commands.core.context import HubConfig
from commands.core.dispatcher import Dispatcher
from commands.core.registry import load_registry
from commands.core.seam import Invocation
from commands.export.csv import spreadsheet_safe
from commands.export.filters import ExportFilter, FilterError, parse_filter_words
from commands.export.formats import export_files
from commands.export.warc import write_evidence_warc
from extraction.fetch.archive import WarcArchive
from storage.engine import make_engine
from storage.models import AuditEntry, Finding
from tests.warcs import html, write_warc

T0 = datetime(2025, 9, 15, 9, 0, tzinfo=UTC)
_keys = count()
SECRET_TITLE = "Lena private title"


def say(text: str, user: str, at: datetime, country: str = "NL") -> Invocation:
    return Invocation(
        participant_id=user,
        platform="telegram",
        chat_id="telegram:thb",
        text=text,
        ts=at,
        message_key=f"e{next(_keys)}",
        participant_name=user,
        country=country,
        vouched=True,
    )


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    ad = "Call +31 6 4821 7730, {} new in town, our girls, mail {}@mail.com"
    return write_warc(
        tmp_path / "pages.warc.gz",
        {
            "https://rozenkamer.nl/ad/1": (200, "text/html", html(ad.format("Anna", "anna")), None),
            "https://kinky.nl/ad/2": (200, "text/html", html(ad.format("Mia", "mia")), None),
            "https://kontakt.de/ad/3": (
                200,
                "text/html",
                html(ad.format("Lena", "lena"), title=SECRET_TITLE),
                None,
            ),
            "https://jobs.example.org/offer": (200, "text/html", html("Office job, apply by mail"), None),
        },
    )


@pytest.fixture
def hub(db_url: str, pages: Path) -> Dispatcher:
    hub = Dispatcher(
        engine=make_engine(db_url),
        fetcher=WarcArchive([pages]),
        registry=load_registry(),
        config=HubConfig(coordinators=frozenset({"tg:boss"})),
    )
    hub.handle(say("https://rozenkamer.nl/ad/1", "tg:nl", T0))
    hub.handle(say("https://kinky.nl/ad/2", "tg:nl", T0 + timedelta(days=1)))
    hub.handle(say("https://kontakt.de/ad/3", "tg:ro", T0 + timedelta(days=2), country="RO"))
    hub.handle(say("https://jobs.example.org/offer", "tg:ro", T0 + timedelta(days=2), country="RO"))
    hub.handle(say("/help", "tg:boss", T0, country="BE"))
    # The CSAM policy stopped #3 after the fact: whatever the database still holds, no export shows it.
    with hub.session() as session:
        session.execute(
            update(Finding).where(Finding.url == "https://kontakt.de/ad/3").values(suppressed="csam")
        )
        session.commit()
    return hub


def suppressed_id(hub: Dispatcher) -> int:
    with hub.session() as session:
        return session.exec(select(Finding.id).where(Finding.suppressed == "csam")).one() or 0


def test_suppressed_findings_carry_nothing_of_the_page_in_any_format(
    hub: Dispatcher, pages: Path, tmp_path: Path
) -> None:
    stopped = suppressed_id(hub)
    with hub.session() as session:
        assert session.get(Finding, stopped).sha256  # the database still has it: the export must drop it
        outputs = {fmt: export_files(fmt, session=session) for fmt in ("json", "csv", "misp", "stix")}
        document = json.loads(outputs["json"][0].data)
    for fmt, files in outputs.items():
        for file in files:
            assert b"lena" not in file.data.lower(), fmt
            assert SECRET_TITLE.encode() not in file.data, fmt
    [entry] = [f for f in document["findings"] if f["id"] == stopped]
    assert entry["identifiers"] == [] and entry["indicators"] == [] and entry["fetch"]["sha256"] is None
    manifest = write_evidence_warc(document, [pages], tmp_path / "e.warc.gz")
    assert stopped not in {r["finding_id"] for r in manifest["records"]}
    assert b"Lena" not in (tmp_path / "e.warc.gz").read_bytes()  # gzip: check the decoded text too
    import gzip

    assert b"Lena" not in gzip.decompress((tmp_path / "e.warc.gz").read_bytes())


def test_filters_pick_findings(hub: Dispatcher) -> None:
    def ids(only: ExportFilter) -> list[int]:
        with hub.session() as session:
            return [
                f["id"]
                for f in json.loads(export_files("json", session=session, only=only)[0].data)["findings"]
            ]

    everything = ids(ExportFilter())
    assert len(everything) == 4
    assert len(ids(ExportFilter(country="NL"))) == 2
    assert len(ids(ExportFilter(since=T0 + timedelta(hours=12)))) == 3
    with hub.session() as session:
        network = session.exec(
            select(Finding.network_id).where(Finding.url == "https://rozenkamer.nl/ad/1")
        ).one()
        suspects = {f.id for f in session.exec(select(Finding)) if f.thb_suspect}
    assert network is not None
    assert len(ids(ExportFilter(network=network))) >= 2  # ads 1 and 2 share the phone
    assert set(ids(ExportFilter(suspect_only=True))) == suspects


def test_filter_words_reject_what_they_cannot_read(hub: Dispatcher) -> None:
    with hub.session() as session:
        for words in (
            ["--since", "yesterday"],
            ["--network", "N999"],
            ["--country", "NLD"],
            ["--colour", "red"],
        ):
            with pytest.raises(FilterError):
                parse_filter_words(words, now=T0, timezone="Europe/Amsterdam", session=session)
        parsed = parse_filter_words(
            ["--since", "24h", "--suspect-only"], now=T0, timezone="UTC", session=session
        )
    assert parsed == ExportFilter(since=T0 - timedelta(hours=24), suspect_only=True)


def test_export_command_sends_the_file_privately_to_coordinators_only(hub: Dispatcher) -> None:
    [refused] = hub.handle(say("/export json", "tg:nl", T0 + timedelta(days=3)))
    assert refused.attachment is None and "coordinators only" in refused.text
    [reply] = hub.handle(say("/export csv --country NL", "tg:boss", T0 + timedelta(days=3), country="BE"))
    assert reply.visibility == "private" and reply.attachment is not None
    name, data = reply.attachment
    assert name.endswith(".csv.zip")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        findings_csv = next(n for n in archive.namelist() if not n.endswith("identifiers.csv"))
        rows = list(csv.DictReader(io.StringIO(archive.read(findings_csv).decode("utf-8-sig"))))
    assert len(rows) == 2
    [misp] = hub.handle(say("/export misp", "tg:boss", T0 + timedelta(days=3), country="BE"))
    assert misp.attachment is not None
    event = MISPEvent()
    event.load(misp.attachment[1].decode())
    assert len(event.objects) == 4
    [stix] = hub.handle(say("/export stix --suspect-only", "tg:boss", T0 + timedelta(days=3), country="BE"))
    assert stix.attachment is not None
    stix2.parse(stix.attachment[1].decode(), allow_custom=True)


def test_a_bad_export_request_says_how_and_exports_nothing(hub: Dispatcher) -> None:
    with hub.session() as session:
        before = session.exec(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "export")
        ).one()
    for text in ("/export", "/export xlsx", "/export json --since soon", "/export warc"):
        [reply] = hub.handle(say(text, "tg:boss", T0 + timedelta(days=3), country="BE"))
        assert reply.attachment is None and "Nothing was exported" in reply.text, text
    with hub.session() as session:
        after = session.exec(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "export")
        ).one()
    assert after == before


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+31612345678", "'+31612345678"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("anna@mail.com", "anna@mail.com"),
        ("telegram:anna_vip", "telegram:anna_vip"),
        (None, ""),
        (True, "true"),
        (12, "12"),
    ],
)
def test_spreadsheet_cells_never_start_a_formula(value: object, cell: str) -> None:
    assert spreadsheet_safe(value) == cell
