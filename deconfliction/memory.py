"""Memory across operations: was this URL or identifier reported in an earlier action week?

Only earlier operations that allow matching (`Operation.matching_allowed`) and are not purged
are searched, and only one fact comes back: the operation's code, the finding's number, its
judgement and month — nothing else of that operation's content. Identifiers coordinators
ignore (/ignore, warninglists) never match.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import Finding, FindingIdentifier, Identifier, Operation
from storage.scope import operation_id, operation_scope


@dataclass(frozen=True, slots=True)
class EarlierHit:
    """A finding of an earlier operation that shares a URL or an identifier with this one."""

    kind: str  # "url" or an identifier kind
    value: str
    operation_code: str
    finding_id: int
    judgement: str | None
    reported_at: datetime


def earlier_hits(
    canonical_url: str | None, identifiers: list[tuple[str, str]], *, session: Session
) -> list[EarlierHit]:
    """Hits in earlier operations (before the one in scope) that allow matching, newest first:
    the canonical URL's, then each identifier's."""
    current = operation_id()
    with operation_scope(None):
        base = (
            select(Finding, Operation.code)
            .join(Operation, col(Operation.id) == col(Finding.operation_id))
            .where(
                col(Operation.id) < current,
                col(Operation.matching_allowed).is_(True),
                col(Operation.purged_at).is_(None),
            )
            .order_by(col(Operation.id).desc(), col(Finding.id))
        )
        hits: list[EarlierHit] = []
        if canonical_url:
            for finding, code in session.exec(base.where(Finding.canonical_url == canonical_url).limit(1)):
                hits.append(_hit("url", canonical_url, finding, code))
        for kind, value in identifiers:
            stmt = (
                base.join(FindingIdentifier, col(FindingIdentifier.finding_id) == col(Finding.id))
                .join(Identifier, col(Identifier.id) == col(FindingIdentifier.identifier_id))
                .where(Identifier.kind == kind, Identifier.value == value, col(Identifier.ignored).is_(False))
                .limit(1)
            )
            for finding, code in session.exec(stmt):
                hits.append(_hit(kind, value, finding, code))
    return hits


def _hit(kind: str, value: str, finding: Finding, code: str) -> EarlierHit:
    return EarlierHit(kind, value, code, finding.id or 0, finding.judgement, finding.reported_at)


def history_line(hit: EarlierHit, icon: str) -> str:
    """ "☎ +40712345678 was reported in THB-2024 (#412, confirmed, Sep 2024)"."""
    what = "🕰 this URL" if hit.kind == "url" else f"{icon or '🕰'} {hit.value}"
    state = hit.judgement or "reported"
    return (
        f"{what} was reported in {hit.operation_code} (#{hit.finding_id}, {state}, {hit.reported_at:%b %Y})"
    )
