"""When digests are due: a chat's morning and evening local times, as instants, across DST.

Pure time arithmetic (no scheduler, no database), so the scheduler, `/digest` and the tests
all agree on which slot of which local day an instant belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SLOTS = ("morning", "evening")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True, slots=True)
class DigestSchedule:
    """A chat's digest times: local wall-clock times in one IANA time zone."""

    timezone: str
    morning: time
    evening: time

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def time_of(self, slot: str) -> time:
        return self.morning if slot == "morning" else self.evening


@dataclass(frozen=True, slots=True, order=True)
class SlotRun:
    """One occurrence of a slot: the instant it is due, and the local day it belongs to."""

    at: datetime  # UTC
    slot: str
    local_date: date


def parse_hhmm(text: str) -> time:
    """'07:30' → time(7, 30); anything else (7:30, 24:00, 07:60) is refused."""
    match = _HHMM.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a time as HH:MM (00:00–23:59)")
    return time(int(match.group(1)), int(match.group(2)))


def parse_zone(text: str) -> str:
    """An IANA zone name that zoneinfo knows (Europe/Bucharest); returns it as given."""
    name = text.strip()
    if not name or name.startswith(("/", ".")) or ".." in name:
        raise ValueError(f"{text!r} is not a time zone name like Europe/Amsterdam")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"{text!r} is not a time zone name like Europe/Amsterdam") from exc
    return name


def schedule_of(timezone: str, morning: str, evening: str) -> DigestSchedule:
    """A validated schedule from the strings settings and `/digest at` carry."""
    return DigestSchedule(parse_zone(timezone), parse_hhmm(morning), parse_hhmm(evening))


def slot_at(schedule: DigestSchedule, slot: str, local_day: date) -> datetime:
    """The UTC instant of `slot` on `local_day`. A wall time skipped by the spring DST jump is
    read with the offset before the jump (so it falls just after it); a repeated autumn wall
    time is its first occurrence (fold=0), so a slot never fires twice."""
    local = datetime.combine(local_day, schedule.time_of(slot), tzinfo=schedule.zone)
    return local.astimezone(UTC)


def slots_between(schedule: DigestSchedule, start: datetime, end: datetime) -> list[SlotRun]:
    """Every slot occurrence with start <= at <= end, oldest first."""
    zone = schedule.zone
    day = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date() + timedelta(days=1)
    found = []
    while day <= last:
        for slot in SLOTS:
            at = slot_at(schedule, slot, day)
            if start <= at <= end:
                found.append(SlotRun(at, slot, day))
        day += timedelta(days=1)
    return sorted(found)


def due_slots(
    schedule: DigestSchedule, now: datetime, grace: timedelta
) -> tuple[SlotRun | None, list[SlotRun]]:
    """The slot to post now (the latest one due within the grace window) and the earlier ones in
    the window that it coalesces: after a long outage only the freshest digest is posted."""
    window = slots_between(schedule, now - grace, now)
    if not window:
        return None, []
    return window[-1], window[:-1]


def latest_slot(schedule: DigestSchedule, now: datetime) -> SlotRun:
    """The most recent slot occurrence at or before `now`."""
    return slots_between(schedule, now - timedelta(days=2), now)[-1]


def previous_slot(schedule: DigestSchedule, run: SlotRun) -> SlotRun:
    """The slot occurrence just before `run`."""
    return latest_slot(schedule, run.at - timedelta(seconds=1))


def next_slot(schedule: DigestSchedule, now: datetime) -> SlotRun:
    """The first slot occurrence strictly after `now`."""
    return slots_between(schedule, now + timedelta(seconds=1), now + timedelta(days=2))[0]
