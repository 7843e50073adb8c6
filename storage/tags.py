"""Human judgements on findings (tags) and platform sweeps (`/checked`)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import PlatformCheck, Tag
from storage.upsert import insert_ignore

POTENTIAL_VICTIM = "potential_victim"
POTENTIAL_PERPETRATOR = "potential_perpetrator"


def add_tag(
    finding_id: int, tag: str, participant_id: str, *, note: str, at: datetime, session: Session
) -> bool:
    """Tag a finding once per participant; True when this call added it (a repeat changes nothing)."""
    return insert_ignore(
        Tag,
        {
            "finding_id": finding_id,
            "tag": tag,
            "participant_id": participant_id,
            "note": note[:500],
            "at": at,
        },
        ["finding_id", "tag", "participant_id"],
        session=session,
    )


def tags_of(finding_id: int, *, session: Session) -> list[Tag]:
    stmt = select(Tag).where(Tag.finding_id == finding_id).order_by(col(Tag.at), col(Tag.id))
    return list(session.exec(stmt))


def record_check(
    platform: str, participant_id: str, *, nothing_found: bool, at: datetime, session: Session
) -> bool:
    """Record that a participant swept a platform; True when anything changed.

    One row per participant and platform: checking again only updates "nothing found" (a later
    hit on a platform first swept in vain is what matters).
    """
    values = {
        "platform": platform,
        "participant_id": participant_id,
        "nothing_found": nothing_found,
        "at": at,
    }
    if insert_ignore(PlatformCheck, values, ["operation_id", "platform", "participant_id"], session=session):
        return True
    existing = session.exec(
        select(PlatformCheck)
        .where(PlatformCheck.platform == platform, PlatformCheck.participant_id == participant_id)
        .execution_options(populate_existing=True)
    ).one()
    if existing.nothing_found == nothing_found:
        return False
    existing.nothing_found, existing.at = nothing_found, at
    session.add(existing)
    session.flush()
    return True
