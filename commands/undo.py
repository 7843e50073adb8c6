"""/undo #N: withdraw your own report of a finding shortly after making it (a wrong paste)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from commands.core.dispatcher import NOT_RECORDED
from commands.core.registry import command
from commands.core.seam import Invocation, Reply
from commands.references import finding_number, get_finding, who
from storage import audit, lookups, retractions
from storage.models import Participant

if TYPE_CHECKING:
    from commands.core.dispatcher import Hub


@command("undo", usage="<#N>")
def undo(hub: Hub, inv: Invocation, participant: Participant | None) -> Reply:
    """Withdraw your latest report of #N, within the undo window (ownership passes to the next report)."""
    assert participant is not None
    number = finding_number(inv.args)
    if number is None:
        return Reply(f"Usage: /undo <#N> — e.g. /undo 12. {NOT_RECORDED}")
    window = hub.config.undo_window
    minutes = int(window.total_seconds() // 60)
    with hub.session() as session:
        finding = get_finding(number, session=session)
        if finding is None:
            return Reply(f"#{number} does not exist. {NOT_RECORDED}")
        report = lookups.latest_report(number, participant.id, session=session)
        if report is None:
            return Reply(f"#{number} is not yours: you have no report of it to withdraw. {NOT_RECORDED}")
        if inv.ts - report.ts > window or inv.ts < report.ts:
            return Reply(
                f"The undo window has passed: reports can be withdrawn within {minutes} min. "
                f"Ask a coordinator to /reject #{number} instead. {NOT_RECORDED}"
            )
        owned_before = finding.reporter_id
        finding = retractions.retract(report, session=session)
        audit.record(
            participant.id,
            "report.retracted",
            f"#{number}",
            at=inv.ts,
            detail={"report": report.id, "owner_before": owned_before, "owner_after": finding.reporter_id},
            session=session,
        )
        successor = who(finding.reporter_id, session=session) if finding.reporter_id != owned_before else None
        remaining = lookups.report_counts([number], session=session).get(number, 0)
        session.commit()
    after = f" #{number} now belongs to {successor}." if successor else ""
    if not remaining:
        after = (
            f" Nobody else reported #{number}: it scores nobody and no longer counts as a finding, "
            "THB URL, social profile or checked site in /counts (it stays on record and in its "
            "network; exports mark it withdrawn)."
        )
    return Reply(f"↩ Your report of #{number} is withdrawn.{after}")
