"""Operations keep their data apart on one database: findings, first reporters, points, /counts;
names are unique per operation by a database index; a closed operation takes no new pastes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from commands.core.dispatcher import Dispatcher
from commands.core.registry import load_registry
from commands.core.seam import Invocation
from commands.outcomes import outcomes
from commands.scoring import standings
from extraction.fetch.archive import WarcArchive
from storage import operations
from storage.engine import make_engine
from storage.models import AuditEntry, DigestRun, Finding, Membership, Report, Submission
from storage.scope import DEFAULT_OPERATION, operation_scope
from tests.warcs import html, write_warc

T0 = datetime(2025, 9, 15, 9, 0, tzinfo=UTC)
URL = "https://www.rozenkamer.nl/ad/1"
URL3 = "https://www.rozenkamer.nl/ad/3"
WEEK1, WEEK2 = "telegram:-1001", "telegram:-1002"
_keys = count()


def say(text: str, *, user: str, chat: str, at: datetime = T0) -> Invocation:
    return Invocation(
        participant_id=user,
        platform="telegram",
        chat_id=chat,
        text=text,
        ts=at,
        message_key=f"op{next(_keys)}",
    )


@pytest.fixture
def hub(tmp_path: Path, db_url: str) -> Dispatcher:
    """The default operation on WEEK1 and THB-2025 on WEEK2, one database."""
    warc = write_warc(
        tmp_path / "pages.warc.gz",
        {
            URL: (200, "text/html; charset=utf-8", html("Anna, 23, new in town. Call +31 6 1234 5678"), None),
            URL3: (
                200,
                "text/html; charset=utf-8",
                html("Bella, nieuw in de stad, bel +31 6 1234 5678"),
                None,
            ),
        },
    )
    engine = make_engine(db_url)
    with Session(engine) as session:
        operations.set_chats(DEFAULT_OPERATION, [WEEK1], session=session)
        operations.create_operation(code="THB-2025", name="THB 2025", at=T0, chats=[WEEK2], session=session)
        session.commit()
    hub = Dispatcher(engine=engine, fetcher=WarcArchive([warc]), registry=load_registry())
    for chat in (WEEK1, WEEK2):
        hub.handle(say("/join NL Anna", user="tg:1", chat=chat))
        hub.handle(say("/join RO Mihai", user="tg:2", chat=chat))
    return hub


def op_id(hub: Dispatcher, code: str) -> int:
    with Session(hub.engine) as session:
        return operations.by_code(code, session=session).id or 0


def test_the_same_url_is_a_finding_in_each_operation_with_its_own_reporter_points_and_counts(
    hub: Dispatcher,
) -> None:
    # Week 1: Anna first, Mihai second. Week 2: Mihai first, Anna second.
    assert "#1 new" in hub.handle(say(URL, user="tg:1", chat=WEEK1))[0].text
    later = T0 + timedelta(hours=1)
    assert "already reported by Anna" in hub.handle(say(URL, user="tg:2", chat=WEEK1, at=later))[0].text
    first_in_two = hub.handle(say(URL, user="tg:2", chat=WEEK2, at=later))[0].text
    assert "new" in first_in_two and "already reported" not in first_in_two
    # Memory across operations: one line naming the earlier operation's finding, nothing more.
    assert "🕰 this URL was reported in HUB (#1, reported, Sep 2025)" in first_in_two
    assert first_in_two.count("was reported in") == 1
    looked = hub.handle(say("/lookup +31 6 1234 5678", user="tg:1", chat=WEEK2, at=later))[0].text
    assert "☎ +31612345678 was reported in HUB (#1, reported, Sep 2025)" in looked
    assert "already reported by Mihai" in hub.handle(say(URL, user="tg:1", chat=WEEK2, at=later))[0].text

    seen = {}
    for code in ("HUB", "THB-2025"):
        with operation_scope(op_id(hub, code)), hub.session() as session:
            findings = session.exec(select(Finding)).all()
            points = {s.participant_id: s.points for s in standings(session=session)}
            seen[code] = (
                [f.reporter_id for f in findings],
                len(session.exec(select(Report)).all()),
                outcomes(session=session).findings,
                points["tg:1"] > points["tg:2"],
            )
    assert seen["HUB"] == (["tg:1"], 2, 1, True)
    assert seen["THB-2025"] == (["tg:2"], 2, 1, False)
    with operation_scope(None), hub.session() as session:
        assert len(session.exec(select(Finding)).all()) == 2  # one per operation


def test_an_earlier_operation_that_allows_no_matching_is_never_named(hub: Dispatcher) -> None:
    hub.handle(say(URL, user="tg:1", chat=WEEK1))
    with Session(hub.engine) as session:
        first = operations.by_code("HUB", session=session)
        first.matching_allowed = False
        session.add(first)
        session.commit()
    reply = hub.handle(say(URL, user="tg:2", chat=WEEK2))[0].text
    assert "new" in reply and "was reported in" not in reply


def test_a_chat_of_no_operation_is_refused_and_nothing_is_stored(hub: Dispatcher) -> None:
    with operation_scope(None), hub.session() as session:
        before = len(session.exec(select(Submission)).all())
    assert hub.handle(say(URL, user="tg:1", chat="telegram:-1009")) == []
    with operation_scope(None), hub.session() as session:
        assert len(session.exec(select(Submission)).all()) == before


def test_display_names_are_unique_within_an_operation_by_a_database_index(hub: Dispatcher) -> None:
    reply = hub.handle(say("/join DE anna", user="tg:3", chat=WEEK2))[0]
    assert "anna 2" in reply.text
    with operation_scope(op_id(hub, "THB-2025")), hub.session() as session:
        names = sorted(m.name for m in session.exec(select(Membership)))
    assert names == ["Anna", "Mihai", "anna 2"]
    # The database itself refuses a second "ANNA" in one operation, whatever the code does.
    with Session(hub.engine) as session:
        session.add(
            Membership(
                operation_id=DEFAULT_OPERATION,
                participant_id="tg:3",
                name="ANNA",
                name_key="anna",
                joined_at=T0,
            )
        )
        with pytest.raises(IntegrityError):
            session.flush()


def test_a_closed_operation_refuses_pastes_and_keeps_its_rows(hub: Dispatcher) -> None:
    hub.handle(say(URL, user="tg:1", chat=WEEK2))
    with Session(hub.engine) as session:
        operation = operations.by_code("THB-2025", session=session)
        operations.close_operation(operation, at=T0 + timedelta(days=7), session=session)
        session.commit()
    with operation_scope(None), hub.session() as session:
        before = len(session.exec(select(Submission)).all())
    reply = hub.handle(say("https://www.rozenkamer.nl/ad/2", user="tg:1", chat=WEEK2))
    assert len(reply) == 1 and reply[0].refused and "closed" in reply[0].text
    with operation_scope(None), hub.session() as session:
        assert len(session.exec(select(Submission)).all()) == before
    assert hub.operation_of_chat(WEEK1) is not None  # the other operation is untouched
    assert "new" in hub.handle(say(URL, user="tg:1", chat=WEEK1))[0].text


def counts_of(hub: Dispatcher, code: str) -> dict[str, int]:
    with Session(hub.engine) as session:
        return operations.row_counts(operations.by_code(code, session=session).id or 0, session=session)


def test_purge_deletes_every_row_of_a_closed_operation_and_its_memory(
    hub: Dispatcher, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    hub.handle(say(URL, user="tg:1", chat=WEEK1))
    assert "was reported in HUB" in hub.handle(say(URL, user="tg:2", chat=WEEK2))[0].text
    kept = counts_of(hub, "THB-2025")
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "hub-findings.json").write_text("{}")
    with pytest.raises(SystemExit, match="open: close it first"):
        main(["operation", "--db", db_url, "purge", "HUB", "--confirm", "HUB"])
    assert main(["operation", "--db", db_url, "close", "HUB"]) == 0
    with pytest.raises(SystemExit, match="does not match"):
        main(["operation", "--db", db_url, "purge", "HUB", "--confirm", "THB-2025"])
    assert counts_of(hub, "HUB")["findings"] == 1  # nothing deleted yet
    assert (
        main(["operation", "--db", db_url, "purge", "HUB", "--confirm", "hub", "--data-dir", str(tmp_path)])
        == 0
    )
    assert "1 archived export files" in capsys.readouterr().out
    gone = counts_of(hub, "HUB")
    assert gone.pop("audit_log") == 1  # the purge's own line, with the counts
    assert gone == dict.fromkeys(gone, 0) and len(gone) >= 25
    assert counts_of(hub, "THB-2025") == kept  # the other operation is untouched
    with Session(hub.engine) as session:
        line = session.exec(select(AuditEntry).where(AuditEntry.action == "operation.purged")).one()
    assert '"findings": 1' in line.detail and not (tmp_path / "exports" / "hub-findings.json").exists()
    # Its memory is gone too: a later paste sharing its phone names no earlier operation.
    reply = hub.handle(say(URL3, user="tg:2", chat=WEEK2))[0].text
    assert "new" in reply and "was reported in" not in reply


def test_a_closed_operation_gets_no_digest_and_the_open_one_is_warned_of_its_retention(
    hub: Dispatcher,
) -> None:
    from commands.digest.delivery import DigestDelivery
    from commands.digest.schedule import schedule_of
    from tests.digest.conftest import RecordingPoster

    hub.handle(say(URL, user="tg:1", chat=WEEK1))
    hub.handle(say(URL, user="tg:1", chat=WEEK2))
    with Session(hub.engine) as session:
        operation = operations.by_code("THB-2025", session=session)
        operation.retention_until = "2025-10-01"
        operations.close_operation(operation, at=T0 + timedelta(days=7), session=session)
        session.commit()
    poster = RecordingPoster("telegram")
    delivery = DigestDelivery(
        hub.session,
        hub.clock,
        {"telegram": poster},  # type: ignore[dict-item]
        schedule_of("Europe/Amsterdam", "08:00", "19:00"),
        timedelta(hours=6),
        (WEEK1, WEEK2),
        chart=False,
        operation_of=hub.operation_of_chat,
    )
    morning = datetime(2025, 10, 20, 6, 0, 5, tzinfo=UTC)  # 08:00:05 in Amsterdam, after the retention date
    asyncio.run(delivery.catch_up(morning))
    assert [chat for chat, _ in poster.posts] == [WEEK1]  # the closed operation's chat gets nothing
    text = poster.posts[0][1].text
    assert "THB-2025 closed and is past its retention date (2025-10-01)" in text
    with operation_scope(op_id(hub, "THB-2025")), hub.session() as session:
        assert session.exec(select(func.count()).select_from(DigestRun)).one() == 0


def test_operation_tells_everyone_the_week_its_day_and_counts(hub: Dispatcher) -> None:
    with Session(hub.engine) as session:
        operation = operations.by_code("THB-2025", session=session)
        operation.starts_on, operation.ends_on = "2025-09-15", "2025-09-21"
        session.add(operation)
        session.commit()
    hub.clock = lambda: T0 + timedelta(days=2)
    hub.handle(say(URL, user="tg:2", chat=WEEK2))
    text = hub.handle(say("/operation", user="tg:2", chat=WEEK2))[0].text
    assert text.splitlines()[0] == "THB 2025 (THB-2025)"
    assert "day 3 of 7" in text and "1 finding, 1 report, 2 members" in text


def test_purge_drops_the_operations_records_from_the_evidence_warc(tmp_path: Path) -> None:
    from warcio.archiveiterator import ArchiveIterator

    from bot.operations_cli import remove_evidence_records

    warc = write_warc(
        tmp_path / "evidence.warc.gz",
        {URL: (200, "text/html", b"<p>a</p>", None), URL3: (200, "text/html", b"<p>b</p>", None)},
    )
    assert remove_evidence_records(warc, {URL}) >= 1
    with warc.open("rb") as stream:
        left = {r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(stream)}
    assert URL not in left and URL3 in left
