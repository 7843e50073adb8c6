"""Aggregate queries: the outcome counts and per-participant point totals."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, distinct, func, union
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.models import Finding, Participant, PlatformCheck, Report, Tag


@dataclass(frozen=True, slots=True)
class Weights:
    new_finding: float
    suspect_bonus: float
    confirmed_bonus: float
    corroboration: float


@dataclass(frozen=True, slots=True)
class Standing:
    participant_id: str
    name: str
    country: str
    points: float
    findings: int
    corroborations: int
    reached_at: str  # ISO time of the participant's last scoring report: earlier wins ties


def tag_count(tag: str, *, session: Session) -> int:
    stmt = select(func.count(distinct(col(Tag.finding_id)))).where(Tag.tag == tag)
    return int(session.exec(stmt).one())


def platforms_checked(*, session: Session) -> int:
    found = select(Finding.platform.label("p")).where(Finding.platform != "")  # type: ignore[attr-defined]
    swept = select(PlatformCheck.platform.label("p"))  # type: ignore[attr-defined]
    both = union(found, swept).subquery()
    return int(session.exec(select(func.count()).select_from(both)).one())


def platforms_with_indications(*, session: Session) -> int:
    stmt = select(func.count(distinct(col(Finding.platform)))).where(col(Finding.thb_suspect).is_(True))
    return int(session.exec(stmt).one())


def thb_urls(*, session: Session) -> int:
    stmt = (
        select(func.count())
        .select_from(Finding)
        .where(
            (col(Finding.thb_suspect).is_(True) | (Finding.judgement == "confirmed")),
            func.coalesce(Finding.judgement, "") != "rejected",
        )
    )
    return int(session.exec(stmt).one())


def findings_of_kind(kind: str, *, session: Session) -> int:
    stmt = select(func.count()).select_from(Finding).where(Finding.platform_kind == kind)
    return int(session.exec(stmt).one())


def standings(weights: Weights, *, session: Session) -> list[Standing]:
    """Every participant's points; ties broken by who reached the score first."""
    is_first = and_(
        col(Report.participant_id) == col(Finding.reporter_id), col(Report.ts) == col(Finding.reported_at)
    )
    rejected = func.coalesce(col(Finding.judgement), "") == "rejected"
    points = case(
        (rejected, 0.0),
        (
            is_first,
            weights.new_finding
            + case((col(Finding.thb_suspect).is_(True), weights.suspect_bonus), else_=0.0)
            + case((col(Finding.judgement) == "confirmed", weights.confirmed_bonus), else_=0.0),
        ),
        else_=weights.corroboration,
    )
    per_report = (
        select(
            col(Report.participant_id).label("pid"),
            points.label("points"),
            case((is_first, 1), else_=0).label("first"),
            col(Report.ts).label("ts"),
        )
        .join(Finding, col(Finding.id) == col(Report.finding_id))
        .where(col(Report.retracted).is_(False))
        .subquery()
    )
    stmt = (
        sa_select(
            col(Participant.id),
            col(Participant.name),
            col(Participant.country),
            func.coalesce(func.sum(per_report.c.points), 0.0),
            func.coalesce(func.sum(per_report.c.first), 0),
            func.count(per_report.c.pid),
            func.max(per_report.c.ts),
        )
        .select_from(Participant)
        .outerjoin(per_report, per_report.c.pid == col(Participant.id))
        .group_by(col(Participant.id), col(Participant.name), col(Participant.country))
    )
    rows = []
    for pid, name, country, pts, firsts, reports, last in session.execute(stmt):
        reached = last.isoformat() if hasattr(last, "isoformat") else str(last or "9999")
        rows.append(
            Standing(pid, name, country, float(pts), int(firsts), int(reports) - int(firsts), reached)
        )
    rows.sort(key=lambda s: (-s.points, s.reached_at, s.participant_id))
    return rows
