"""The hub's use-case entry point: one Invocation in, Replies out, whatever the adapter."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from commands.core.registry import Registry
from commands.core.seam import Invocation, Reply
from extraction.fetch.fetcher import Fetcher
from storage import audit, participants, submissions
from storage.models import Participant, Submission

if TYPE_CHECKING:
    from commands.paste.enrich import Enricher

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HubConfig:
    """What commands need to know from settings (commands never read settings themselves)."""

    coordinators: frozenset[str] = frozenset()
    allowed_chats: frozenset[str] = frozenset()
    allow_private_targets: bool = False
    tor_proxy: bool = False
    timezone: str = "Europe/Amsterdam"
    max_message_chars: int = 20_000
    max_links_per_message: int = 20
    undo_window: timedelta = timedelta(minutes=30)
    messages_per_minute: int = 30  # per participant, live chats only
    operator_vouches: bool = False  # replay: the file's chats are allowed, its users registered


# Deadlock detected / serialization failure (PostgreSQL), or SQLite's busy writer.
CONTENTION_SQLSTATES = {"40P01", "40001"}


def is_contention(exc: BaseException) -> bool:
    """A transient conflict between workers: the transaction can be run again as it was."""
    if not isinstance(exc, OperationalError):
        return False
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return sqlstate in CONTENTION_SQLSTATES or "database is locked" in str(exc.orig)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Hub:
    engine: Engine
    fetcher: Fetcher
    registry: Registry
    config: HubConfig = field(default_factory=HubConfig)
    clock: Callable[[], datetime] = utc_now
    enricher: Enricher | None = None  # the optional LLM's second opinion, after the verdict
    _claims: set[int] = field(default_factory=set, init=False, repr=False)
    _claims_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def chat_allowed(self, inv: Invocation) -> bool:
        if inv.platform == "console" or self.config.operator_vouches:
            return True
        if inv.private:
            return True  # checked against registration below: strangers get nothing
        return inv.chat_id in self.config.allowed_chats

    def handle(self, inv: Invocation) -> list[Reply]:
        """Store the message, then answer it: a command, pasted links, or nothing."""
        from commands.paste import handler as paste

        if not self.chat_allowed(inv):
            return []
        with self.session() as session:
            participant = self._participant(inv, session=session)
            command = self.registry.get(inv.command) if inv.command else None
            if participant is None and not (command and command.open):
                if inv.command or paste.has_links(inv.text):
                    return [Reply(f"Please register first: /join <country> [name]. {NOT_RECORDED}")]
                return []
            if participant is None:
                # /join and /help are answered without storing anything for a stranger.
                assert command is not None
                return [command.fn(self, inv, None)]
            participants.ensure_chat(inv.chat_id, platform=inv.platform, allowed=True, session=session)
            flooding = self._flooding(participant.id, session=session)
            submission, first_delivery = submissions.record_submission(
                message_key=inv.message_key,
                platform=inv.platform,
                chat_id=inv.chat_id,
                participant_id=participant.id,
                ts=inv.ts,
                text=inv.text[: self.config.max_message_chars * 2],
                received_at=self.clock(),
                session=session,
            )
            if first_delivery and flooding:
                slow = (
                    f"Slow down: more than {self.config.messages_per_minute} messages in a minute. "
                    "This one is kept but was not checked; paste it again in a minute."
                )
                submissions.finish_submission(
                    submission,
                    status="refused",
                    reply=slow,
                    error="rate limited",
                    at=self.clock(),
                    session=session,
                )
            session.commit()  # stored before anything slow happens
            if (not first_delivery and submission.status != "received") or submission.status == "refused":
                return [Reply(submission.reply, repeat=not first_delivery)] if submission.reply else []
        reply = self.process(inv, submission.id or 0)
        return [reply] if reply.text or reply.image else []  # chat without links gets no answer

    def process(self, inv: Invocation, submission_id: int) -> Reply:
        """Run the work of one stored submission and mark it done (or failed, with the reason).

        Two workers updating the same findings can deadlock; the database aborts one of them,
        whose whole transaction (claim included) is rolled back and simply run again.
        """
        retrying = Retrying(
            retry=retry_if_exception(is_contention),
            stop=stop_after_attempt(5),
            wait=wait_random_exponential(multiplier=0.05, max=1.0),
            reraise=True,
        )
        for attempt in retrying:
            with attempt:
                return self._process_once(inv, submission_id)
        raise AssertionError("unreachable: tenacity either returns or re-raises")

    def _process_once(self, inv: Invocation, submission_id: int) -> Reply:
        from commands.paste import handler as paste

        with self.session() as session, self._claimed(submission_id, session=session) as submission:
            if submission is None:  # another worker has it, or it is finished already
                return Reply("This message is already being processed.", repeat=True)
            participant = session.get(Participant, submission.participant_id)
            assert participant is not None
            command = self.registry.get(inv.command) if inv.command else None
            try:
                if inv.command:
                    reply = self._run_command(inv, command, participant)
                else:
                    reply = paste.handle_paste(self, inv, participant, submission_id, session=session)
            except Exception as exc:  # the submission is kept; the reporter hears what happened
                if is_contention(exc):
                    raise  # rolled back with the session; process() runs it again
                log.exception("submission %s failed", submission_id)
                session.rollback()
                submission = submissions.get_submission(submission_id, session=session)
                submission.attempts += 1
                submissions.finish_submission(
                    submission, status="failed", reply=None, error=repr(exc), at=self.clock(), session=session
                )
                session.commit()
                return Reply(
                    f"Something failed while processing this message ({exc.__class__.__name__}). "
                    "Your message is kept and will be retried when the hub restarts; "
                    "no need to paste it again.",
                    thread_ref=inv.thread_ref,
                )
            submission = submissions.get_submission(submission_id, session=session)
            submissions.finish_submission(
                submission, status="done", reply=reply.text, error=None, at=self.clock(), session=session
            )
            session.commit()
            return reply

    @contextmanager
    def _claimed(self, submission_id: int, *, session: Session) -> Iterator[Submission | None]:
        """Hold the right to process one submission.

        PostgreSQL: a row lock (FOR UPDATE SKIP LOCKED) for the transaction, so several workers
        never process one message twice and a killed worker's lock dies with its connection.
        SQLite (one process): an in-process set of submissions being worked on.
        """
        if session.get_bind().dialect.name == "postgresql":
            yield submissions.claim_for_update(submission_id, session=session)
            return
        with self._claims_lock:
            if submission_id in self._claims:
                yield None
                return
            self._claims.add(submission_id)
        try:
            yield submissions.claim_for_update(submission_id, session=session)
        finally:
            with self._claims_lock:
                self._claims.discard(submission_id)

    def _run_command(self, inv: Invocation, command: object, participant: Participant) -> Reply:
        from commands.core.registry import Command

        if not isinstance(command, Command):
            return Reply(f"Unknown command /{inv.command}. Try /help.")
        if command.coordinator and not self.is_coordinator(participant):
            return Reply(f"/{command.name} is for coordinators only. {NOT_RECORDED}")
        return command.fn(self, inv, participant)

    def resume(self) -> list[tuple[Invocation, Reply]]:
        """Process submissions a crash or a failure left unfinished, oldest first (run at start)."""
        with self.session() as session:
            pending = submissions.unfinished_submissions(session=session)
            work = []
            for submission in pending:
                participant = session.get(Participant, submission.participant_id)
                work.append(
                    (
                        Invocation(
                            participant_id=submission.participant_id,
                            platform=submission.platform,
                            chat_id=submission.chat_id,
                            text=submission.text,
                            ts=submission.ts,
                            message_key=submission.message_key,
                            participant_name=participant.name if participant else "",
                            country=participant.country if participant else None,
                        ),
                        submission.id or 0,
                    )
                )
        return [(inv, self.process(inv, submission_id)) for inv, submission_id in work]

    def _flooding(self, participant_id: str, *, session: Session) -> bool:
        if self.config.operator_vouches:
            return False  # a replay feeds a whole week in seconds
        since = self.clock() - timedelta(minutes=1)
        return (
            submissions.received_since(participant_id, since, session=session)
            >= self.config.messages_per_minute
        )

    def is_coordinator(self, participant: Participant) -> bool:
        return participant.role == "coordinator" or participant.id in self.config.coordinators

    def _participant(self, inv: Invocation, *, session: Session) -> Participant | None:
        found = participants.get_participant(inv.participant_id, session=session)
        if found is None and inv.country and (self.config.operator_vouches or inv.platform == "console"):
            found, _ = participants.register_participant(
                inv.participant_id,
                platform=inv.platform,
                name=inv.participant_name or inv.participant_id,
                country=inv.country,
                at=inv.ts,
                role="coordinator" if inv.participant_id in self.config.coordinators else "participant",
                session=session,
            )
            audit.record(
                inv.participant_id, "participant.registered", inv.participant_id, at=inv.ts, session=session
            )
        return found


NOT_RECORDED = "Nothing was recorded."
