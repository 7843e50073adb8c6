"""The latest reports with what they turned out to be, for the venue screen's ticker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from storage.models import Finding, FindingLink, Participant, Report


@dataclass(frozen=True, slots=True)
class TickerRow:
    """One live report: the finding's number and site, who reported it, and its marks."""

    finding_id: int
    platform: str
    platform_kind: str
    reporter: str
    country: str
    at: datetime
    first: bool  # the finding's first report (else a duplicate: someone reported it before)
    linked: bool  # the finding shares an identifier or copied text with another finding
    thb_suspect: bool
    judgement: str | None


def latest_reports(limit: int, *, session: Session) -> list[TickerRow]:
    """The `limit` latest live reports, newest first (by message time, then id)."""
    linked = (
        sa_select(col(FindingLink.id))
        .where(
            (col(FindingLink.finding_a) == col(Finding.id)) | (col(FindingLink.finding_b) == col(Finding.id))
        )
        .exists()
    )
    stmt = (
        sa_select(
            col(Report.id),
            col(Finding.id),
            col(Finding.platform),
            col(Finding.platform_kind),
            col(Participant.name),
            col(Participant.country),
            col(Report.ts),
            col(Report.participant_id) == col(Finding.reporter_id),
            linked,
            col(Finding.thb_suspect),
            col(Finding.judgement),
        )
        .join(Finding, col(Finding.id) == col(Report.finding_id))
        .join(Participant, col(Participant.id) == col(Report.participant_id))
        .where(col(Report.retracted).is_(False))
        .order_by(col(Report.ts).desc(), col(Report.id).desc())
        .limit(limit)
    )
    rows = list(session.execute(stmt))
    earliest = _earliest_live_reports([r[1] for r in rows], session=session)
    return [
        TickerRow(
            finding_id=int(fid),
            platform=platform or "",
            platform_kind=kind or "other",
            reporter=name,
            country=country,
            at=ts,
            first=earliest.get(int(fid)) == int(rid) and bool(owner),
            linked=bool(is_linked),
            thb_suspect=bool(suspect),
            judgement=judgement,
        )
        for rid, fid, platform, kind, name, country, ts, owner, is_linked, suspect, judgement in rows
    ]


def _earliest_live_reports(finding_ids: list[int], *, session: Session) -> dict[int, int]:
    """finding id → the id of its earliest live report (by message time, then id)."""
    stmt = (
        sa_select(col(Report.finding_id), col(Report.id))
        .where(col(Report.finding_id).in_(finding_ids), col(Report.retracted).is_(False))
        .order_by(col(Report.finding_id), col(Report.ts).desc(), col(Report.id).desc())
    )
    earliest: dict[int, int] = {}
    for fid, rid in session.execute(stmt):
        earliest[int(fid)] = int(rid)  # the last one seen per finding is the earliest
    return earliest
