"""Coordinators' judgement of a finding: /confirm and /reject (points follow, see scoring.py).

The reply names the finding's reporter so they are told in the channel; a button press
("/reject 12", no reason) works like the typed command.
"""

from __future__ import annotations

from sqlmodel import Session

from commands.core.context import Context
from commands.core.registry import command
from commands.core.seam import Invocation, Reply, refusal
from commands.references import finding_number, get_finding, split_reference, who
from commands.scoring import CONFIRMED_BONUS
from storage import audit
from storage.models import Participant


def _judge(ctx: Context, inv: Invocation, participant: Participant | None, judgement: str) -> Reply:
    assert participant is not None
    judge = participant
    verb = "confirm" if judgement == "confirmed" else "reject"
    token, reason = split_reference(inv.args)
    number = finding_number(token)
    if number is None:
        extra = " [reason]" if verb == "reject" else ""
        return refusal(f"Usage: /{verb} <#N>{extra} — e.g. /{verb} 12.")

    def write(session: Session) -> Reply:
        finding = get_finding(number, session=session)
        if finding is None:
            return refusal(f"#{number} does not exist.")
        if finding.judgement == judgement:
            return refusal(f"#{number} is already {judgement}.")
        before = finding.judgement
        finding.judgement, finding.judged_at = judgement, inv.ts
        session.add(finding)
        audit.record(
            judge.id,
            f"finding.{judgement}",
            f"#{number}",
            at=inv.ts,
            detail={"before": before, "reason": reason},
            session=session,
        )
        reporter = who(finding.reporter_id, session=session)
        if judgement == "confirmed":
            bonus = f"+{CONFIRMED_BONUS:g} points"
            return Reply(f"✅ #{number} confirmed by {judge.name}. {reporter}: well spotted, {bonus}.")
        because = f" Reason: {reason.rstrip('.')}." if reason else ""
        return Reply(
            f"❌ #{number} rejected by {judge.name}.{because} {reporter}: it no longer scores "
            "and no longer counts as a THB URL."
        )

    return ctx.record(write)


@command("confirm", usage="<#N>", coordinator=True)
def confirm(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """Confirm finding #N as THB-related (its reporter scores the confirmation bonus)."""
    return _judge(ctx, inv, participant, "confirmed")


@command("reject", usage="<#N> [reason]", coordinator=True)
def reject(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """Reject finding #N (not THB-related, out of scope): it scores nothing."""
    return _judge(ctx, inv, participant, "rejected")
