"""Each export of the replayed week, read back by its reference library, matches the database."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest
import stix2
from pymisp import MISPEvent
from sqlalchemy import func
from sqlmodel import Session, col, select
from warcio.archiveiterator import ArchiveIterator

from bot.cli import main
from commands.export.csv import finding_columns
from storage import networks
from storage.models import Finding, FindingIdentifier, FindingLink, Identifier

CONTRACT_FINDING_KEYS = {
    "id": int,
    "url": str,
    "canonical_url": str,
    "platform": str,
    "platform_kind": str,
    "reporter": str,
    "reported_at": str,
    "duplicate_reports": list,
    "fetch": dict,
    "identifiers": list,
    "indicators": list,
    "thb_suspect": bool,
    "tags": list,
}


def database_facts(session: Session) -> dict[str, object]:
    """What the database says, counted with SQL rather than through the export code."""
    shown = select(Finding.id).where(col(Finding.suppressed).is_(None))
    pairs = session.exec(
        select(Identifier.kind, func.count())
        .join(FindingIdentifier, col(FindingIdentifier.identifier_id) == col(Identifier.id))
        .where(col(FindingIdentifier.finding_id).in_(shown))
        .group_by(col(Identifier.kind))
    ).all()
    distinct_ids = session.exec(
        select(Identifier.kind, func.count(func.distinct(col(Identifier.id))))
        .join(FindingIdentifier, col(FindingIdentifier.identifier_id) == col(Identifier.id))
        .where(col(FindingIdentifier.finding_id).in_(shown))
        .group_by(col(Identifier.kind))
    ).all()
    return {
        "findings": session.exec(select(func.count()).select_from(Finding)).one(),
        "pairs": dict(pairs),
        "distinct": dict(distinct_ids),
        "networks": len(networks.network_ids(session=session, suspect_only=False)),
        "links": session.exec(select(func.count()).select_from(FindingLink)).one(),
        "hashes": {
            f.id: f.sha256 for f in session.exec(select(Finding)) if f.sha256 and f.suppressed is None
        },
    }


@pytest.fixture(scope="module")
def facts(replayed: str) -> dict[str, object]:
    from storage.engine import make_engine

    with Session(make_engine(replayed)) as session:
        return database_facts(session)


def export(replayed: str, tmp_path: Path, fmt: str, name: str, *extra: str) -> Path:
    out = tmp_path / name
    assert main(["export", "--db", replayed, "--format", fmt, "--out", str(out), *extra]) == 0
    return out


def test_json_matches_the_contract_and_the_database(replayed: str, tmp_path: Path, facts: dict) -> None:
    document = json.loads(export(replayed, tmp_path, "json", "x.json").read_text(encoding="utf-8"))
    assert {"generated_at", "findings", "networks", "participants", "counts"} <= document.keys()
    for finding in document["findings"]:
        for key, kind in CONTRACT_FINDING_KEYS.items():
            assert isinstance(finding[key], kind), (finding["id"], key)
        assert {"status", "final_url", "sha256", "fetched_at", "error"} <= finding["fetch"].keys()
        assert all(i["kind"] in ("phone", "email", "wallet", "handle") for i in finding["identifiers"])
    assert len(document["findings"]) == facts["findings"]
    kinds = Counter(i["kind"] for f in document["findings"] for i in f["identifiers"])
    assert dict(kinds) == facts["pairs"]
    assert len(document["networks"]) == facts["networks"]


def test_the_streamed_json_is_the_text_chat_exports_send(
    replayed: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`hub export` streams json to its file or stdout; `/export json` builds the same text."""
    from commands.export.formats import export_files
    from storage.engine import make_engine

    def without_time(text: str) -> str:
        return "\n".join(line for line in text.splitlines() if '"generated_at"' not in line)

    written = export(replayed, tmp_path, "json", "x.json").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["export", "--db", replayed, "--format", "json"]) == 0
    printed = capsys.readouterr().out
    engine = make_engine(replayed)
    with Session(engine) as session:
        built = export_files("json", session=session)[0].data.decode("utf-8")
    engine.dispose()
    assert without_time(written) == without_time(printed) == without_time(built)
    assert written.endswith("}\n") and len(written.splitlines()) > 1000


def test_csv_reads_back_with_the_csv_module(replayed: str, tmp_path: Path, facts: dict) -> None:
    out = export(replayed, tmp_path, "csv", "x.csv")
    with out.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    with (tmp_path / "x.identifiers.csv").open(encoding="utf-8-sig", newline="") as stream:
        pairs = list(csv.DictReader(stream))
    assert list(rows[0].keys()) == list(finding_columns())
    assert len(rows) == facts["findings"]
    assert dict(Counter(p["kind"] for p in pairs)) == facts["pairs"]
    # The `;`-joined column and the pivot file say the same thing.
    joined = sum(len(r["identifiers"].split(";")) for r in rows if r["identifiers"])
    assert joined == len(pairs)
    phones = [p["value"] for p in pairs if p["kind"] == "phone"]
    assert phones and all(v.startswith("'+") for v in phones)  # formula injection defused
    hashes = {int(r["id"]): r["sha256"] for r in rows if r["sha256"]}
    assert hashes == facts["hashes"]


def test_misp_loads_back_into_pymisp(replayed: str, tmp_path: Path, facts: dict) -> None:
    out = export(replayed, tmp_path, "misp", "x.misp.json")
    event = MISPEvent()
    event.load(out.read_text(encoding="utf-8"))
    assert len(event.objects) == facts["findings"]
    relations = Counter(a.object_relation for o in event.objects for a in o.attributes)
    assert relations["phone-number"] == facts["pairs"]["phone"]
    assert relations["email"] == facts["pairs"]["email"]
    assert relations["handle"] == facts["pairs"]["handle"]
    wallets = sum(n for r, n in relations.items() if r.startswith("wallet-"))
    assert wallets == facts["pairs"]["wallet"]
    references = [r for o in event.objects for r in o.references]
    assert len(references) == facts["links"]
    uuids = {o.uuid for o in event.objects}
    assert all(r.referenced_uuid in uuids for r in references)
    tags = Counter(t.name for o in event.objects for a in o.attributes for t in a.tags)
    assert any(name.startswith('action-week:indicator="') for name in tags)


def test_stix_parses_with_stix2(replayed: str, tmp_path: Path, facts: dict) -> None:
    out = export(replayed, tmp_path, "stix", "x.stix.json")
    bundle = stix2.parse(out.read_text(encoding="utf-8"), allow_custom=True)
    types = Counter(o["type"] for o in bundle.objects)
    assert types["indicator"] == facts["findings"]
    assert types["grouping"] == facts["networks"]
    assert types["x-phone-number"] == facts["distinct"]["phone"]
    assert types["email-addr"] == facts["distinct"]["email"]
    assert types["x-cryptocurrency-wallet"] == facts["distinct"]["wallet"]
    assert types["user-account"] == facts["distinct"]["handle"]
    ids = {o["id"] for o in bundle.objects}
    for relationship in (o for o in bundle.objects if o["type"] == "relationship"):
        assert relationship["source_ref"] in ids and relationship["target_ref"] in ids
    between_findings = [
        o for o in bundle.objects if o["type"] == "relationship" and o["target_ref"].startswith("indicator--")
    ]
    assert len(between_findings) == facts["links"]


def test_warc_evidence_reads_back_with_warcio_and_verifies(
    replayed: str, dev_warc: Path, tmp_path: Path, facts: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    out = export(replayed, tmp_path, "warc", "x.warc.gz", "--warc", str(dev_warc))
    found: dict[int, str] = {}
    with out.open("rb") as stream:
        for record in ArchiveIterator(stream, check_digests="raise"):
            if record.rec_type == "response":
                assert record.rec_headers.get_header("WARC-Payload-Digest").startswith("sha256:")
                assert record.rec_headers.get_header("WARC-Date")
                body = record.content_stream().read()
                found[int(record.rec_headers.get_header("Hub-Finding-Id"))] = hashlib.sha256(body).hexdigest()
    assert found == facts["hashes"]
    manifest = json.loads((tmp_path / "x.manifest.json").read_text(encoding="utf-8"))
    assert {r["finding_id"]: r["sha256"] for r in manifest["records"]} == facts["hashes"]
    assert len(manifest["records"]) + len(manifest["missing"]) == facts["findings"]
    assert main(["verify-evidence", str(out)]) == 0
    assert "all hashes match" in capsys.readouterr().out


def test_verify_evidence_finds_a_flipped_byte(replayed: str, dev_warc: Path, tmp_path: Path) -> None:
    out = export(replayed, tmp_path, "warc", "x.warc", "--warc", str(dev_warc))  # uncompressed
    assert main(["verify-evidence", str(out)]) == 0
    data = bytearray(out.read_bytes())
    at = data.index(b"<html", len(data) // 2) + 40  # inside a page body, not in a header
    data[at] ^= 0x01
    out.write_bytes(bytes(data))
    assert main(["verify-evidence", str(out)]) == 1


def test_verify_evidence_fails_on_a_damaged_compressed_file(
    replayed: str, dev_warc: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = export(replayed, tmp_path, "warc", "x.warc.gz", "--warc", str(dev_warc))
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x01
    out.write_bytes(bytes(data))
    assert main(["verify-evidence", str(out)]) == 1
    assert "MISMATCH" in capsys.readouterr().err


def test_a_json_export_that_fails_leaves_the_previous_file_whole(sqlite_url: str, tmp_path: Path) -> None:
    from sqlalchemy import text

    from storage.engine import make_engine

    previous = tmp_path / "out" / "export.json"
    previous.parent.mkdir()
    previous.write_text('{"old": true}\n', encoding="utf-8")
    engine = make_engine(sqlite_url)
    with engine.begin() as conn:  # a damaged store: the export fails half-way
        conn.execute(text("DROP TABLE tags"))
    engine.dispose()
    with pytest.raises(Exception, match="tags"):
        main(["export", "--db", sqlite_url, "--format", "json", "--out", str(previous)])
    assert previous.read_text(encoding="utf-8") == '{"old": true}\n'
    assert [p.name for p in previous.parent.iterdir()] == ["export.json"]  # no temporary file left
