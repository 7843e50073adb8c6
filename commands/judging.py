"""Coordinators' judgement of a finding: /confirm and /reject (points follow, see scoring.py).

The reply names the finding's reporter so they are told in the channel; a button press
("/reject 12", no reason) works like the typed command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from commands.core.dispatcher import NOT_RECORDED
from commands.core.registry import command
from commands.core.seam import Invocation, Reply
from commands.references import finding_number, get_finding, split_reference, who
from commands.scoring import CONFIRMED_BONUS
from storage import audit
from storage.models import Participant

if TYPE_CHECKING:
    from commands.core.dispatcher import Hub


def _judge(hub: Hub, inv: Invocation, participant: Participant | None, judgement: str) -> Reply:
    assert participant is not None
    verb = "confirm" if judgement == "confirmed" else "reject"
    token, reason = split_reference(inv.args)
    number = finding_number(token)
    if number is None:
        extra = " [reason]" if verb == "reject" else ""
        return Reply(f"Usage: /{verb} <#N>{extra} — e.g. /{verb} 12. {NOT_RECORDED}")
    with hub.session() as session:
        finding = get_finding(number, session=session)
        if finding is None:
            return Reply(f"#{number} does not exist. {NOT_RECORDED}")
        if finding.judgement == judgement:
            return Reply(f"#{number} is already {judgement}. {NOT_RECORDED}")
        before = finding.judgement
        finding.judgement, finding.judged_at = judgement, inv.ts
        session.add(finding)
        audit.record(
            participant.id,
            f"finding.{judgement}",
            f"#{number}",
            at=inv.ts,
            detail={"before": before, "reason": reason},
            session=session,
        )
        reporter = who(finding.reporter_id, session=session)
        session.commit()
    if judgement == "confirmed":
        return Reply(
            f"✅ #{number} confirmed by {participant.name}. {reporter}: well spotted, "
            f"+{CONFIRMED_BONUS:g} points."
        )
    because = f" Reason: {reason.rstrip('.')}." if reason else ""
    return Reply(
        f"❌ #{number} rejected by {participant.name}.{because} {reporter}: it no longer scores "
        "and no longer counts as a THB URL."
    )


@command("confirm", usage="<#N>", coordinator=True)
def confirm(hub: Hub, inv: Invocation, participant: Participant | None) -> Reply:
    """Confirm finding #N as THB-related (its reporter scores the confirmation bonus)."""
    return _judge(hub, inv, participant, "confirmed")


@command("reject", usage="<#N> [reason]", coordinator=True)
def reject(hub: Hub, inv: Invocation, participant: Participant | None) -> Reply:
    """Reject finding #N (not THB-related, out of scope): it scores nothing."""
    return _judge(hub, inv, participant, "rejected")
