"""Which digest slot is due when: local times across DST, the grace window, coalescing, and the
APScheduler cron triggers agreeing with it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.scheduler import digest_trigger
from commands.digest.schedule import (
    SlotRun,
    due_slots,
    parse_hhmm,
    parse_zone,
    previous_slot,
    schedule_of,
    slots_between,
)

AMS = ZoneInfo("Europe/Amsterdam")
SCHEDULE = schedule_of("Europe/Amsterdam", "08:00", "19:00")
GRACE = timedelta(hours=6)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_slots_keep_their_local_times_across_the_autumn_dst_change() -> None:
    # 2025-10-26 03:00 CEST → 02:00 CET: the same local times move one hour later in UTC.
    runs = slots_between(SCHEDULE, utc(2025, 10, 24, 12), utc(2025, 10, 27, 23))
    assert [(r.slot, r.local_date, r.at) for r in runs] == [
        ("evening", date(2025, 10, 24), utc(2025, 10, 24, 17)),
        ("morning", date(2025, 10, 25), utc(2025, 10, 25, 6)),
        ("evening", date(2025, 10, 25), utc(2025, 10, 25, 17)),
        ("morning", date(2025, 10, 26), utc(2025, 10, 26, 7)),
        ("evening", date(2025, 10, 26), utc(2025, 10, 26, 18)),
        ("morning", date(2025, 10, 27), utc(2025, 10, 27, 7)),
        ("evening", date(2025, 10, 27), utc(2025, 10, 27, 18)),
    ]
    assert {(r.at.astimezone(AMS).hour, r.at.astimezone(AMS).minute) for r in runs} == {(8, 0), (19, 0)}


def test_a_wall_time_in_the_dst_gap_or_overlap_fires_once() -> None:
    night = schedule_of("Europe/Amsterdam", "02:30", "19:00")

    def mornings(start: datetime, end: datetime) -> list[SlotRun]:
        return [r for r in slots_between(night, start, end) if r.slot == "morning"]

    spring = mornings(utc(2025, 3, 29), utc(2025, 3, 31))
    autumn = mornings(utc(2025, 10, 25, 12), utc(2025, 10, 27))
    # 02:30 does not exist on 30 March: it is read before the jump and so falls at 03:30 CEST.
    assert [(r.local_date, r.at) for r in spring] == [
        (date(2025, 3, 29), utc(2025, 3, 29, 1, 30)),
        (date(2025, 3, 30), utc(2025, 3, 30, 1, 30)),
    ]
    # 02:30 happens twice on 26 October: the first one only.
    assert [(r.local_date, r.at) for r in autumn] == [(date(2025, 10, 26), utc(2025, 10, 26, 0, 30))]


@pytest.mark.parametrize(
    ("now", "expected", "coalesced"),
    [
        (utc(2025, 10, 20, 5, 59), None, []),  # before the morning, evening of the 19th 13 h ago
        (utc(2025, 10, 20, 6, 0), ("morning", date(2025, 10, 20)), []),  # on time
        (utc(2025, 10, 20, 12, 0), ("morning", date(2025, 10, 20)), []),  # 6 h late: still within grace
        (utc(2025, 10, 20, 12, 1), None, []),  # past grace: never
        (utc(2025, 10, 20, 17, 30), ("evening", date(2025, 10, 20)), []),
    ],
)
def test_due_slot_within_the_grace_window(
    now: datetime, expected: tuple[str, date] | None, coalesced: list[object]
) -> None:
    run, older = due_slots(SCHEDULE, now, GRACE)
    assert ((run.slot, run.local_date) if run else None) == expected
    assert older == coalesced


def test_a_long_outage_coalesces_missed_slots_into_the_latest() -> None:
    run, older = due_slots(SCHEDULE, utc(2025, 10, 20, 18), timedelta(hours=14))
    assert run is not None and (run.slot, run.local_date) == ("evening", date(2025, 10, 20))
    assert [(o.slot, o.local_date) for o in older] == [("morning", date(2025, 10, 20))]


def test_previous_slot_is_the_one_before() -> None:
    run, _ = due_slots(SCHEDULE, utc(2025, 10, 26, 7, 5), GRACE)
    assert run is not None
    before = previous_slot(SCHEDULE, run)
    assert (before.slot, before.local_date) == ("evening", date(2025, 10, 25))
    assert before.at == utc(2025, 10, 25, 17)


@pytest.mark.parametrize("slot", ["morning", "evening"])
def test_the_cron_trigger_fires_when_the_slots_are_due(slot: str) -> None:
    trigger = digest_trigger(SCHEDULE, slot)
    fired, cursor = [], utc(2025, 10, 23).astimezone(AMS)
    while len(fired) < 6:
        nxt = trigger.get_next_fire_time(None, cursor)
        assert nxt is not None
        fired.append(nxt.astimezone(UTC))
        cursor = nxt + timedelta(seconds=1)
    expected = [r.at for r in slots_between(SCHEDULE, utc(2025, 10, 23), utc(2025, 11, 1)) if r.slot == slot]
    assert fired == expected[:6]


@pytest.mark.parametrize("text", ["7:30", "24:00", "07:60", "0730", "", "noon"])
def test_bad_times_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_hhmm(text)


@pytest.mark.parametrize("text", ["Europe/Nowhere", "../etc/passwd", "/etc/localtime", "", "CEST+1"])
def test_bad_zones_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_zone(text)


def test_good_values_pass() -> None:
    assert parse_hhmm("07:30").strftime("%H:%M") == "07:30"
    assert parse_zone("Europe/Bucharest") == "Europe/Bucharest"
