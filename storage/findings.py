"""Findings, their aliases and reports: one finding per canonical URL, every report kept."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.models import Finding, FindingAlias, FindingIndicator, Report
from storage.scope import in_scope, operation_id, operation_scope
from storage.tallies import live as live_tallies
from storage.upsert import insert_ignore

# A findings or reports table row read without the ORM: attribute access, no identity map.
FindingRow = Row[Any]


def finding_for_url(canonical_url: str, *, session: Session) -> Finding | None:
    """The finding that owns `canonical_url`, directly or through an alias."""
    finding = session.exec(select(Finding).where(Finding.canonical_url == canonical_url)).first()
    if finding is not None:
        return finding
    alias = session.get(FindingAlias, (operation_id(), canonical_url))
    return session.get(Finding, alias.finding_id) if alias else None


def claim_finding(
    *,
    canonical_url: str,
    url: str,
    platform: str,
    reporter_id: str,
    reported_at: datetime,
    created_at: datetime,
    session: Session,
) -> tuple[Finding, bool]:
    """Create the finding for `canonical_url` unless it exists; the database settles races."""
    created = insert_ignore(
        Finding,
        {
            "canonical_url": canonical_url,
            "url": url,
            "platform": platform,
            "reporter_id": reporter_id,
            "reported_at": reported_at,
            "created_at": created_at,
            "fetch_outcome": "pending",
            "platform_kind": "other",
            "thb_score": 0.0,
            "thb_suspect": False,
        },
        ["operation_id", "canonical_url"],
        session=session,
    )
    finding = session.exec(
        select(Finding)
        .where(Finding.canonical_url == canonical_url)
        .execution_options(populate_existing=True)
    ).one()
    if created:
        live_tallies.touch(session, findings=[finding.id or 0])
    return finding, created


def add_alias(canonical_url: str, finding_id: int, *, session: Session) -> None:
    insert_ignore(
        FindingAlias,
        {"canonical_url": canonical_url, "finding_id": finding_id},
        ["operation_id", "canonical_url"],
        session=session,
    )


def add_report(
    finding: Finding, *, submission_id: int, participant_id: str, ts: datetime, url: str, session: Session
) -> bool:
    """Record a report; the earliest one by message time owns the finding. True if new."""
    created = insert_ignore(
        Report,
        {
            "finding_id": finding.id,
            "submission_id": submission_id,
            "participant_id": participant_id,
            "ts": ts,
            "url": url,
            "retracted": False,
        },
        ["finding_id", "submission_id"],
        session=session,
    )
    if created:
        live_tallies.touch(session, findings=[finding.id or 0])
        # Conditional update: whichever report is earliest wins, whatever order they arrive in.
        session.execute(
            update(Finding)
            .where(col(Finding.id) == finding.id, col(Finding.reported_at) > ts)
            .values(reporter_id=participant_id, reported_at=ts, url=url)
        )
        session.refresh(finding)
    return created


def reports_of(finding_id: int, *, session: Session) -> list[Report]:
    stmt = (
        select(Report)
        .where(Report.finding_id == finding_id, col(Report.retracted).is_(False))
        .order_by(col(Report.ts), col(Report.id))
    )
    return list(session.exec(stmt))


def reports_by_finding(finding_ids: Sequence[int], *, session: Session) -> dict[int, list[FindingRow]]:
    """The live reports of each finding, earliest first, as plain rows (participant_id, ts, url,
    submission_id): an export of 100k findings holds 120k of them."""
    table = Report.__table__  # type: ignore[attr-defined]
    out: dict[int, list[FindingRow]] = {fid: [] for fid in finding_ids}
    stmt = (
        sa_select(table.c.finding_id, table.c.participant_id, table.c.ts, table.c.url, table.c.submission_id)
        .where(table.c.retracted.is_(False))
        .order_by(table.c.ts, table.c.id)
    )
    for report in session.execute(stmt):
        if report.finding_id in out:
            out[report.finding_id].append(report)
    return out


def finding_rows(*, session: Session) -> list[FindingRow]:
    """Every finding, by id, as a plain row with a Finding's attribute names: a tenth of the memory
    of ORM objects (255 MB at 100k findings), for exports."""
    table = Finding.__table__  # type: ignore[attr-defined]
    return list(session.execute(sa_select(table).where(in_scope(table)).order_by(table.c.id)))


def count_findings(*, session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Finding)).one())


def set_indicators(
    finding_id: int, indicators: Iterable[tuple[str, float, str, str]], *, session: Session
) -> None:
    """Replace the finding's indicators with (code, weight, evidence, source) rows."""
    for old in session.exec(select(FindingIndicator).where(FindingIndicator.finding_id == finding_id)):
        session.delete(old)
    session.flush()
    best: dict[str, tuple[str, float, str, str]] = {}
    for row in indicators:
        if row[0] not in best or row[1] > best[row[0]][1]:
            best[row[0]] = row
    for code, weight, evidence, source in best.values():
        session.add(
            FindingIndicator(
                finding_id=finding_id, code=code, weight=weight, evidence=evidence[:300], source=source
            )
        )
    session.flush()


def indicators_by_finding(*, session: Session) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for row in session.exec(select(FindingIndicator).order_by(col(FindingIndicator.code))):
        out.setdefault(row.finding_id, []).append(row.code)
    return out


def indicators_of(finding_id: int, *, session: Session) -> list[FindingIndicator]:
    stmt = (
        select(FindingIndicator)
        .where(FindingIndicator.finding_id == finding_id)
        .order_by(col(FindingIndicator.weight).desc())
    )
    return list(session.exec(stmt))


@contextmanager
def scope_of_finding(session_factory: Callable[[], Session], finding_id: int) -> Iterator[None]:
    """Work for the operation of finding `finding_id` (a thread of its own: the enricher, a refetch)."""
    with operation_scope(None), session_factory() as session:
        found = session.exec(select(Finding.operation_id).where(Finding.id == finding_id)).first()
    with operation_scope(found):
        yield
