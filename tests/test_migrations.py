"""The migrations build exactly the tables the models describe, and 0007 fills the kept tallies."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import TableClause, column, insert, inspect, table
from sqlmodel import Session, SQLModel

from commands.scoring import frozen_standings, standings
from storage.engine import alembic_config, make_engine, upgrade
from storage.models import BoardState, Finding, Participant, Report, Submission
from tests import corpora
from tests.conftest import REPO
from tests.test_live_tallies import kept_rows, rebuilt_rows

FOREIGN = ("apscheduler_jobs",)
T0 = datetime(2025, 9, 15, 8, 0, tzinfo=UTC)


def _before_0010(model: type[SQLModel]) -> TableClause:
    """The model's table as it was before operations (no `operation_id`)."""
    columns = model.__table__.columns  # type: ignore[attr-defined]
    return table(model.__tablename__, *(column(c.name, c.type) for c in columns if c.name != "operation_id"))  # type: ignore[arg-type]


def test_the_migrated_schema_matches_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = [
            d for d in compare_metadata(context, SQLModel.metadata) if not any(t in str(d) for t in FOREIGN)
        ]
    engine.dispose()
    assert diff == []


def test_upgrading_a_week_in_progress_fills_the_kept_tallies(db_url: str) -> None:
    """A store at 0006 with a finding and two reports: after 0007 the tallies equal a rebuild."""
    engine = make_engine(db_url)
    command.downgrade(alembic_config(engine), "0006")
    with engine.begin() as conn:  # plain SQL: the hub's own write path expects the 0007 tables
        conn.execute(
            insert(_before_0010(Participant)),
            [
                {
                    "id": pid,
                    "platform": "telegram",
                    "name": pid,
                    "country": "NL",
                    "role": "participant",
                    "joined_at": T0,
                }
                for pid in ("tg:1", "tg:2")
            ],
        )
        conn.execute(
            insert(_before_0010(Finding)),
            [
                {
                    "id": 1,
                    "canonical_url": "https://x.nl/1",
                    "url": "https://x.nl/1",
                    "platform": "x.nl",
                    "platform_kind": "escort",
                    "reporter_id": "tg:1",
                    "reported_at": T0,
                    "created_at": T0,
                    "fetch_outcome": "ok",
                    "thb_score": 3.0,
                    "thb_suspect": True,
                }
            ],
        )
        for n, pid in enumerate(("tg:1", "tg:2"), 1):
            at = T0 + timedelta(minutes=n)
            conn.execute(
                insert(_before_0010(Submission)),
                [{"id": n, "message_key": f"m{n}", "platform": "telegram", "chat_id": "c",
                  "participant_id": pid,
                  "ts": at, "text": "x", "status": "done", "attempts": 1, "received_at": at}],
            )  # fmt: skip
            conn.execute(
                insert(_before_0010(Report)),
                [{"finding_id": 1, "submission_id": n, "participant_id": pid, "ts": at, "url": "u",
                  "retracted": False}],
            )  # fmt: skip
        frozen_at = T0 + timedelta(seconds=90)  # after Anna's report, before Mihai's
        conn.execute(
            insert(_before_0010(BoardState)),
            [
                {
                    "key": "frozen",
                    "value": frozen_at.isoformat(),
                    "updated_at": frozen_at,
                    "updated_by": "tg:9",
                }
            ],
        )
    upgrade(engine)
    with Session(engine) as session:
        kept = kept_rows(session)
        board = standings(session=session)
        frozen = frozen_standings(session=session)
    assert kept == rebuilt_rows(engine)
    assert [(s.participant_id, s.points) for s in board] == [("tg:1", 15.0), ("tg:2", 1.0)]
    assert kept["platform_tallies"] == [("x.nl", "1", "1", "1", "0")]
    # The board was frozen: participants keep seeing it as of the freeze, as before the upgrade.
    assert [(s.participant_id, s.points) for s in frozen] == [("tg:1", 15.0), ("tg:2", 0.0)]
    engine.dispose()


def _hub(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=REPO, check=True, capture_output=True)


def _export(db_url: str, out: Path) -> dict[str, Any]:
    _hub("export", "--format", "json", "--db", db_url, "--out", str(out))
    document: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    document.pop("generated_at")
    return document


def test_a_store_of_one_week_upgrades_to_operations_in_place_with_an_equal_export(
    db_url: str, tmp_path: Path
) -> None:
    """A week replayed, the store taken back to the schema before operations (0009, what main
    builds), upgraded again: every row lands in the default operation and the export is the
    same, plus the operation it names."""
    week = corpora.week()
    lines = (week / "messages.jsonl").read_text(encoding="utf-8").splitlines()[:120]
    messages = tmp_path / "week.jsonl"
    messages.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _hub("replay", str(messages), "--warc", str(week / "pages.warc.gz"), "--db", db_url, "--quiet")
    before = _export(db_url, tmp_path / "before.json")
    engine = make_engine(db_url)
    command.downgrade(alembic_config(engine), "0009")
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        assert "operations" not in tables and "operation_id" not in {
            c["name"] for c in inspect(conn).get_columns("findings")
        }
    upgrade(engine)
    engine.dispose()
    after = _export(db_url, tmp_path / "after.json")
    assert after.pop("operation")["code"] == "HUB"
    before.pop("operation")
    assert before["findings"] and after == before
