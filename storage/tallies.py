"""Aggregate queries: the outcome counts and per-participant point totals, all in SQL.

The rules behind the numbers are documented once, in `commands/scoring.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, distinct, func, union
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage import tally_cache
from storage.models import Finding, FindingLink, Identifier, Participant, PlatformCheck, Report, Tag


@dataclass(frozen=True, slots=True)
class Weights:
    new_finding: float
    suspect_bonus: float
    confirmed_bonus: float
    corroboration: float
    link_bonus: float = 0.0


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


def standings(weights: Weights, *, session: Session, as_of: datetime | None = None) -> list[Standing]:
    """Every participant's points (see commands/scoring.py); ties broken by who reached the score first.

    `as_of` (a leaderboard freeze) counts only reports and links made up to that time. Reused
    while the store is unchanged (storage/tally_cache.py).
    """
    rows = tally_cache.remembered(
        ("standings", weights, as_of),
        lambda: tuple(_standings(weights, session=session, as_of=as_of)),
        session=session,
    )
    return list(rows)


def _standings(weights: Weights, *, session: Session, as_of: datetime | None) -> list[Standing]:
    live: list[ColumnElement[bool]] = [col(Report.retracted).is_(False)]
    if as_of is not None:
        live.append(col(Report.ts) <= as_of)
    # One row per participant and finding: reporting the same ad again never pays again.
    pair = (
        sa_select(
            col(Report.participant_id).label("pid"),
            col(Report.finding_id).label("fid"),
            func.min(col(Report.ts)).label("ts"),
        )
        .where(*live)
        .group_by(col(Report.participant_id), col(Report.finding_id))
        .subquery()
    )
    linking: list[ColumnElement[bool]] = [col(Identifier.ignored).is_(False), col(FindingLink.kind) != "text"]
    if as_of is not None:
        linking.append(col(FindingLink.created_at) <= as_of)
    linked = (
        sa_select(col(FindingLink.finding_b).label("fid"))
        .join(
            Identifier,
            and_(
                col(Identifier.kind) == col(FindingLink.kind), col(Identifier.value) == col(FindingLink.value)
            ),
        )
        .where(*linking)
        .distinct()
        .subquery()
    )
    owner = pair.c.pid == col(Finding.reporter_id)
    rejected = func.coalesce(col(Finding.judgement), "") == "rejected"
    points = case(
        (rejected, 0.0),
        (
            owner,
            weights.new_finding
            + case((col(Finding.thb_suspect).is_(True), weights.suspect_bonus), else_=0.0)
            + case((col(Finding.judgement) == "confirmed", weights.confirmed_bonus), else_=0.0)
            + case((linked.c.fid.is_not(None), weights.link_bonus), else_=0.0),
        ),
        else_=weights.corroboration,
    )
    per_pair = (
        sa_select(
            pair.c.pid.label("pid"),
            points.label("points"),
            case((owner, 1), else_=0).label("owned"),
            case((owner, 0), else_=1).label("corroborated"),
            pair.c.ts.label("ts"),
        )
        .select_from(pair)
        .join(Finding, col(Finding.id) == pair.c.fid)
        .outerjoin(linked, linked.c.fid == pair.c.fid)
        .subquery()
    )
    stmt = (
        sa_select(
            col(Participant.id),
            col(Participant.name),
            col(Participant.country),
            func.coalesce(func.sum(per_pair.c.points), 0.0),
            func.coalesce(func.sum(per_pair.c.owned), 0),
            func.coalesce(func.sum(per_pair.c.corroborated), 0),
            func.max(case((per_pair.c.points > 0, per_pair.c.ts), else_=None)),
        )
        .select_from(Participant)
        .outerjoin(per_pair, per_pair.c.pid == col(Participant.id))
        .group_by(col(Participant.id), col(Participant.name), col(Participant.country))
    )
    rows = []
    for pid, name, country, pts, owned, corroborated, last in session.execute(stmt):
        reached = last.isoformat() if hasattr(last, "isoformat") else str(last or "9999")
        rows.append(Standing(pid, name, country, float(pts), int(owned), int(corroborated), reached))
    rows.sort(key=lambda s: (-s.points, s.reached_at, s.participant_id))
    return rows


@dataclass(frozen=True, slots=True)
class Backlog:
    """What still waits for people: corroboration by others and a coordinator's judgement."""

    corroborated_by_others: int  # own findings someone else has reported too
    uncorroborated: int  # own findings nobody else has reported yet
    awaiting_judgement: int  # own THB-suspect findings neither confirmed nor rejected
    team_awaiting_judgement: int


def backlog(participant_id: str, *, session: Session) -> Backlog:
    """Reused while the store is unchanged (storage/tally_cache.py)."""
    return tally_cache.remembered(
        ("backlog", participant_id), lambda: _backlog(participant_id, session=session), session=session
    )


def _backlog(participant_id: str, *, session: Session) -> Backlog:
    others = (
        select(Report.finding_id)
        .where(Report.participant_id != participant_id, col(Report.retracted).is_(False))
        .distinct()
    )
    owned = select(func.count()).select_from(Finding).where(Finding.reporter_id == participant_id)
    corroborated = int(session.exec(owned.where(col(Finding.id).in_(others))).one())
    total = int(session.exec(owned).one())
    unjudged = [col(Finding.thb_suspect).is_(True), col(Finding.judgement).is_(None)]
    mine = int(session.exec(owned.where(*unjudged)).one())
    team = int(session.exec(select(func.count()).select_from(Finding).where(*unjudged)).one())
    return Backlog(corroborated, total - corroborated, mine, team)


def findings_per_day(*, session: Session) -> list[tuple[str, str, int]]:
    """(UTC day "YYYY-MM-DD", platform kind, findings first reported that day), oldest first."""
    day = func.date(col(Finding.reported_at))
    stmt = (
        sa_select(day, col(Finding.platform_kind), func.count())
        .group_by(day, col(Finding.platform_kind))
        .order_by(day, col(Finding.platform_kind))
    )
    return [(str(d), kind, int(n)) for d, kind, n in session.execute(stmt)]
