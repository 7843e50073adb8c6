"""Coordinators running the operation: /ignore a noisy identifier, /promote, /announce."""

from __future__ import annotations

from typing import TYPE_CHECKING

from commands.core.dispatcher import NOT_RECORDED
from commands.core.registry import command
from commands.core.seam import Invocation, Reply
from commands.lookup import read_query
from commands.references import counted
from storage import audit, lookups, participants
from storage.models import Participant

if TYPE_CHECKING:
    from commands.core.dispatcher import Hub


@command("ignore", usage="<phone|email|wallet|handle>", coordinator=True)
def ignore(hub: Hub, inv: Invocation, participant: Participant | None) -> Reply:
    """Stop linking findings through an identifier (a site's hotline, a shared agency number)."""
    assert participant is not None
    query = read_query(inv.args, participant.country)
    if query is None or query.kind is None or query.value is None:
        return Reply(
            "Usage: /ignore <phone|email|wallet|handle> — e.g. /ignore +31201234567. "
            f"Only identifiers can be ignored, not pages. {NOT_RECORDED}"
        )
    with hub.session() as session:
        row = lookups.identifier_row(query.kind, query.value, session=session)
        if row is None:
            return Reply(f"{query.kind} {query.value} is not in any finding or message. {NOT_RECORDED}")
        if row.ignored:
            return Reply(f"{query.kind} {query.value} is already ignored. {NOT_RECORDED}")
        row.ignored = True
        session.add(row)
        audit.record(
            participant.id, "identifier.ignored", f"{query.kind}:{query.value}", at=inv.ts, session=session
        )
        carrying = len(lookups.findings_carrying(row.id or 0, session=session))
        session.commit()
    return Reply(
        f"🔕 {query.kind} {query.value} ignored by {participant.name}: new findings no longer link "
        f"through it and it earns no link bonus. It stays listed on its {counted(carrying, 'finding')}; "
        "networks already formed are not split."
    )


@command("promote", usage="<participant id>", coordinator=True)
def promote(hub: Hub, inv: Invocation, participant: Participant | None) -> Reply:
    """Give a participant the coordinator role (e.g. /promote tg:1001)."""
    assert participant is not None
    target_id = inv.args.strip()
    if not target_id or " " in target_id:
        return Reply(f"Usage: /promote <participant id> — e.g. /promote tg:1001. {NOT_RECORDED}")
    with hub.session() as session:
        target = participants.get_participant(target_id, session=session)
        if target is None:
            return Reply(f"No participant {target_id}. {NOT_RECORDED}")
        if hub.is_coordinator(target):
            return Reply(f"{target.name} ({target.country}) is already a coordinator. {NOT_RECORDED}")
        participants.set_role(target_id, "coordinator", session=session)
        audit.record(participant.id, "participant.promoted", target_id, at=inv.ts, session=session)
        session.commit()
    return Reply(
        f"⭐ {target.name} ({target.country}) is now a coordinator (promoted by {participant.name})."
    )


@command("announce", usage="<text>", coordinator=True)
def announce(hub: Hub, inv: Invocation, participant: Participant | None) -> Reply:
    """Post an announcement to the channel."""
    assert participant is not None
    text = inv.args.strip()
    if not text:
        return Reply(f"Usage: /announce <text>. {NOT_RECORDED}")
    return Reply(f"📣 {participant.name}: {text}", visibility="channel")
