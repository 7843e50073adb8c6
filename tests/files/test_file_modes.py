"""The database (+ WAL/SHM), the evidence WARC and every export are created 0600 under umask 022."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from extraction.fetch.evidence import EvidenceWarc, Exchange
from tests.transcripts import line, write_transcript
from tests.warcs import html, write_warc

URL = "https://www.rozenkamer.nl/ad/1"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_database_wal_shm_and_every_export_are_0600(tmp_path: Path, umask_022: None) -> None:
    page = html("Anna, 23, new in town. Call +31 6 4150 2873 or mail anna.vip@mail.com")
    warc = write_warc(tmp_path / "pages.warc.gz", {URL: (200, "text/html; charset=utf-8", page, None)})
    messages = write_transcript(tmp_path / "m.jsonl", [line(1, f"look {URL}")])
    db = tmp_path / "data" / "hub.db"
    url = f"sqlite:///{db}"
    assert main(["replay", str(messages), "--warc", str(warc), "--db", url, "--quiet"]) == 0
    wal, shm = Path(f"{db}-wal"), Path(f"{db}-shm")
    from sqlalchemy import text

    from storage.engine import make_engine

    engine = make_engine(url)  # a connection open: the WAL and SHM files exist now
    with engine.connect() as conn:
        conn.execute(text("select count(*) from findings"))
        assert wal.exists() and shm.exists()
        assert {p.name: mode(p) for p in (db, wal, shm)} == {p.name: 0o600 for p in (db, wal, shm)}
    engine.dispose()
    out = tmp_path / "out"
    out.mkdir()
    written = []
    for fmt, name in (("json", "x.json"), ("csv", "x.csv"), ("misp", "x.misp.json"), ("stix", "x.stix.json")):
        assert main(["export", "--format", fmt, "--db", url, "--out", str(out / name)]) == 0
        written.append(out / name)
    assert (
        main(
            ["export", "--format", "warc", "--db", url, "--warc", str(warc), "--out", str(out / "e.warc.gz")]
        )
        == 0
    )
    written += [out / "x.identifiers.csv", out / "e.warc.gz", out / "e.manifest.json"]
    assert {p.name: mode(p) for p in written} == {p.name: 0o600 for p in written}


def test_an_export_over_an_older_world_readable_file_becomes_0600(tmp_path: Path, umask_022: None) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    old = tmp_path / "x.csv"
    old.write_text("old")
    assert mode(old) == 0o644
    assert main(["export", "--format", "csv", "--db", url, "--out", str(old)]) == 0
    assert mode(old) == 0o600


def test_the_evidence_warc_is_created_0600(tmp_path: Path, umask_022: None) -> None:
    path = tmp_path / "evidence" / "evidence.warc.gz"
    exchange = Exchange(URL, 200, "OK", [("Content-Type", "text/html")], b"<html>x</html>")
    assert EvidenceWarc(path).record(exchange) is not None
    assert mode(path) == 0o600
