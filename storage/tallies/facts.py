"""The facts points are made of, as SQL: per (participant, finding) and summed per participant.

Shared by the live upkeep (storage/live_tallies.py, a few findings at a time) and by the
recomputations from scratch (a digest's "since yesterday", the freeze, `hub db rebuild-tallies`),
so both count by one definition. The weights are applied by the reader (storage/tallies.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Select, and_, case, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import col

from storage.models import Finding, FindingLink, Identifier, Report

COUNTS = ("findings", "corroborations", "owned_scoring", "corroborating", "suspect", "confirmed", "linked")


def has_live_report() -> ColumnElement[bool]:
    """The finding still has a report nobody withdrew: only such findings count in the figures."""
    return (
        sa_select(col(Report.id))
        .where(col(Report.finding_id) == col(Finding.id), col(Report.retracted).is_(False))
        .exists()
    )


def was_opened(judgement: Any = None) -> ColumnElement[bool]:
    """The page was fetched and read — not refused, an HTTP error, a timeout, too large, not HTML
    or stopped under the CSAM policy — or a coordinator confirmed the finding by hand. Only such
    findings earn points and count in the outcome figures; the others are "could not open"."""
    verdict = col(Finding.judgement) if judgement is None else judgement
    read = and_(col(Finding.fetch_outcome) == "ok", col(Finding.suppressed).is_(None))
    return or_(read, func.coalesce(verdict, "") == "confirmed")  # never NULL: it is negated too


def opened(finding: Any) -> bool:
    """`was_opened` for one finding in memory, a Finding or a row of its columns (the export)."""
    read = finding.fetch_outcome == "ok" and finding.suppressed is None
    return read or finding.judgement == "confirmed"


def counted_finding() -> ColumnElement[bool]:
    """A finding the outcome figures count: still reported (not all withdrawn) and opened."""
    return and_(has_live_report(), was_opened())


def unopened_finding() -> ColumnElement[bool]:
    """A finding still reported whose page could not be opened (the "could not open" figure)."""
    return and_(has_live_report(), ~was_opened())


def pair_facts(
    *,
    finding_ids: Sequence[int] | BindParameter[Any] | None = None,
    as_of: datetime | None = None,
    judgement_times: bool = True,
) -> Select[Any]:
    """One row per participant and finding they reported (live reports only), with the flags the
    points are made of: pid, fid, ts (their first report), owned, scoring (not rejected) and the
    owner's bonuses suspect, confirmed, linked. Reporting the same ad again never pays again.

    `finding_ids` limits it to those findings (live upkeep; an expanding bind parameter lets the
    statement be built once); `as_of` to reports and links made up to that time, and judgements
    given by then (`judgement_times=False`: a store before migration 0009 has no judgement times).
    """
    live: list[ColumnElement[bool]] = [col(Report.retracted).is_(False)]
    linking: list[ColumnElement[bool]] = [col(Identifier.ignored).is_(False), col(FindingLink.kind) != "text"]
    if as_of is not None:
        live.append(col(Report.ts) <= as_of)
        linking.append(col(FindingLink.created_at) <= as_of)
    if finding_ids is not None:
        ids = finding_ids if isinstance(finding_ids, BindParameter) else list(finding_ids)
        live.append(col(Report.finding_id).in_(ids))
        linking.append(col(FindingLink.finding_b).in_(ids))
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
    # A link bonus: the finding shared an identifier (not mere ad text) with an earlier finding.
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
    owned = pair.c.pid == col(Finding.reporter_id)
    judgement: Any = col(Finding.judgement)
    if as_of is not None and judgement_times:
        # A judgement given after `as_of` did not exist yet (only the latest one is kept, so one
        # that replaced an earlier judgement leaves the finding unjudged then; none recorded a
        # time before migration 0009: those count as given).
        then = or_(col(Finding.judged_at).is_(None), col(Finding.judged_at) <= as_of)
        judgement = case((then, col(Finding.judgement)), else_=None)
    scoring = and_(func.coalesce(judgement, "") != "rejected", was_opened(judgement))

    def flag(*conditions: ColumnElement[bool]) -> ColumnElement[int]:
        return case((and_(*conditions), 1), else_=0)

    return (
        sa_select(
            pair.c.pid.label("pid"),
            pair.c.fid.label("fid"),
            pair.c.ts.label("ts"),
            flag(owned).label("owned"),
            flag(scoring).label("scoring"),
            flag(owned, scoring, col(Finding.thb_suspect).is_(True)).label("suspect"),
            flag(owned, scoring, judgement == "confirmed").label("confirmed"),
            flag(owned, scoring, linked.c.fid.is_not(None)).label("linked"),
        )
        .select_from(pair)
        .join(Finding, col(Finding.id) == pair.c.fid)
        .outerjoin(linked, linked.c.fid == pair.c.fid)
    )


def participant_sums(facts: Any) -> Any:
    """Per participant: the columns of ParticipantScore summed over `facts` (pair_facts rows)."""
    return (
        sa_select(
            facts.c.pid.label("participant_id"),
            func.sum(facts.c.owned).label("findings"),
            func.sum(1 - facts.c.owned).label("corroborations"),
            func.sum(facts.c.owned * facts.c.scoring).label("owned_scoring"),
            func.sum((1 - facts.c.owned) * facts.c.scoring).label("corroborating"),
            func.sum(facts.c.suspect).label("suspect"),
            func.sum(facts.c.confirmed).label("confirmed"),
            func.sum(facts.c.linked).label("linked"),
            func.max(case((facts.c.scoring == 1, facts.c.ts), else_=None)).label("reached_at"),
        )
        .group_by(facts.c.pid)
        .subquery()
    )
