"""Read queries behind /lookup, /finding and /mine: who reported what, and where a value appears."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import Finding, FindingIdentifier, Identifier, Report, Submission, SubmissionIdentifier


def identifier_row(kind: str, value: str, *, session: Session) -> Identifier | None:
    stmt = select(Identifier).where(Identifier.kind == kind, Identifier.value == value)
    return session.exec(stmt.execution_options(populate_existing=True)).first()


def findings_carrying(identifier_id: int, *, session: Session) -> list[Finding]:
    stmt = (
        select(Finding)
        .join(FindingIdentifier, col(FindingIdentifier.finding_id) == col(Finding.id))
        .where(FindingIdentifier.identifier_id == identifier_id)
        .order_by(col(Finding.id))
    )
    return list(session.exec(stmt))


def mentions_of(identifier_id: int, *, session: Session) -> list[tuple[str, datetime]]:
    """(participant id, message time) of every chat message that typed the identifier."""
    stmt = (
        select(Submission.participant_id, Submission.ts)
        .join(SubmissionIdentifier, col(SubmissionIdentifier.submission_id) == col(Submission.id))
        .where(SubmissionIdentifier.identifier_id == identifier_id)
        .order_by(col(Submission.ts))
    )
    return [(pid, ts) for pid, ts in session.exec(stmt)]


def findings_owned_by(participant_id: str, *, limit: int, session: Session) -> list[Finding]:
    """The participant's own findings (first report), newest first."""
    stmt = (
        select(Finding)
        .where(Finding.reporter_id == participant_id)
        .order_by(col(Finding.reported_at).desc(), col(Finding.id).desc())
        .limit(limit)
    )
    return list(session.exec(stmt))


def findings_corroborated_by(participant_id: str, *, limit: int, session: Session) -> list[Finding]:
    """Findings the participant reported after someone else (live reports only), newest first."""
    reported = (
        select(Report.finding_id)
        .where(Report.participant_id == participant_id, col(Report.retracted).is_(False))
        .distinct()
    )
    stmt = (
        select(Finding)
        .where(col(Finding.id).in_(reported), Finding.reporter_id != participant_id)
        .order_by(col(Finding.id).desc())
        .limit(limit)
    )
    return list(session.exec(stmt))


def report_counts(finding_ids: Sequence[int], *, session: Session) -> dict[int, int]:
    """Live (not retracted) reports per finding."""
    if not finding_ids:
        return {}
    stmt = (
        select(Report.finding_id, func.count())
        .where(col(Report.finding_id).in_(list(finding_ids)), col(Report.retracted).is_(False))
        .group_by(col(Report.finding_id))
    )
    return {fid: int(n) for fid, n in session.exec(stmt)}


def latest_report(finding_id: int, participant_id: str, *, session: Session) -> Report | None:
    """The participant's most recent live report of the finding."""
    stmt = (
        select(Report)
        .where(
            Report.finding_id == finding_id,
            Report.participant_id == participant_id,
            col(Report.retracted).is_(False),
        )
        .order_by(col(Report.ts).desc(), col(Report.id).desc())
    )
    return session.exec(stmt).first()
