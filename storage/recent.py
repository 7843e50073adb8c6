"""What changed since a moment: the outcome categories counted from a time on, for digests.

Each query mirrors one in `storage/tallies.py` with a time bound, so that "new since" counted
from the beginning equals the live total (a test holds them together). Times are message
times (a finding's first report, a tag's time, a network's creation), not the wall clock.
Findings whose every report was withdrawn count nowhere, as in the live figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, union_all
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.models import Finding, Network, PlatformCheck, Tag
from storage.tallies.facts import counted_finding, unopened_finding


@dataclass(frozen=True, slots=True)
class Recent:
    """Counts of outcome items that first appeared at or after a moment."""

    potential_victims: int
    potential_perpetrators: int
    platforms_checked: int
    thb_urls: int
    social_profiles: int
    findings: int
    platforms_with_indications: int
    could_not_open: int


def _new_tags(tag: str, since: datetime, *, session: Session) -> int:
    first = (
        select(Tag.finding_id)
        .where(Tag.tag == tag)
        .group_by(col(Tag.finding_id))
        .having(func.min(Tag.at) >= since)
        .subquery()
    )
    return int(session.exec(select(func.count()).select_from(first)).one())


def _new_platforms(since: datetime, *, suspect_only: bool, session: Session) -> int:
    """Platforms first seen (first finding, or first sweep) at or after `since`."""
    found: Select[str, datetime] = sa_select(
        col(Finding.platform).label("p"), col(Finding.reported_at).label("at")
    ).where(col(Finding.platform) != "", counted_finding())
    if suspect_only:
        seen = found.where(col(Finding.thb_suspect).is_(True)).subquery()
    else:
        swept: Select[str, datetime] = sa_select(
            col(PlatformCheck.platform).label("p"), col(PlatformCheck.at).label("at")
        )
        seen = union_all(found, swept).subquery()
    first = sa_select(seen.c.p).group_by(seen.c.p).having(func.min(seen.c.at) >= since).subquery()
    return int(session.exec(select(func.count()).select_from(first)).one())


def _new_findings(since: datetime, *where: ColumnElement[bool], session: Session, opened: bool = True) -> int:
    which = counted_finding() if opened else unopened_finding()
    stmt = select(func.count()).select_from(Finding).where(col(Finding.reported_at) >= since, which, *where)
    return int(session.exec(stmt).one())


def recent(since: datetime, *, session: Session) -> Recent:
    thb = and_(
        col(Finding.thb_suspect).is_(True) | (Finding.judgement == "confirmed"),
        func.coalesce(Finding.judgement, "") != "rejected",
    )
    return Recent(
        potential_victims=_new_tags("potential_victim", since, session=session),
        potential_perpetrators=_new_tags("potential_perpetrator", since, session=session),
        platforms_checked=_new_platforms(since, suspect_only=False, session=session),
        thb_urls=_new_findings(since, thb, session=session),
        social_profiles=_new_findings(since, col(Finding.platform_kind) == "social", session=session),
        findings=_new_findings(since, session=session),
        platforms_with_indications=_new_platforms(since, suspect_only=True, session=session),
        could_not_open=_new_findings(since, session=session, opened=False),
    )


def networks_created_since(network_ids: list[int], since: datetime, *, session: Session) -> set[int]:
    stmt = select(Network.id).where(col(Network.id).in_(network_ids), col(Network.created_at) >= since)
    return {n for n in session.exec(stmt) if n is not None}


def suspect_by_platform(limit: int, *, session: Session) -> list[tuple[str, int]]:
    """Platforms with the most THB-suspect findings (not rejected)."""
    count = func.count()
    stmt = (
        sa_select(col(Finding.platform), count)
        .where(
            col(Finding.thb_suspect).is_(True),
            func.coalesce(Finding.judgement, "") != "rejected",
            col(Finding.platform) != "",
        )
        .group_by(col(Finding.platform))
        .order_by(count.desc(), col(Finding.platform))
        .limit(limit)
    )
    return [(platform, int(n)) for platform, n in session.execute(stmt)]


def awaiting_judgement(*, session: Session) -> list[Finding]:
    """Suspect findings no coordinator has confirmed or rejected yet, strongest first."""
    stmt = (
        select(Finding)
        .where(
            col(Finding.thb_suspect).is_(True),
            col(Finding.judgement).is_(None),
            col(Finding.suppressed).is_(None),
        )
        .order_by(col(Finding.thb_score).desc(), col(Finding.id))
    )
    return list(session.exec(stmt))


# Outcomes worth a second try by hand: the site was slow, broken or absent from the archive.
# Refusals (private targets, .onion without Tor), media and 4xx answers are final.
RETRYABLE = ("timeout", "error", "not_fetched", "too_large")


def fetch_failures(*, session: Session) -> list[Finding]:
    """Findings whose page could not be fetched but might be on a second try, oldest first."""
    stmt = (
        select(Finding)
        .where(
            col(Finding.suppressed).is_(None),
            col(Finding.fetch_outcome).in_(RETRYABLE)
            | (
                (col(Finding.fetch_outcome) == "http_error")
                & ((col(Finding.fetch_status) >= 500) | (col(Finding.fetch_status) == 429))
            ),
        )
        .order_by(col(Finding.reported_at), col(Finding.id))
    )
    return list(session.exec(stmt))
