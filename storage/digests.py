"""Digest bookkeeping: which digest went to which chat (digest_runs) and each chat's digest times.

A digest slot is *claimed* by inserting its (chat, slot, local date) row; the unique constraint
lets exactly one worker win, whatever the number of processes or restarts. A claimed slot is
never claimed again, even when its post failed: a digest is posted at most once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage.models import ChatDigestSetting, DigestRun
from storage.scope import operation_id
from storage.upsert import insert_ignore

CLAIM_COLUMNS = ("operation_id", "chat_id", "slot", "local_date")


def claim_run(chat_id: str, slot: str, local_date: str, *, at: datetime, session: Session) -> bool:
    """Claim one chat's slot of one local day; True for the single caller that may post it."""
    return insert_ignore(
        DigestRun,
        {
            "operation_id": operation_id(),
            "chat_id": chat_id,
            "slot": slot,
            "local_date": local_date,
            "started_at": at,
            "status": "started",
        },
        CLAIM_COLUMNS,
        session=session,
    )


def skip_run(chat_id: str, slot: str, local_date: str, *, at: datetime, session: Session) -> bool:
    """Record a slot that will never be posted (coalesced into a later one); True if it was open."""
    return insert_ignore(
        DigestRun,
        {
            "operation_id": operation_id(),
            "chat_id": chat_id,
            "slot": slot,
            "local_date": local_date,
            "started_at": at,
            "status": "skipped",
        },
        CLAIM_COLUMNS,
        session=session,
    )


def finish_run(
    chat_id: str, slot: str, local_date: str, *, status: str, at: datetime, session: Session
) -> None:
    """Mark a claimed run posted or failed."""
    session.execute(
        update(DigestRun)
        .where(
            col(DigestRun.chat_id) == chat_id,
            col(DigestRun.slot) == slot,
            col(DigestRun.local_date) == local_date,
        )
        .values(status=status, posted_at=at if status == "posted" else None)
    )


def runs_of(chat_id: str, *, session: Session) -> list[DigestRun]:
    stmt = (
        select(DigestRun)
        .where(DigestRun.chat_id == chat_id)
        .order_by(col(DigestRun.local_date), col(DigestRun.slot))
    )
    return list(session.exec(stmt))


def last_posted_at(chat_id: str, *, before: datetime, session: Session) -> datetime | None:
    """When the chat last received a digest (strictly before `before`)."""
    stmt = (
        select(DigestRun.posted_at)
        .where(
            DigestRun.chat_id == chat_id,
            DigestRun.status == "posted",
            col(DigestRun.posted_at) < before,
        )
        .order_by(col(DigestRun.posted_at).desc())
        .limit(1)
    )
    return session.exec(stmt).first()


def chat_setting(chat_id: str, *, session: Session) -> ChatDigestSetting | None:
    return session.get(ChatDigestSetting, (operation_id(), chat_id))


def all_chat_settings(*, session: Session) -> dict[str, ChatDigestSetting]:
    return {row.chat_id: row for row in session.exec(select(ChatDigestSetting))}


def set_chat_setting(
    chat_id: str, *, timezone: str, morning: str, evening: str, at: datetime, by: str, session: Session
) -> ChatDigestSetting:
    """Store a chat's own digest times (the last coordinator to set them wins)."""
    values = {
        "timezone": timezone,
        "morning": morning,
        "evening": evening,
        "updated_at": at,
        "updated_by": by,
    }
    if not insert_ignore(
        ChatDigestSetting,
        {"operation_id": operation_id(), "chat_id": chat_id, **values},
        ["operation_id", "chat_id"],
        session=session,
    ):
        session.execute(
            update(ChatDigestSetting).where(col(ChatDigestSetting.chat_id) == chat_id).values(**values)
        )
    found = session.get(ChatDigestSetting, (operation_id(), chat_id), populate_existing=True)
    assert found is not None
    return found
