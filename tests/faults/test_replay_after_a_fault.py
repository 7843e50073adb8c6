"""A replay after a fault converges to the uninterrupted result (issue #18 item 6): a PostgreSQL
connection dropped mid-replay, a WARC cut in half."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from bot.cli import main
from storage.engine import upgrade
from tests.conftest import REPO, _reset_pg
from tests.transcripts import line, write_transcript
from tests.warcs import Page, html, write_warc

HUB = [sys.executable, "-m", "bot.cli"]
URL1, URL2, URL3 = "https://www.rozenkamer.nl/ad/1", "https://www.kinky.nl/ad/2", "https://www.vendelo.es/a/3"
PAGES: dict[str, Page] = {
    URL1: (200, "text/html; charset=utf-8", html("Anna, 23, new in town. Call +31 6 4150 2873"), None),
    URL2: (
        200,
        "text/html; charset=utf-8",
        html("Sofia, discreet, available today. Bel +31 6 4150 2873"),
        None,
    ),
    URL3: (200, "text/html; charset=utf-8", html("iPhone 13 128 GB, 190 eur, llamar +34 647 183 533"), None),
}


def transcript(path: Path) -> Path:
    """Anna reports page 1 first, Bob the same page a minute later; then two more pages."""
    return write_transcript(
        path,
        [
            line(1, f"look {URL1}", user="tg:1", name="Anna"),
            line(2, f"this one {URL1}", user="tg:2", name="Bob", country="BE"),
            line(3, f"and {URL2}", user="tg:2", name="Bob", country="BE"),
            line(4, f"and {URL3}", user="tg:3", name="Ewa", country="PL"),
            line(5, "/counts", user="tg:1", name="Anna"),
        ],
    )


def summary(db: str, out: Path) -> dict[str, Any]:
    """The export's substance: who reported what first, duplicates, identifiers, fetches, points."""
    assert main(["export", "--format", "json", "--db", db, "--out", str(out)]) == 0
    doc = json.loads(out.read_text())
    return {
        "findings": sorted(
            (
                f["canonical_url"],
                f["reporter"],
                f["reported_at"],
                len(f["duplicate_reports"]),
                f["fetch"]["status"],
                f["fetch"]["sha256"],
                sorted((i["kind"], i["value"]) for i in f["identifiers"]),
            )
            for f in doc["findings"]
        ),
        "networks": len(doc["networks"]),
        "counts": doc["counts"],
        "points": {p["id"]: p["points"] for p in doc["participants"]},
    }


def uninterrupted(tmp_path: Path) -> tuple[Path, Path, dict[str, Any]]:
    """The transcript, the whole WARC, and the summary of their uninterrupted replay (SQLite)."""
    messages = transcript(tmp_path / "m.jsonl")
    whole = write_warc(tmp_path / "pages.warc.gz", PAGES)
    clean = f"sqlite:///{tmp_path / 'clean.db'}"
    assert main(["replay", str(messages), "--warc", str(whole), "--db", clean, "--quiet"]) == 0
    return messages, whole, summary(clean, tmp_path / "clean.json")


def test_a_warc_cut_in_half_stops_the_replay_and_the_whole_warc_then_gives_the_full_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    messages, whole, expected = uninterrupted(tmp_path)

    cut = tmp_path / "cut" / "pages.warc.gz"
    cut.parent.mkdir()
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    damaged = f"sqlite:///{tmp_path / 'damaged.db'}"
    with pytest.raises(SystemExit) as stopped:
        main(["replay", str(messages), "--warc", str(cut), "--db", damaged, "--quiet"])
    assert stopped.value.code not in (0, None)
    assert "pages.warc.gz is cut off at byte" in str(stopped.value)

    assert main(["replay", str(messages), "--warc", str(whole), "--db", damaged, "--quiet"]) == 0
    assert summary(damaged, tmp_path / "rerun.json") == expected


def test_a_corrupt_warc_names_the_offset(tmp_path: Path) -> None:
    messages = transcript(tmp_path / "m.jsonl")
    data = write_warc(tmp_path / "pages.warc.gz", PAGES).read_bytes()
    corrupt = tmp_path / "bad.warc.gz"
    corrupt.write_bytes(data[:600] + b"\x00garbage\xff" * 8 + data[680:])
    with pytest.raises(SystemExit) as stopped:
        main(["replay", str(messages), "--warc", str(corrupt), "--db", f"sqlite:///{tmp_path / 'h.db'}"])
    assert "bad.warc.gz is corrupt at byte" in str(stopped.value)


def _waiting_backend(admin: Any) -> int | None:
    with admin.connect() as conn:
        row = conn.execute(
            text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
        ).first()
    return int(row[0]) if row else None


def test_a_connection_dropped_mid_replay_is_retried_by_the_rerun(pg_database: str, tmp_path: Path) -> None:
    messages, warc, expected = uninterrupted(tmp_path)

    upgrade(_reset_pg(pg_database))
    args = [*HUB, "replay", str(messages), "--warc", str(warc), "--db", pg_database, "--quiet"]
    admin = create_engine(pg_database, isolation_level="AUTOCOMMIT")
    holder = create_engine(pg_database).connect()
    holder.execute(text("LOCK TABLE findings IN EXCLUSIVE MODE"))  # the first paste's write waits
    first = subprocess.Popen(args, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while (pid := _waiting_backend(admin)) is None and time.monotonic() < deadline:
            assert first.poll() is None, first.stderr.read() if first.stderr else ""
            time.sleep(0.05)
        assert pid is not None, "the replay never reached the first paste's write"
        with admin.connect() as conn:  # the database drops the replay's connection mid-transaction
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        holder.rollback()
        holder.close()
    _, err = first.communicate(timeout=120)
    assert first.returncode == 1, err.decode()
    assert "line 1" in err.decode() and "run the same replay again" in err.decode()

    rerun = subprocess.run(args, cwd=REPO, capture_output=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr.decode()
    assert "1 unfinished messages of an earlier run resumed" in rerun.stderr.decode()
    admin.dispose()
    assert summary(pg_database, tmp_path / "rerun.json") == expected


@pytest.mark.parametrize("missing", [URL1, URL2])
def test_pages_missing_from_the_archive_are_fetched_by_a_rerun_with_a_fuller_one(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], missing: str
) -> None:
    messages, whole, expected = uninterrupted(tmp_path)

    partial = write_warc(tmp_path / "partial.warc.gz", {u: p for u, p in PAGES.items() if u != missing})
    assert main(["replay", str(messages), "--warc", str(partial), "--db", db_url, "--quiet"]) == 0
    assert summary(db_url, tmp_path / "partial.json") != expected  # the control: a page is missing
    capsys.readouterr()
    assert main(["replay", str(messages), "--warc", str(whole), "--db", db_url, "--quiet"]) == 0
    assert "1 pages an earlier run could not fetch recorded now" in capsys.readouterr().err
    assert summary(db_url, tmp_path / "rerun.json") == expected


def test_a_page_that_redirects_found_by_the_rerun_is_named_by_its_target(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    short, target = "https://bit.ly/3xAmpl", "https://www.rozenkamer.nl/ad/9"
    page = html("Mira, 22, new in town. Call +31 6 4150 2873")
    pages: dict[str, Page] = {
        short: (301, "text/html", b"", target),
        target: (200, "text/html; charset=utf-8", page, None),
    }
    messages = write_transcript(
        tmp_path / "m.jsonl",
        [
            line(1, f"look {short}", user="tg:1", name="Anna"),
            line(2, f"same ad {short}", user="tg:2", name="Bob", country="BE"),
        ],
    )
    whole = write_warc(tmp_path / "pages.warc.gz", pages)
    clean = f"sqlite:///{tmp_path / 'clean.db'}"
    assert main(["replay", str(messages), "--warc", str(whole), "--db", clean, "--quiet"]) == 0
    expected = summary(clean, tmp_path / "clean.json")
    assert [f[0] for f in expected["findings"]] == ["https://rozenkamer.nl/ad/9"]  # named by the target

    empty = write_warc(tmp_path / "empty.warc.gz", {"https://elsewhere.example/": pages[target]})
    assert main(["replay", str(messages), "--warc", str(empty), "--db", db_url, "--quiet"]) == 0
    assert summary(db_url, tmp_path / "partial.json") != expected  # the control: nothing was fetched
    capsys.readouterr()
    assert main(["replay", str(messages), "--warc", str(whole), "--db", db_url, "--quiet"]) == 0
    assert summary(db_url, tmp_path / "rerun.json") == expected
