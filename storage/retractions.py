"""`/undo`: a report withdrawn by its reporter; the finding's ownership moves to the next report."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import Finding, Report


def retract(report: Report, *, session: Session) -> Finding:
    """Mark the report retracted; if it owned the finding, the earliest live report owns it now.

    A finding whose only report is retracted keeps its row (its identifiers may already link
    other findings) and its reporter, but scores nobody: points come from live reports only.
    """
    report.retracted = True
    session.add(report)
    session.flush()
    finding = session.get(Finding, report.finding_id, populate_existing=True)
    assert finding is not None
    if finding.reporter_id != report.participant_id or finding.reported_at != report.ts:
        return finding
    successor = session.exec(
        select(Report)
        .where(Report.finding_id == finding.id, col(Report.retracted).is_(False))
        .order_by(col(Report.ts), col(Report.id))
    ).first()
    if successor is not None:
        finding.reporter_id, finding.reported_at, finding.url = (
            successor.participant_id,
            successor.ts,
            successor.url,
        )
        session.add(finding)
        session.flush()
    return finding
