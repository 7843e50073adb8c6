"""The digest scheduler: each allowed chat's morning and evening digest, posted once.

* APScheduler 3.11 (AsyncIOScheduler) with its SQLAlchemyJobStore in the hub's own database
  (table `apscheduler_jobs`, created by APScheduler): one cron job per chat and slot, at the
  chat's local times (settings, or `/digest at`), so a restart knows which run it missed.
* Misfires: a slot missed while the bot was down is posted once on start when it is at most
  DIGEST_GRACE_HOURS old, never later; several missed slots coalesce into the latest. The
  same rule runs at start and every minute (`DigestDelivery.catch_up` in bot/digest_delivery.py),
  so slots whose cron job could not fire (new chat, changed times, an adapter not yet connected)
  are not lost.
* Never doubled: every post first claims its (chat, slot, local day) row in `digest_runs`;
  the unique constraint lets one claimant win across processes and restarts. A claimed slot
  is not retried even if its post failed (it is marked `failed`): at most once beats twice.
* One scheduler per database: on PostgreSQL a process runs the scheduler only while it holds
  a session advisory lock (`pg_try_advisory_lock`); the others stand by and take over when the
  holder's connection ends. On SQLite one process is assumed (the claim still guards).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.scheduler_lock import SchedulerLock
from bot.settings import Settings
from commands.core.dispatcher import Dispatcher
from commands.core.poster import ChatPoster
from commands.core.seam import Reply
from commands.digest.command import build_digest, chat_schedule, digest_since
from commands.digest.delivery import DigestDelivery
from commands.digest.narrative import Narrative, llm_narrative
from commands.digest.schedule import SLOTS, DigestSchedule, SlotRun, parse_hhmm, schedule_of, slots_between

log = logging.getLogger(__name__)

JOB_TABLE = "apscheduler_jobs"
LOCK_RETRY_S = 30.0
SYNC_EVERY_S = 60


def digest_trigger(schedule: DigestSchedule, slot: str) -> CronTrigger:
    at = schedule.time_of(slot)
    return CronTrigger(hour=at.hour, minute=at.minute, timezone=schedule.zone)


def job_id(chat_id: str, slot: str) -> str:
    return f"digest:{chat_id}:{slot}"


@dataclass
class _Running:
    scheduler: AsyncIOScheduler
    delivery: DigestDelivery


# The scheduler running in this process. Jobs in a persistent store are kept as a reference to
# an importable function plus arguments, so they cannot carry the hub: they find it here.
_running: _Running | None = None


async def digest_job(chat_id: str) -> None:
    """A chat's cron job: post its due digest."""
    if _running is not None:
        await _running.delivery.deliver_due(chat_id)


async def sync_job() -> None:
    """Every minute: follow `/digest at` changes, then post anything due and unclaimed."""
    if _running is not None:
        await reconcile(_running.scheduler, _running.delivery)
        await _running.delivery.catch_up()


async def reconcile(scheduler: AsyncIOScheduler, delivery: DigestDelivery) -> None:
    """Make the stored cron jobs match the allowed chats and their times. A job whose trigger is
    unchanged is left alone, so the run time it persisted survives a restart (misfire grace)."""
    wanted = {}
    for chat_id in delivery.chats:
        schedule = await asyncio.to_thread(chat_schedule, delivery.sessions, chat_id, delivery.default)
        for slot in SLOTS:
            wanted[job_id(chat_id, slot)] = (chat_id, digest_trigger(schedule, slot))
    for job in scheduler.get_jobs(jobstore="default"):
        if job.id.startswith("digest:") and job.id not in wanted:
            job.remove()
    for ident, (chat_id, trigger) in wanted.items():
        job = scheduler.get_job(ident, jobstore="default")
        if job is None:
            scheduler.add_job(digest_job, trigger, args=[chat_id], id=ident, jobstore="default")
        elif repr(job.trigger) != repr(trigger):
            job.reschedule(trigger)


def dry_run(
    hub: Dispatcher, settings: Settings, *, slot: str | None, at: datetime | None, chat_id: str | None
) -> tuple[SlotRun, Reply]:
    """What the scheduler would post for `chat_id` (default: the first allowed chat) as of `at`
    (default: now), for `slot` (default: the latest slot due by then). Claims and posts nothing."""
    default = schedule_of(settings.timezone, settings.digest_morning, settings.digest_evening)
    chat_id = chat_id or (settings.allowed_chats[0] if settings.allowed_chats else "")
    schedule = chat_schedule(hub.session, chat_id, default) if chat_id else default
    now = at or hub.clock()
    runs = [r for r in slots_between(schedule, now - timedelta(days=2), now) if slot in (None, r.slot)]
    run = runs[-1]
    since = digest_since(hub.session, chat_id, run, schedule)
    return run, build_digest(hub.session, slot=run.slot, now=now, since=since, timezone=schedule.timezone)


def parse_when(text: str, timezone: str) -> datetime:
    """`--at`: an ISO date-time (without an offset: local to `timezone`) or HH:MM today."""
    zone = ZoneInfo(timezone)
    try:
        clock = parse_hhmm(text)
    except ValueError:
        value = datetime.fromisoformat(text)  # ValueError: the caller says what is expected
        return value if value.tzinfo else value.replace(tzinfo=zone)
    return datetime.combine(datetime.now(zone).date(), clock, tzinfo=zone)


def grace_of(settings: Settings) -> timedelta:
    return timedelta(hours=settings.digest_grace_hours)


async def serve(
    hub: Dispatcher, settings: Settings, stop: asyncio.Event, posters: dict[str, ChatPoster]
) -> None:
    """Run the digest scheduler until `stop` (an adapter entry point, see bot/runner.py)."""
    await serve_digests(hub, settings, stop, posters, narrative=llm_narrative(hub.enricher))


async def serve_digests(
    hub: Dispatcher,
    settings: Settings,
    stop: asyncio.Event,
    posters: dict[str, ChatPoster],
    *,
    started: asyncio.Event | None = None,
    narrative: Narrative | None = None,
    lock_retry_s: float = LOCK_RETRY_S,
    poster_wait_s: float = 30.0,
    chart: bool = True,
) -> None:
    """`serve` with the knobs tests and a later LLM narrative need; `started` is set once this
    process has either started the scheduler (and caught up) or is standing by for the lock."""
    global _running
    default = schedule_of(settings.timezone, settings.digest_morning, settings.digest_evening)
    chats = tuple(dict.fromkeys([*settings.allowed_chats, *hub.served_chats()]))
    if not chats:
        log.info("no ALLOWED_CHATS: no digests to schedule")
        _set(started)
        await stop.wait()
        return
    lock = SchedulerLock(hub.engine)
    announced = False
    while not await asyncio.to_thread(lock.try_acquire):
        if not announced:
            log.info("another hub process runs the digest scheduler; standing by")
            announced = True
            _set(started)
        if await _stopped(stop, lock_retry_s):
            return
    delivery = DigestDelivery(
        hub.session,
        hub.clock,
        posters,
        default,
        grace_of(settings),
        chats,
        narrative,
        poster_wait_s,
        chart=chart,
        stop=stop,
        operation_of=hub.operation_of_chat,
    )
    scheduler = AsyncIOScheduler(
        jobstores={
            "default": SQLAlchemyJobStore(engine=hub.engine, tablename=JOB_TABLE),
            "memory": MemoryJobStore(),
        },
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": int(delivery.grace.total_seconds()),
        },
        timezone=default.zone,
    )
    try:
        _running = _Running(scheduler, delivery)
        scheduler.start(paused=True)
        await reconcile(scheduler, delivery)
        scheduler.add_job(
            sync_job, IntervalTrigger(seconds=SYNC_EVERY_S), id="digest-sync", jobstore="memory"
        )
        scheduler.resume()
        await delivery.catch_up()
        _set(started)
        await stop.wait()
    finally:
        _running = None
        if scheduler.running:
            scheduler.shutdown(wait=False)
            await asyncio.sleep(0)  # AsyncIOScheduler shuts down on the loop's next turn
        await asyncio.to_thread(lock.release)


def _set(event: asyncio.Event | None) -> None:
    if event is not None:
        event.set()


async def _stopped(stop: asyncio.Event, seconds: float) -> bool:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
    return stop.is_set()
