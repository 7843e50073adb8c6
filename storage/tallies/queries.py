"""Aggregate queries: the outcome counts and per-participant point totals, all in SQL.

The rules behind the numbers are documented once, in `commands/scoring.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, and_, distinct, exists, func, union
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.models import (
    Finding,
    FrozenScore,
    Membership,
    Participant,
    ParticipantScore,
    PlatformCheck,
    PlatformTally,
    Report,
    Tag,
)
from storage.scope import current, in_scope
from storage.tallies import cache as tally_cache
from storage.tallies import live as live_tallies
from storage.tallies.facts import COUNTS, pair_facts, participant_sums, unopened_finding


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
    """Sites with a finding or swept with /checked (platform tallies: one row per site)."""
    live_tallies.settle(session)
    found: Select[Any] = sa_select(col(PlatformTally.platform).label("p")).where(
        col(PlatformTally.platform) != "", col(PlatformTally.findings) > 0
    )
    swept: Select[Any] = sa_select(col(PlatformCheck.platform).label("p"))
    both = union(found, swept).subquery()
    return int(session.exec(select(func.count()).select_from(both)).one())


def platforms_with_indications(*, session: Session) -> int:
    live_tallies.settle(session)
    stmt = select(func.count()).select_from(PlatformTally).where(col(PlatformTally.suspects) > 0)
    return int(session.exec(stmt).one())


@dataclass(frozen=True, slots=True)
class FindingTotals:
    findings: int
    thb_urls: int  # THB-suspect or confirmed, and not rejected
    social: int  # findings on social platforms


def could_not_open(*, session: Session) -> int:
    """Findings still reported whose page could not be opened: they count in no other figure."""
    stmt = sa_select(func.count()).select_from(Finding).where(unopened_finding())
    return int(session.execute(stmt).scalar_one())


def finding_totals(*, session: Session) -> FindingTotals:
    """Sums of the platform tallies kept by storage/live_tallies.py."""
    live_tallies.settle(session)
    stmt = sa_select(
        func.coalesce(func.sum(col(PlatformTally.findings)), 0),
        func.coalesce(func.sum(col(PlatformTally.thb_urls)), 0),
        func.coalesce(func.sum(col(PlatformTally.social)), 0),
    )
    findings, thb, social = session.execute(stmt).one()
    return FindingTotals(int(findings), int(thb), int(social))


def standings(weights: Weights, *, session: Session, as_of: datetime | None = None) -> list[Standing]:
    """Every participant's points (see commands/scoring.py); ties broken by who reached the score first.

    Live standings read the totals kept by storage/live_tallies.py (one row per participant).
    `as_of` (a digest's "since yesterday") recomputes from the reports and links made up to that
    time, reused while the store is unchanged (storage/tally_cache.py).
    """
    if as_of is None:
        live_tallies.settle(session)
        return _ranked(session.execute(_joined(ParticipantScore)), weights)
    rows = tally_cache.remembered(
        ("standings", as_of),
        lambda: tuple(session.execute(_joined(participant_sums(pair_facts(as_of=as_of).subquery())))),
        session=session,
    )
    return _ranked(rows, weights)


def frozen_standings(weights: Weights, *, session: Session) -> list[Standing]:
    """The standings captured at /freeze (storage/live_tallies.py `freeze`)."""
    return _ranked(session.execute(_joined(FrozenScore)), weights)


def _joined(sums: Any) -> Select[Any]:
    """Every participant with their sums (zeros when they have none)."""
    table = sums.__table__ if hasattr(sums, "__table__") else sums
    stmt = (
        sa_select(
            col(Participant.id),
            col(Participant.name),
            col(Participant.country),
            *(func.coalesce(table.c[name], 0) for name in COUNTS),
            table.c.reached_at,
        )
        .select_from(Participant)
        .outerjoin(table, _kept_of_scope(sums, table))
    )
    if current() is not None:  # an operation's standings: its members only
        stmt = stmt.where(exists().where(col(Membership.participant_id) == col(Participant.id)))
    return stmt


def _kept_of_scope(sums: Any, table: Any) -> Any:
    """Join on the participant; a kept table also on the operation in scope (a Core join the
    ORM hook does not limit; computed sums are limited already)."""
    on = table.c.participant_id == col(Participant.id)
    return and_(on, in_scope(table)) if hasattr(sums, "__table__") else on


def _ranked(rows: Iterable[Any], weights: Weights) -> list[Standing]:
    out = []
    for pid, name, country, findings, corrob, owned, corroborating, suspect, confirmed, linked, last in rows:
        points = (
            owned * weights.new_finding
            + suspect * weights.suspect_bonus
            + confirmed * weights.confirmed_bonus
            + linked * weights.link_bonus
            + corroborating * weights.corroboration
        )
        out.append(Standing(pid, name, country, float(points), int(findings), int(corrob), utc_iso(last)))
    out.sort(key=lambda s: (-s.points, s.reached_at, s.participant_id))
    return out


def utc_iso(value: object) -> str:
    """A stored time as ISO 8601 UTC ("9999" for none: sorts after every real time)."""
    if value is None:
        return "9999"
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


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
