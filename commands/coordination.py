"""Coordinators running the operation: /ignore a noisy identifier, /promote, /announce."""

from __future__ import annotations

from sqlmodel import Session

from commands.core.context import Context
from commands.core.registry import command
from commands.core.seam import Invocation, Reply, refusal
from commands.lookup import read_query
from commands.references import counted
from storage import audit, lookups, participants
from storage.models import Participant


@command("ignore", usage="<phone|email|wallet|handle>", coordinator=True)
def ignore(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """Stop linking findings through an identifier (a site's hotline, a shared agency number)."""
    assert participant is not None
    coordinator = participant
    query = read_query(inv.args, participant.country)
    if query is None or query.kind is None or query.value is None:
        return refusal(
            "Usage: /ignore <phone|email|wallet|handle> — e.g. /ignore +31201234567. "
            "Only identifiers can be ignored, not pages."
        )
    kind, value = query.kind, query.value

    def write(session: Session) -> Reply:
        row = lookups.identifier_row(kind, value, session=session)
        if row is None:
            return refusal(f"{kind} {value} is not in any finding or message.")
        if row.ignored:
            return refusal(f"{kind} {value} is already ignored.")
        row.ignored = True
        session.add(row)
        audit.record(coordinator.id, "identifier.ignored", f"{kind}:{value}", at=inv.ts, session=session)
        carrying = len(lookups.findings_carrying(row.id or 0, session=session))
        return Reply(
            f"🔕 {kind} {value} ignored by {coordinator.name}: new findings no longer link "
            f"through it and it earns no link bonus. It stays listed on its {counted(carrying, 'finding')}; "
            "networks already formed are not split."
        )

    return ctx.record(write)


@command("promote", usage="<participant id>", coordinator=True)
def promote(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """Give a participant the coordinator role (e.g. /promote tg:1001)."""
    assert participant is not None
    coordinator = participant
    target_id = inv.args.strip()
    if not target_id or " " in target_id:
        return refusal("Usage: /promote <participant id> — e.g. /promote tg:1001.")

    def write(session: Session) -> Reply:
        target = participants.get_participant(target_id, session=session)
        if target is None:
            return refusal(f"No participant {target_id}.")
        if ctx.is_coordinator(target):
            return refusal(f"{target.name} ({target.country}) is already a coordinator.")
        participants.set_role(target_id, "coordinator", session=session)
        audit.record(coordinator.id, "participant.promoted", target_id, at=inv.ts, session=session)
        return Reply(
            f"⭐ {target.name} ({target.country}) is now a coordinator (promoted by {coordinator.name})."
        )

    return ctx.record(write)


@command("announce", usage="<text>", coordinator=True)
def announce(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """Post an announcement to the channel."""
    assert participant is not None
    text = inv.args.strip()
    if not text:
        return refusal("Usage: /announce <text>.")
    return Reply(f"📣 {participant.name}: {text}", visibility="channel", shared=True)
