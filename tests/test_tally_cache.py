"""Remembered tallies never go stale: writes by another process, judgements, rolled-back writes.

A second engine on the same database stands in for another process (each engine has its own
memory); a third, fresh engine computes every answer from scratch to compare against.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from commands.outcomes import Outcomes, outcomes
from commands.scoring import standings
from storage import audit, findings, participants, submissions
from storage.engine import make_engine
from storage.models import Finding, Tag
from storage.tallies.queries import Standing

T0 = datetime(2025, 9, 15, 8, 0, tzinfo=UTC)


def _report(session: Session, pid: str, n: int, url: str) -> int:
    at = T0 + timedelta(minutes=n)
    sub, _ = submissions.record_submission(
        message_key=f"m{n}",
        platform="telegram",
        chat_id="thb",
        participant_id=pid,
        ts=at,
        text=url,
        received_at=at,
        session=session,
    )
    finding, _ = findings.claim_finding(
        canonical_url=url,
        url=url,
        platform="site.example",
        reporter_id=pid,
        reported_at=at,
        created_at=at,
        session=session,
    )
    findings.add_report(
        finding, submission_id=sub.id or 0, participant_id=pid, ts=at, url=url, session=session
    )
    return finding.id or 0


def _answers(engine: Engine) -> tuple[list[Standing], Outcomes]:
    with Session(engine) as session:
        return standings(session=session), outcomes(session=session)


def _setup(url: str) -> tuple[Engine, Engine, int]:
    here, there = make_engine(url), make_engine(url)
    with Session(there) as session:
        for pid, country in (("tg:1", "NL"), ("tg:2", "RO")):
            participants.register_participant(
                pid, platform="telegram", name=pid, country=country, at=T0, session=session
            )
        participants.ensure_chat("thb", platform="telegram", allowed=True, session=session)
        fid = _report(session, "tg:1", 1, "https://site.example/ad/1")
        session.commit()
    return here, there, fid


def test_writes_by_another_process_and_judgements_show_at_once(db_url: str) -> None:
    here, there, fid = _setup(db_url)
    before = _answers(here)
    assert _answers(here) == before  # asked again, unchanged
    with Session(there) as session:
        _report(session, "tg:2", 2, "https://site.example/ad/1")  # a corroboration
        session.add(Tag(finding_id=fid, tag="potential_victim", participant_id="tg:2", at=T0))
        session.commit()
    corroborated = _answers(here)
    assert corroborated != before
    assert corroborated == _answers(make_engine(db_url))
    assert corroborated[1].potential_victims == 1
    with Session(there) as session:  # /reject: an update, recorded in the audit log
        finding = session.get(Finding, fid)
        assert finding is not None
        finding.judgement = "rejected"
        session.add(finding)
        audit.record("tg:1", "finding.rejected", f"#{fid}", at=T0, session=session)
        session.commit()
    rejected = _answers(here)
    assert rejected == _answers(make_engine(db_url))
    assert all(row.points == 0 for row in rejected[0])


def test_an_answer_from_a_rolled_back_write_is_not_kept(db_url: str) -> None:
    here, there, _ = _setup(db_url)
    before = _answers(here)
    with Session(here) as session:
        _report(session, "tg:2", 2, "https://site.example/ad/2")
        session.flush()
        during = standings(session=session)
        session.rollback()
    assert during != before[0]
    # SQLite hands the rolled-back ids out again: a different write now has the same highest ids.
    with Session(there) as session:
        _report(session, "tg:1", 3, "https://site.example/ad/3")
        session.commit()
    after = _answers(here)
    assert after == _answers(make_engine(db_url))
    assert after[0] != during
