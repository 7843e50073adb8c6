"""What the optional LLM said about findings: one enrichment row per finding, plus its indicators."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, func, select

from storage.models import FindingEnrichment, FindingIndicator
from storage.upsert import insert_ignore

LLM_SOURCE = "llm"


def start_enrichment(
    finding_id: int, *, model: str, prompt_version: str, at: datetime, session: Session
) -> bool:
    """Record a pending enrichment; False when the finding already has one (nothing is redone)."""
    return insert_ignore(
        FindingEnrichment,
        {
            "finding_id": finding_id,
            "status": "pending",
            "model": model[:128],
            "prompt_version": prompt_version[:32],
            "summary": "",
            "translation": "",
            "created_at": at,
        },
        ["finding_id"],
        session=session,
    )


def enrichment_of(finding_id: int, *, session: Session) -> FindingEnrichment | None:
    return session.get(FindingEnrichment, finding_id)


def finish_enrichment(
    finding_id: int,
    *,
    status: str,
    language: str | None = None,
    summary: str = "",
    translation: str = "",
    platform_kind_guess: str | None = None,
    confidence: float | None = None,
    error: str | None = None,
    session: Session,
) -> FindingEnrichment | None:
    """Store the outcome (done | failed | timeout | skipped) of a pending enrichment."""
    row = session.get(FindingEnrichment, finding_id)
    if row is None:
        return None
    row.status, row.language, row.summary, row.translation = status, language, summary, translation
    row.platform_kind_guess, row.confidence = platform_kind_guess, confidence
    row.error = error[:500] if error else None
    session.add(row)
    session.flush()
    return row


def add_llm_indicators(
    finding_id: int, indicators: Iterable[tuple[str, float, str]], *, session: Session
) -> list[str]:
    """Add (code, weight, evidence) rows marked source="llm"; a code the rules already found keeps
    the rules' row. Returns the codes that were added."""
    added = []
    for code, weight, evidence in indicators:
        values = {
            "finding_id": finding_id,
            "code": code,
            "weight": weight,
            "evidence": evidence[:300],
            "source": LLM_SOURCE,
        }
        if insert_ignore(FindingIndicator, values, ["finding_id", "code"], session=session):
            added.append(code)
    return added


def status_counts(*, session: Session) -> dict[str, int]:
    """How many enrichments are in each status (for `hub replay`'s closing line)."""
    rows = session.exec(
        select(FindingEnrichment.status, func.count()).group_by(col(FindingEnrichment.status))
    ).all()
    return {status: int(n) for status, n in rows}
