"""Adding an identifier kind is one finder and one row: it flows from a page to every export.

The throwaway kind here is a made-up bank reference ("REF-" and eight digits). Registering its
row in the kinds table is all it takes for two ads carrying the same reference to be found,
linked into a network, looked up, and written to the JSON, CSV, STIX and MISP exports. A kind
without a STIX or MISP form, or a kind the table does not know, is an error at export.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import stix2

from commands.export.formats import export_files
from commands.export.stix import identifier_observable
from extraction.identifiers.kinds import KINDS, IdentifierKind, MispForm, StixForm, UnknownKind, UnmappedKind
from extraction.types import Identifier, Source
from storage.identifiers import attach_to_finding
from tests.commands.conftest import ask, joined_hub
from tests.warcs import Page, html, write_warc

_REFERENCE = re.compile(r"\bREF-(\d{8})\b")


def find_references(text: str, regions: object, source: Source) -> list[Identifier]:
    """The throwaway kind's finder: "REF-12345678" → "ref:12345678"."""
    return [
        Identifier(kind="reference", value=f"ref:{m.group(1)}", raw=m.group(), source=source)
        for m in _REFERENCE.finditer(text)
    ]


REFERENCE = IdentifierKind(
    name="reference",
    icon="🏦",
    find=find_references,  # type: ignore[arg-type]
    stix=StixForm("x-bank-reference", ("value",), lambda value: {"value": value}),
    misp=MispForm(lambda value: ("bank-reference", "text", value)),
)
PAGES: dict[str, Page] = {
    "https://www.rozenkamer.nl/ad/31": (
        200,
        "text/html; charset=utf-8",
        html("Anna, new in town. Deposit first to REF-40417729, then we send the address.", footer="x"),
        None,
    ),
    "https://www.kinky.nl/ad/32": (
        200,
        "text/html; charset=utf-8",
        html("Sofia, sweet. Advance payment REF-40417729 before the visit, no cash.", footer="y"),
        None,
    ),
}


@pytest.fixture
def reference_kind() -> Iterator[IdentifierKind]:
    KINDS.add(REFERENCE)
    yield REFERENCE
    KINDS.remove(REFERENCE.name)


def test_a_new_kind_flows_from_the_page_to_every_export(
    reference_kind: IdentifierKind, tmp_path: Path, sqlite_url: str
) -> None:
    hub = joined_hub(sqlite_url, write_warc(tmp_path / "pages.warc.gz", PAGES))
    first, second = PAGES
    ask(hub, first, user="tg:1")
    verdict = ask(hub, second, user="tg:2").text
    assert "🏦 `ref:40417729`" in verdict  # the verdict shows it with the row's icon
    assert "🔗 reference `ref:40417729` also in #1" in verdict  # and deconfliction linked through it
    assert "In 2 findings" in ask(hub, "/lookup REF-40417729", user="tg:3").text

    with hub.session() as session:
        files = {fmt: export_files(fmt, session=session) for fmt in ("json", "csv", "misp", "stix")}
    document = json.loads(files["json"][0].data)
    assert [i for f in document["findings"] for i in f["identifiers"] if i["kind"] == "reference"] == [
        {"kind": "reference", "value": "ref:40417729"}
    ] * 2
    assert {"kind": "reference", "value": "ref:40417729"} in document["networks"][0]["via"]

    rows = list(csv.DictReader(io.StringIO(files["csv"][0].data.decode("utf-8-sig"))))
    assert [row["references"] for row in rows] == ["ref:40417729", "ref:40417729"]
    pairs = list(csv.DictReader(io.StringIO(files["csv"][1].data.decode("utf-8-sig"))))
    assert sum(1 for row in pairs if row["kind"] == "reference") == 2

    misp = json.loads(files["misp"][0].data)
    attributes = [
        a for obj in misp["Object"] for a in obj["Attribute"] if a["object_relation"] == "bank-reference"
    ]
    assert [a["value"] for a in attributes] == ["ref:40417729"] * 2

    bundle = stix2.parse(files["stix"][0].data.decode(), allow_custom=True)
    references = [o for o in bundle.objects if o["type"] == "x-bank-reference"]
    assert [o["value"] for o in references] == ["ref:40417729"]  # one observable, shared by both ads
    hub.engine.dispose()


def test_without_the_row_the_kind_is_not_found(tmp_path: Path, sqlite_url: str) -> None:
    hub = joined_hub(sqlite_url, write_warc(tmp_path / "pages.warc.gz", PAGES))
    assert "ref:" not in ask(hub, next(iter(PAGES))).text
    hub.engine.dispose()


def test_an_unmapped_or_unknown_kind_is_an_error_at_export(tmp_path: Path, sqlite_url: str) -> None:
    KINDS.add(replace(REFERENCE, stix=None, misp=None))
    try:
        with pytest.raises(UnmappedKind, match="STIX"):
            identifier_observable("reference", "ref:40417729")
        hub = joined_hub(sqlite_url, write_warc(tmp_path / "pages.warc.gz", PAGES))
        ask(hub, next(iter(PAGES)))
        with hub.session() as session:
            for fmt in ("misp", "stix"):
                with pytest.raises(UnmappedKind):
                    export_files(fmt, session=session)
    finally:
        KINDS.remove("reference")
    # Rows of a kind nobody knows (written by an older hub, or by hand) fail every export.
    with hub.session() as session:
        attach_to_finding(1, [("iban", "NL91ABNA0417164300", "page", False)], session=session)
        session.commit()
    for fmt in ("csv", "misp", "stix"):
        with hub.session() as session, pytest.raises(UnknownKind):
            export_files(fmt, session=session)
    hub.engine.dispose()
