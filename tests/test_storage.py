"""Storage on both back ends: migrations, constraints that settle races, first reporter by time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage import findings, identifiers, participants, submissions, tags
from storage.engine import current_revision, make_engine, upgrade
from storage.models import Identifier, PlatformCheck, Report

T0 = datetime(2025, 9, 15, 8, 0, tzinfo=UTC)


def _setup(session: Session) -> None:
    for pid, country in (("tg:1", "NL"), ("tg:2", "RO"), ("slack:U3", "DE")):
        participants.register_participant(
            pid, platform=pid.split(":")[0], name=pid, country=country, at=T0, session=session
        )
    participants.ensure_chat("thb", platform="telegram", allowed=True, session=session)


def _submission(session: Session, key: str, pid: str, ts: datetime) -> int:
    sub, _ = submissions.record_submission(
        message_key=key,
        platform="telegram",
        chat_id="thb",
        participant_id=pid,
        ts=ts,
        text="x",
        received_at=ts,
        session=session,
    )
    assert sub.id is not None
    return sub.id


def test_migrations_create_every_table_and_are_idempotent(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)  # a second time: nothing to do
    assert current_revision(engine) is not None
    tables = set(inspect(engine).get_table_names())
    assert {
        "participants",
        "chats",
        "submissions",
        "findings",
        "finding_aliases",
        "reports",
        "identifiers",
        "finding_identifiers",
        "submission_identifiers",
        "finding_indicators",
        "tags",
        "platform_checks",
        "audit_log",
    } <= tables


def test_a_message_is_stored_once_per_delivery_key(db_url: str) -> None:
    with Session(make_engine(db_url)) as session:
        _setup(session)
        first, created = submissions.record_submission(
            message_key="telegram:thb:42",
            platform="telegram",
            chat_id="thb",
            participant_id="tg:1",
            ts=T0,
            text="https://example.nl/ad/1",
            received_at=T0,
            session=session,
        )
        again, created_again = submissions.record_submission(
            message_key="telegram:thb:42",
            platform="telegram",
            chat_id="thb",
            participant_id="tg:1",
            ts=T0,
            text="https://example.nl/ad/1",
            received_at=T0,
            session=session,
        )
        session.commit()
        assert created and not created_again
        assert first.id == again.id
        assert [s.id for s in submissions.unfinished_submissions(session=session)] == [first.id]


def test_one_finding_per_canonical_url_and_earliest_report_owns_it(db_url: str) -> None:
    with Session(make_engine(db_url)) as session:
        _setup(session)
        late = _submission(session, "a", "tg:2", T0 + timedelta(hours=2))
        early = _submission(session, "b", "tg:1", T0)
        # The later message is processed first (a slow worker): ownership still goes by message time.
        finding, created = findings.claim_finding(
            canonical_url="https://example.nl/ad/1",
            url="http://example.nl/ad/1",
            platform="example.nl",
            reporter_id="tg:2",
            reported_at=T0 + timedelta(hours=2),
            created_at=T0,
            session=session,
        )
        assert created
        findings.add_report(
            finding,
            submission_id=late,
            participant_id="tg:2",
            ts=T0 + timedelta(hours=2),
            url="http://example.nl/ad/1",
            session=session,
        )
        same, created_again = findings.claim_finding(
            canonical_url="https://example.nl/ad/1",
            url="x",
            platform="",
            reporter_id="tg:1",
            reported_at=T0,
            created_at=T0,
            session=session,
        )
        assert not created_again and same.id == finding.id
        findings.add_report(
            same,
            submission_id=early,
            participant_id="tg:1",
            ts=T0,
            url="https://example.nl/ad/1",
            session=session,
        )
        session.commit()
        session.refresh(finding)
        assert finding.reporter_id == "tg:1"
        assert finding.reported_at == T0
        assert [r.participant_id for r in findings.reports_of(finding.id or 0, session=session)] == [
            "tg:1",
            "tg:2",
        ]
        # A redelivered message does not add a second report.
        assert not findings.add_report(
            finding, submission_id=early, participant_id="tg:1", ts=T0, url="y", session=session
        )


def test_aliases_lead_to_the_finding(db_url: str) -> None:
    with Session(make_engine(db_url)) as session:
        _setup(session)
        finding, _ = findings.claim_finding(
            canonical_url="https://vk.com/id1",
            url="https://bit.ly/x",
            platform="vk.com",
            reporter_id="tg:1",
            reported_at=T0,
            created_at=T0,
            session=session,
        )
        findings.add_alias("https://bit.ly/x", finding.id or 0, session=session)
        session.commit()
        found = findings.finding_for_url("https://bit.ly/x", session=session)
        assert found is not None and found.id == finding.id
        assert findings.finding_for_url("https://bit.ly/other", session=session) is None


def test_identifier_kind_value_is_unique(db_url: str) -> None:
    engine = make_engine(db_url)
    with Session(engine) as session:
        _setup(session)
        a = identifiers.identifier_id("phone", "+40742567331", session=session)
        b = identifiers.identifier_id("phone", "+40742567331", session=session)
        c = identifiers.identifier_id("email", "+40742567331", session=session)
        session.commit()
        assert a == b != c
    with Session(engine) as session, pytest.raises(IntegrityError):
        session.add(Identifier(kind="phone", value="+40742567331"))
        session.commit()


def test_one_sweep_row_per_participant_and_platform(db_url: str) -> None:
    engine = make_engine(db_url)
    at = datetime(2025, 9, 15, 8, 0, tzinfo=UTC)
    with Session(engine) as session:
        assert tags.record_check("vk.com", "tg:1", nothing_found=True, at=at, session=session)
        assert not tags.record_check("vk.com", "tg:1", nothing_found=True, at=at, session=session)
        assert tags.record_check("vk.com", "tg:1", nothing_found=False, at=at, session=session)  # a hit now
        session.commit()
    with Session(engine) as session, pytest.raises(IntegrityError):
        session.add(PlatformCheck(platform="vk.com", participant_id="tg:1", nothing_found=True, at=at))
        session.commit()


def test_a_report_needs_a_registered_participant(db_url: str) -> None:
    with Session(make_engine(db_url)) as session:
        _setup(session)
        sub = _submission(session, "k", "tg:1", T0)
        finding, _ = findings.claim_finding(
            canonical_url="https://a.nl/",
            url="https://a.nl/",
            platform="a.nl",
            reporter_id="tg:1",
            reported_at=T0,
            created_at=T0,
            session=session,
        )
        session.commit()
        session.add(
            Report(finding_id=finding.id or 0, submission_id=sub, participant_id="tg:404", ts=T0, url="u")
        )
        with pytest.raises(IntegrityError):
            session.commit()
