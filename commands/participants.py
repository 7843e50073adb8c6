"""Being a participant: /help, /join, /status."""

from __future__ import annotations

from sqlmodel import Session

from commands.core.context import Context
from commands.core.registry import command
from commands.core.seam import Invocation, Reply, refusal
from commands.names import display_name
from commands.outcomes import outcomes
from commands.references import counted
from commands.scoring import standings
from storage import audit, participants
from storage.models import Participant
from storage.tallies.queries import backlog

RULES = (
    "Rules of engagement: no contact with subjects, no purchases, no accounts in a subject's name. "
    "Child sexual abuse material: never open or share it; report it through your national police, "
    "Europol national unit or an INHOPE hotline."
)


@command("help", open=True)
def help_(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """List the commands and the rules of engagement."""
    lines = ["Paste links to check them. Commands:"]
    for cmd in ctx.commands():
        if cmd.coordinator and not (participant and ctx.is_coordinator(participant)):
            continue
        usage = f" {cmd.usage}" if cmd.usage else ""
        lines.append(f"• /{cmd.name}{usage} — {cmd.help}")
    lines.append(RULES)
    return Reply("\n".join(lines))


@command("join", usage="<country> [display name]", open=True, team_chat=True)
def join(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """Register for the operation with your country code (e.g. /join NL Anna)."""
    parts = inv.args.split(maxsplit=1)
    if not parts or len(parts[0]) != 2 or not parts[0].isalpha():
        return refusal("Usage: /join <country> [display name] — country as two letters, e.g. /join NL Anna.")
    country = parts[0].upper()
    chosen = display_name(parts[1]) if len(parts) > 1 else ""
    if len(parts) > 1 and not chosen:
        return refusal("Usage: /join <country> [display name] — the name needs letters, e.g. /join NL Anna.")
    wanted = chosen or inv.participant_name or inv.participant_id

    def write(session: Session) -> Reply:
        known = participants.get_participant(inv.participant_id, session=session)
        keep = known.name if known is not None and not chosen else wanted
        found, created = participants.enrol(
            inv.participant_id,
            keep,
            platform=inv.platform,
            country=country,
            at=inv.ts,
            role="coordinator" if inv.participant_id in ctx.config.coordinators else "participant",
            session=session,
        )
        if not created:
            participants.update_participant(found, country=country, session=session)
        name = found.name
        audit.record(
            inv.participant_id,
            "participant.joined" if created else "participant.updated",
            inv.participant_id,
            at=inv.ts,
            detail={"country": country, "name": name},
            session=session,
        )
        verb = "Welcome" if created else "Updated"
        return Reply(
            f"{verb}, {found.name} ({found.country}). Paste links to check them; /help lists commands."
        )

    return ctx.record(write)


@command("status")
def status(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """Your findings, points, rank and open work, and the team's totals."""
    assert participant is not None
    with ctx.read() as session:
        rows = standings(session=session)
        totals = outcomes(session=session)
        open_work = backlog(participant.id, session=session)
    rank = next((n for n, row in enumerate(rows, 1) if row.participant_id == participant.id), None)
    mine = rows[rank - 1] if rank else None
    lines = [f"{participant.name} ({participant.country})"]
    if mine:
        lines.append(
            f"• {counted(mine.findings, 'finding')}, {counted(mine.corroborations, 'corroboration')}, "
            f"{mine.points:g} points — rank {rank} of {len(rows)}"
        )
    lines.append(
        f"• open: {open_work.uncorroborated} of your findings not yet corroborated by anyone, "
        f"{open_work.corroborated_by_others} corroborated; "
        f"{open_work.awaiting_judgement} THB-suspect awaiting a coordinator"
    )
    points = sum(row.points for row in rows)
    lines.append(
        f"• Team: {counted(totals.findings, 'finding')}, {points:g} points, {totals.thb_urls} THB URLs, "
        f"{counted(totals.networks, 'network')}, {counted(len(rows), 'participant')}; "
        f"{open_work.team_awaiting_judgement} THB-suspect findings awaiting a coordinator"
    )
    return Reply("\n".join(lines))
