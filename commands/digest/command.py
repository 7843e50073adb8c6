"""The morning and evening digest: one Reply (text and chart) shared by `/digest now`, the
scheduler (bot/scheduler.py) and `hub digest --dry-run`; and `/digest at` to set a chat's times.

Narrative hook: `build_digest(..., narrative=fn)` lets a later issue add an LLM paragraph.
`fn` receives the `DigestFacts` and returns a paragraph or None; it runs in a daemon thread
and the digest waits at most `NARRATIVE_BUDGET_S` for it — a slow or failing narrative is
dropped, never a reason to post late or not at all.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlmodel import Session

from commands import charts
from commands.core.registry import command
from commands.core.seam import Invocation, Reply
from commands.digest import schedule as schedule_
from commands.digest.facts import DigestFacts, gather
from commands.digest.schedule import SLOTS, DigestSchedule, SlotRun
from commands.digest.text import render
from commands.scoring import country_standings, standings
from storage import audit, digests
from storage.models import Participant

if TYPE_CHECKING:
    from commands.core.dispatcher import Hub

log = logging.getLogger(__name__)

Narrative = Callable[[DigestFacts], str | None]
NARRATIVE_BUDGET_S = 2.0
USAGE = "now [morning|evening] | at <HH:MM> <HH:MM> [time zone]"


def build_digest(
    hub: Hub,
    *,
    slot: str,
    now: datetime,
    since: datetime | None,
    timezone: str,
    narrative: Narrative | None = None,
    chart: bool = True,
) -> Reply:
    """The digest as of `now`, covering what is new since `since` (None: since the start)."""
    with hub.session() as session:
        facts = gather(slot=slot, now=now, since=since, timezone=timezone, session=session)
        image = _chart(facts, session=session) if chart else None
    return Reply(
        render(facts, _narrate(narrative, facts)),
        image=image,
        image_name=f"digest-{slot}.png" if image else "",
    )


def _chart(facts: DigestFacts, *, session: Session) -> bytes:
    """Morning: how the findings came in, day by day; evening: the leaderboard."""
    if facts.slot == "morning":
        return charts.findings_over_time_png(session)
    rows = standings(session=session)
    return charts.leaderboard_png(rows, country_standings(rows))


def digest_since(hub: Hub, chat_id: str, run: SlotRun, schedule: DigestSchedule) -> datetime:
    """A scheduled digest covers what happened since the chat's last posted digest; before the
    first one, since the previous slot."""
    with hub.session() as session:
        posted = digests.last_posted_at(chat_id, before=run.at, session=session)
    return posted or schedule_.previous_slot(schedule, run).at


def chat_schedule(hub: Hub, chat_id: str, default: DigestSchedule) -> DigestSchedule:
    """The chat's own times (`/digest at`) or the operation's."""
    with hub.session() as session:
        own = digests.chat_setting(chat_id, session=session)
    if own is None:
        return default
    try:
        return schedule_.schedule_of(own.timezone, own.morning, own.evening)
    except ValueError:  # stored by an older version with looser checks: fall back, say so
        log.warning("chat %s has unusable digest times; using the operation's", chat_id)
        return default


def llm_narrative(hub: Hub) -> Narrative | None:
    """The LLM paragraph when a model is configured (commands.enrich), else None: the template alone."""
    from commands.digest.text import render
    from commands.paste.enrich import digest_narrator

    return digest_narrator(hub, lambda facts: render(facts))


def _narrate(narrative: Narrative | None, facts: DigestFacts) -> str | None:
    if narrative is None:
        return None
    result: list[str | None] = []

    def run() -> None:
        try:
            result.append(narrative(facts))
        except Exception:  # the narrative is decoration: the digest goes out without it
            log.exception("digest narrative failed")

    worker = threading.Thread(target=run, name="digest-narrative", daemon=True)
    worker.start()
    worker.join(NARRATIVE_BUDGET_S)
    if not result:
        log.warning("digest narrative not ready within %.1f s; posting without it", NARRATIVE_BUDGET_S)
        return None
    return result[0]


@command("digest", usage=USAGE, coordinator=True)
def digest(hub: Hub, inv: Invocation, participant: Participant | None) -> Reply:
    """Post the digest here now, or set this chat's digest times and time zone."""
    words = inv.args.split()
    if not words:
        return _show_times(hub, inv)
    if words[0].lower() == "now" and len(words) <= 2:
        slot = words[1].lower() if len(words) == 2 else None
        if slot is not None and slot not in SLOTS:
            return _usage()
        return _digest_now(hub, inv, slot)
    if words[0].lower() == "at" and len(words) in (3, 4):
        return _set_times(hub, inv, participant, words[1:])
    return _usage()


def _usage() -> Reply:
    return Reply(
        f"Usage: /digest {USAGE} — e.g. /digest now, /digest at 07:30 18:00 Europe/Bucharest. "
        "Nothing was changed."
    )


def _digest_now(hub: Hub, inv: Invocation, slot: str | None) -> Reply:
    with hub.session() as session:
        own = digests.chat_setting(inv.chat_id, session=session)
        posted = digests.last_posted_at(inv.chat_id, before=inv.ts, session=session)
    timezone = own.timezone if own else hub.config.timezone
    if slot is None:  # the emphasis of the half of the day we are in
        slot = "morning" if inv.ts.astimezone(ZoneInfo(timezone)).hour < 13 else "evening"
    reply = build_digest(
        hub, slot=slot, now=inv.ts, since=posted, timezone=timezone, narrative=llm_narrative(hub)
    )
    return Reply(reply.text, image=reply.image, image_name=reply.image_name, thread_ref=inv.thread_ref)


def _set_times(hub: Hub, inv: Invocation, participant: Participant | None, words: list[str]) -> Reply:
    try:
        morning, evening = schedule_.parse_hhmm(words[0]), schedule_.parse_hhmm(words[1])
        timezone = schedule_.parse_zone(words[2]) if len(words) == 3 else None
    except ValueError as exc:
        return Reply(f"{exc}. {_usage().text}")
    if morning >= evening:
        return Reply(f"The morning time must come before the evening time. {_usage().text}")
    with hub.session() as session:
        own = digests.chat_setting(inv.chat_id, session=session)
        zone = timezone or (own.timezone if own else hub.config.timezone)
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
        session.commit()
    return Reply(f"Digests in this chat at {morning:%H:%M} and {evening:%H:%M} ({zone}) from now on.")


def _show_times(hub: Hub, inv: Invocation) -> Reply:
    with hub.session() as session:
        own = digests.chat_setting(inv.chat_id, session=session)
    if own is None:
        return Reply(
            "This chat gets the operation's digests "
            f"(DIGEST_MORNING / DIGEST_EVENING, {hub.config.timezone}). "
            f"Usage: /digest {USAGE}"
        )
    return Reply(
        f"Digests in this chat at {own.morning} and {own.evening} ({own.timezone}), "
        f"set by {own.updated_by}. Usage: /digest {USAGE}"
    )
