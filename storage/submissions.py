"""Submissions: every incoming message, committed before any processing."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import Submission
from storage.upsert import insert_ignore


def record_submission(
    *,
    message_key: str,
    platform: str,
    chat_id: str,
    participant_id: str,
    ts: datetime,
    text: str,
    received_at: datetime,
    session: Session,
) -> tuple[Submission, bool]:
    """Store the message once; returns it and whether this delivery was the first."""
    created = insert_ignore(
        Submission,
        {
            "message_key": message_key,
            "platform": platform,
            "chat_id": chat_id,
            "participant_id": participant_id,
            "ts": ts,
            "text": text,
            "status": "received",
            "received_at": received_at,
        },
        ["message_key"],
        session=session,
    )
    submission = session.exec(
        select(Submission)
        .where(Submission.message_key == message_key)
        .execution_options(populate_existing=True)
    ).one()
    return submission, created


def finish_submission(
    submission: Submission,
    *,
    status: str,
    reply: str | None,
    error: str | None,
    at: datetime,
    session: Session,
) -> None:
    submission.status = status
    submission.reply = reply
    submission.error = error[:500] if error else None
    submission.processed_at = at
    session.add(submission)
    session.flush()


def unfinished_submissions(*, session: Session) -> list[Submission]:
    """Submissions a crash left behind or that failed, oldest first."""
    stmt = (
        select(Submission)
        .where(col(Submission.status).in_(("received", "failed")))
        .order_by(col(Submission.id))
    )
    return list(session.exec(stmt))


def get_submission(submission_id: int, *, session: Session) -> Submission:
    submission = session.get(Submission, submission_id, populate_existing=True)
    if submission is None:
        raise LookupError(f"submission {submission_id} does not exist")
    return submission


def claim_for_update(submission_id: int, *, session: Session) -> Submission | None:
    """The submission if it still needs work and no other transaction holds it (PostgreSQL
    skips rows locked by another worker; SQLite has one writer and ignores the clause)."""
    stmt = (
        select(Submission)
        .where(Submission.id == submission_id, col(Submission.status).in_(("received", "failed")))
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    return session.exec(stmt).first()


def received_since(participant_id: str, since: datetime, *, session: Session) -> int:
    """How many messages a participant sent since `since` (wall clock of arrival)."""
    from sqlalchemy import func

    stmt = select(func.count()).where(
        Submission.participant_id == participant_id, Submission.received_at >= since
    )
    return int(session.exec(stmt).one())
