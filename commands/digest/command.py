"""The morning and evening digest: one Reply (text and chart) shared by `/digest now`, the
scheduler (bot/scheduler.py, commands/digest/delivery.py) and `hub digest --dry-run`; and
`/digest at` to set a chat's times. The optional LLM paragraph: commands/digest/narrative.py.
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from commands import charts
from commands.core.context import Context, Reader
from commands.core.registry import command
from commands.core.seam import Invocation, Reply
from commands.digest import schedule as schedule_
from commands.digest.facts import DigestFacts, gather
from commands.digest.narrative import Narrative, llm_narrative, narrate
from commands.digest.schedule import SLOTS, DigestSchedule, SlotRun
from commands.digest.text import render
from commands.scoring import country_standings, standings
from storage import audit, digests
from storage.models import Participant
from storage.operations import past_retention

log = logging.getLogger(__name__)

USAGE = "now [morning|evening] | at <HH:MM> <HH:MM> [time zone]"


def build_digest(
    read: Reader,
    *,
    slot: str,
    now: datetime,
    since: datetime | None,
    timezone: str,
    narrative: Narrative | None = None,
    chart: bool = True,
) -> Reply:
    """The digest as of `now`, covering what is new since `since` (None: since the start)."""
    with read() as session:
        facts = gather(slot=slot, now=now, since=since, timezone=timezone, session=session)
        image = _chart(facts, session=session) if chart else None
        overdue = past_retention(now.astimezone(ZoneInfo(timezone)).date(), session=session)
    text = render(facts, narrate(narrative, facts))
    if slot == "morning" and overdue:  # retention: personal data only as long as the purpose needs it
        text += "\n" + "\n".join(
            f"⚠ Coordinators: {o.code} closed and is past its retention date ({o.retention_until}): "
            f"purge it with `hub operation purge {o.code}`."
            for o in overdue
        )
    return Reply(
        text,
        image=image,
        image_name=f"digest-{slot}.png" if image else "",
    )


def _chart(facts: DigestFacts, *, session: Session) -> bytes:
    """Morning: how the findings came in, day by day; evening: the leaderboard."""
    if facts.slot == "morning":
        return charts.findings_over_time_png(session)
    rows = standings(session=session)
    return charts.leaderboard_png(rows, country_standings(rows))


def digest_since(read: Reader, chat_id: str, run: SlotRun, schedule: DigestSchedule) -> datetime:
    """A scheduled digest covers what happened since the chat's last posted digest; before the
    first one, since the previous slot."""
    with read() as session:
        posted = digests.last_posted_at(chat_id, before=run.at, session=session)
    return posted or schedule_.previous_slot(schedule, run).at


def chat_schedule(read: Reader, chat_id: str, default: DigestSchedule) -> DigestSchedule:
    """The chat's own times (`/digest at`) or the operation's."""
    with read() as session:
        own = digests.chat_setting(chat_id, session=session)
    if own is None:
        return default
    try:
        return schedule_.schedule_of(own.timezone, own.morning, own.evening)
    except ValueError:  # stored by an older version with looser checks: fall back, say so
        log.warning("chat %s has unusable digest times; using the operation's", chat_id)
        return default


@command("digest", usage=USAGE, coordinator=True)
def digest(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """Post the digest here now, or set this chat's digest times and time zone."""
    words = inv.args.split()
    if not words:
        return _show_times(ctx, inv)
    if words[0].lower() == "now" and len(words) <= 2:
        slot = words[1].lower() if len(words) == 2 else None
        if slot is not None and slot not in SLOTS:
            return _usage()
        return _digest_now(ctx, inv, slot)
    if words[0].lower() == "at" and len(words) in (3, 4):
        return _set_times(ctx, inv, words[1:])
    return _usage()


def _usage(problem: str = "") -> Reply:
    return Reply(
        f"{problem}Usage: /digest {USAGE} — e.g. /digest now, /digest at 07:30 18:00 Europe/Bucharest. "
        "Nothing was changed.",
        refused=True,
    )


def _digest_now(ctx: Context, inv: Invocation, slot: str | None) -> Reply:
    with ctx.read() as session:
        own = digests.chat_setting(inv.chat_id, session=session)
        posted = digests.last_posted_at(inv.chat_id, before=inv.ts, session=session)
    timezone = own.timezone if own else ctx.config.timezone
    if slot is None:  # the emphasis of the half of the day we are in
        slot = "morning" if inv.ts.astimezone(ZoneInfo(timezone)).hour < 13 else "evening"
    reply = build_digest(
        ctx.read,
        slot=slot,
        now=inv.ts,
        since=posted,
        timezone=timezone,
        narrative=llm_narrative(ctx.enricher),
    )
    return Reply(
        reply.text, image=reply.image, image_name=reply.image_name, thread_ref=inv.thread_ref, shared=True
    )


def _set_times(ctx: Context, inv: Invocation, words: list[str]) -> Reply:
    try:
        morning, evening = schedule_.parse_hhmm(words[0]), schedule_.parse_hhmm(words[1])
        timezone = schedule_.parse_zone(words[2]) if len(words) == 3 else None
    except ValueError as exc:
        return _usage(f"{exc}. ")
    if morning >= evening:
        return _usage("The morning time must come before the evening time. ")

    def write(session: Session) -> Reply:
        own = digests.chat_setting(inv.chat_id, session=session)
        zone = timezone or (own.timezone if own else ctx.config.timezone)
        digests.set_chat_setting(
            inv.chat_id,
            timezone=zone,
            morning=f"{morning:%H:%M}",
            evening=f"{evening:%H:%M}",
            at=inv.ts,
            by=inv.participant_id,
            session=session,
        )
        audit.record(
            inv.participant_id,
            "digest.times",
            inv.chat_id,
            at=inv.ts,
            detail={"morning": f"{morning:%H:%M}", "evening": f"{evening:%H:%M}", "timezone": zone},
            session=session,
        )
        return Reply(f"Digests in this chat at {morning:%H:%M} and {evening:%H:%M} ({zone}) from now on.")

    return ctx.record(write)


def _show_times(ctx: Context, inv: Invocation) -> Reply:
    with ctx.read() as session:
        own = digests.chat_setting(inv.chat_id, session=session)
    if own is None:
        return Reply(
            "This chat gets the operation's digests "
            f"(DIGEST_MORNING / DIGEST_EVENING, {ctx.config.timezone}). "
            f"Usage: /digest {USAGE}"
        )
    return Reply(
        f"Digests in this chat at {own.morning} and {own.evening} ({own.timezone}), "
        f"set by {own.updated_by}. Usage: /digest {USAGE}"
    )
