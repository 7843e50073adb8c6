"""Two hub processes on one PostgreSQL database work through the same stream without double counting."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from storage.engine import is_contention, upgrade
from tests.conftest import REPO, _reset_pg

HUB = [sys.executable, "-m", "bot.cli"]


def summary(doc: dict[str, Any]) -> dict[str, Any]:
    """What must not depend on how many workers did the work (ids may be handed out in any order)."""
    findings = {
        f["canonical_url"]: (
            f["reporter"],
            f["reported_at"],
            len(f["duplicate_reports"]),
            f["thb_suspect"],
            sorted((i["kind"], i["value"]) for i in f["identifiers"]),
        )
        for f in doc["findings"]
    }
    networks = sorted(
        sorted(next(f["canonical_url"] for f in doc["findings"] if f["id"] == i) for i in n["findings"])
        for n in doc["networks"]
    )
    return {
        "findings": findings,
        "networks": networks,
        "counts": doc["counts"],
        "points": {p["id"]: p["points"] for p in doc["participants"]},
    }


def export(db: str, out: Path) -> dict[str, Any]:
    subprocess.run(
        [*HUB, "export", "--format", "json", "--db", db, "--out", str(out)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    return json.loads(out.read_text())  # type: ignore[no-any-return]


def test_two_workers_on_one_stream_count_every_message_once(
    pg_database: str, tmp_path: Path, week_corpus: Path
) -> None:
    engine = _reset_pg(pg_database)
    upgrade(engine)
    args = [
        "replay",
        str(week_corpus / "messages.jsonl"),
        "--warc",
        str(week_corpus / "pages.warc.gz"),
        "--quiet",
    ]
    workers = [
        subprocess.Popen(
            [*HUB, *args, "--db", pg_database], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    for worker in workers:
        assert worker.wait(timeout=300) == 0, worker.stderr.read() if worker.stderr else ""
    with engine.connect() as conn:
        statuses = dict(conn.execute(text("SELECT status, count(*) FROM submissions GROUP BY status")).all())
    lines = (week_corpus / "messages.jsonl").read_text(encoding="utf-8").splitlines()
    assert statuses == {"done": len(lines)}  # every line once, whichever worker took it
    single = f"sqlite:///{tmp_path / 'single.db'}"
    subprocess.run([*HUB, *args, "--db", single], cwd=REPO, check=True, capture_output=True)
    assert summary(export(pg_database, tmp_path / "two.json")) == summary(
        export(single, tmp_path / "one.json")
    )
    engine.dispose()


class _DriverError(Exception):
    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (OperationalError("UPDATE", {}, _DriverError("deadlock detected", "40P01")), True),
        (OperationalError("UPDATE", {}, _DriverError("could not serialize access", "40001")), True),
        (OperationalError("INSERT", {}, _DriverError("database is locked")), True),
        (OperationalError("SELECT", {}, _DriverError("connection refused", "08001")), False),
        (ValueError("deadlock detected"), False),
    ],
)
def test_only_conflicts_between_workers_are_run_again(error: Exception, transient: bool) -> None:
    assert is_contention(error) is transient
