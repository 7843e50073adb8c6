"""The dispatcher: one Invocation in, Replies out, whatever the adapter.

Intake → run → done. Every message from a participant in a served chat is first stored as a
submission in a short transaction of its own, before anything slow happens. Then its handler
runs — a command, or the message handler (a pasted link) — with a `Context`: slow work (page
fetches) with no session open, then the one write transaction that stores the handler's
changes and marks the submission done. A submission left unfinished by a crash or a failure is
run again at start (`resume`). The dispatcher knows no command and no platform by name.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Engine
from sqlmodel import Session
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from commands.core.context import AlreadyProcessed, HubConfig, Write
from commands.core.intake import storable_invocation
from commands.core.registry import Command, Registry
from commands.core.seam import Invocation, Reply, refusal
from extraction.fetch.fetcher import Fetcher
from storage import audit, operations, participants, scope, submissions
from storage.engine import is_contention
from storage.models import Operation, Participant
from storage.scope import DEFAULT_OPERATION, operation_scope

if TYPE_CHECKING:
    from commands.paste.enrich import Enricher

log = logging.getLogger(__name__)
T = TypeVar("T")
ALREADY = "This message is already being processed."
# A private chat serves only people who joined in a served chat; anyone else gets this one line.
MEMBERS_ONLY = "This bot serves its team's members only: /join in the team's chat first."
JOIN_IN_TEAM_CHAT = "/join works in the team's chat only, not in a private chat."


def closed_reply(operation: Operation) -> str:
    """What a paste in a closed operation's chat is told."""
    when = operation.closed_at.date().isoformat() if operation.closed_at else "?"
    return (
        f"{operation.name} ({operation.code}) closed on {when}: nothing new is recorded here. "
        "/operation shows it; coordinators can still export it."
    )


def utc_now() -> datetime:
    return datetime.now(UTC)


def retried(work: Callable[[], T]) -> T:
    """Run a transaction again when the database aborted it for a transient conflict: SQLite's
    busy writer, a PostgreSQL deadlock or serialization failure. The whole unit reruns."""
    retrying = Retrying(
        retry=retry_if_exception(is_contention),
        stop=stop_after_attempt(8),
        wait=wait_random_exponential(multiplier=0.05, max=1.0),
        reraise=True,
    )
    for attempt in retrying:
        with attempt:
            return work()
    raise AssertionError("unreachable: tenacity either returns or re-raises")


@dataclass(frozen=True, slots=True)
class _Intake:
    """What storing a message decided: answer now, run a stranger's open command, or process."""

    answer: list[Reply] | None = None
    open_command: Command | None = None
    submission_id: int | None = None


@dataclass
class Dispatcher:
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
        if inv.private and not inv.vouched:
            return True  # checked against membership in handle: strangers get one line, nothing else
        return self.operation_for(inv) is not None

    def operation_for(self, inv: Invocation) -> Operation | None:
        """The operation a message belongs to: its chat's (open, else the last closed one); a
        private chat's is the sender's latest open operation; ALLOWED_CHATS, the console and
        replays belong to the default operation. None: the chat is served by no operation."""
        return self._operation(inv.chat_id, inv.participant_id, private=inv.private, vouched=inv.vouched)

    def _operation(
        self, chat_id: str, participant_id: str, *, private: bool, vouched: bool
    ) -> Operation | None:
        with operation_scope(None), self.session() as session:
            found = operations.operation_of_chat(chat_id, session=session)
            if found is not None:
                return found
            if private and not vouched:
                return operations.operation_of_member(participant_id, session=session)
            if not (vouched or chat_id in self.config.allowed_chats):
                return None
            default = session.get(Operation, DEFAULT_OPERATION)
            if default is not None and default.closed_at is None:
                return default
            opened = operations.open_operations(session=session)
            return opened[0] if vouched and len(opened) == 1 else None

    def operation_of_chat(self, chat_id: str) -> Operation | None:
        """The operation a team chat's board and digests belong to (None: no operation serves it)."""
        return self._operation(chat_id, "", private=False, vouched=False)

    def served_chats(self) -> list[str]:
        """Every chat of an open operation."""
        with operation_scope(None), self.session() as session:
            opened = operations.open_operations(session=session)
            return [chat for o in opened for chat in operations.chats_of(o.id or 0, session=session)]

    def is_coordinator(self, participant: Participant) -> bool:
        if participant.role == "coordinator" or participant.id in self.config.coordinators:
            return True
        with self.session() as session:
            return participant.id in operations.coordinators_of(scope.operation_id(), session=session)

    def acknowledgement(self, inv: Invocation) -> str | None:
        """What an adapter shows at once while this message's answer is worked out, or None."""
        if inv.command:
            return None
        handler = self.registry.message_handler_for(inv.text)
        return handler.acknowledge(inv.text) if handler else None

    def handle(self, inv: Invocation) -> list[Reply]:
        """Store the message, then answer it: a command, a message handler's answer, or nothing."""
        inv, note = storable_invocation(inv)  # NUL and invalid characters never reach the store
        operation = self.operation_for(inv)
        if operation is None:  # a private chat of someone who joined no open operation: one line
            return [_noted(refusal(MEMBERS_ONLY), note)] if inv.private and not inv.vouched else []
        if operation.closed_at is not None and not inv.command:
            return [refusal(closed_reply(operation))] if self.acknowledgement(inv) else []
        with operation_scope(operation.id):
            return self._handle(inv, note)

    def _handle(self, inv: Invocation, note: str | None) -> list[Reply]:
        intake = retried(lambda: self._intake(inv))
        if intake.answer is not None:
            return [_noted(r, note) for r in intake.answer]
        if intake.open_command is not None:  # /join, /help for a stranger: nothing is stored first
            return [_noted(intake.open_command.fn(_MessageContext(self, None), inv, None), note)]
        assert intake.submission_id is not None
        reply = self.process(inv, intake.submission_id)
        return [_noted(reply, note)] if reply.text or reply.image else []  # chatter without links: no answer

    def _intake(self, inv: Invocation) -> _Intake:
        with self.session() as session:
            participant = self._participant(inv, session=session)
            command = self.registry.get(inv.command) if inv.command else None
            if inv.private and not inv.vouched:  # a private chat: members only, and no /join there
                if participant is None:
                    return _Intake(answer=[refusal(MEMBERS_ONLY)])
                if command is not None and command.team_chat:
                    return _Intake(answer=[refusal(JOIN_IN_TEAM_CHAT)])
            if participant is None and not (command and command.open):
                if inv.command or self.acknowledgement(inv):
                    return _Intake(answer=[refusal("Please register first: /join <country> [name].")])
                return _Intake(answer=[])
            if participant is None:
                session.commit()
                return _Intake(open_command=command)
            participants.ensure_chat(inv.chat_id, platform=inv.platform, allowed=True, session=session)
            flooding = not inv.vouched and self._flooding(participant.id, session=session)
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
            answer = [Reply(submission.reply, repeat=not first_delivery)] if submission.reply else []
            return _Intake(answer=answer)
        return _Intake(submission_id=submission.id)

    def process(self, inv: Invocation, submission_id: int) -> Reply:
        """Run the handler of one stored submission; it ends done, or failed with the reason."""
        with self._claimed(submission_id) as ours:
            if not ours:
                return Reply(ALREADY, repeat=True)
            context = _MessageContext(self, submission_id)
            try:
                with self.session() as session:
                    submission = submissions.get_submission(submission_id, session=session)
                    if submission.status not in ("received", "failed"):
                        return Reply(ALREADY, repeat=True)
                    participant = session.get(Participant, submission.participant_id)
                assert participant is not None
                reply = self._run(context, inv, participant)
                if context.answered is None:  # nothing written: the message is done with its answer
                    context.record(lambda _session: reply)
            except AlreadyProcessed:
                return Reply(ALREADY, repeat=True)
            except Exception as exc:  # the submission is kept; the reporter hears what happened
                log.exception("submission %s failed", submission_id)
                failure = exc
                retried(lambda: self._fail(submission_id, failure))
                return Reply(
                    f"Something failed while processing this message ({exc.__class__.__name__}). "
                    "Your message is kept and will be retried when the hub restarts; "
                    "no need to paste it again.",
                    thread_ref=inv.thread_ref,
                    failed=True,
                )
            return reply

    def _run(self, context: _MessageContext, inv: Invocation, participant: Participant) -> Reply:
        if inv.command:
            command = self.registry.get(inv.command)
            if command is None:
                return Reply(f"Unknown command /{inv.command}. Try /help.", refused=True)
            if command.coordinator and not self.is_coordinator(participant):
                return refusal(f"/{command.name} is for coordinators only.")
            return command.fn(context, inv, participant)
        handler = self.registry.message_handler_for(inv.text)
        return handler.fn(context, inv, participant) if handler else Reply("")

    def _fail(self, submission_id: int, exc: Exception) -> None:
        with self.session() as session:
            submission = submissions.get_submission(submission_id, session=session)
            submission.attempts += 1
            submissions.finish_submission(
                submission, status="failed", reply=None, error=repr(exc), at=self.clock(), session=session
            )
            session.commit()

    @contextmanager
    def _claimed(self, submission_id: int) -> Iterator[bool]:
        """This process works on the submission at most once at a time (a redelivery while it
        is in work gets "already being processed"). Across processes, the write transaction
        claims the row (`submissions.claim_for_update`): one worker's answer counts."""
        with self._claims_lock:
            if submission_id in self._claims:
                yield False
                return
            self._claims.add(submission_id)
        try:
            yield True
        finally:
            with self._claims_lock:
                self._claims.discard(submission_id)

    def resume(self) -> list[tuple[Invocation, Reply]]:
        """Process submissions a crash or a failure left unfinished, oldest first (run at start)."""
        with operation_scope(None), self.session() as session:
            work = []
            for submission in submissions.unfinished_submissions(session=session):  # of every operation
                participant = session.get(Participant, submission.participant_id)
                inv = Invocation(
                    participant_id=submission.participant_id,
                    platform=submission.platform,
                    chat_id=submission.chat_id,
                    text=submission.text,
                    ts=submission.ts,
                    message_key=submission.message_key,
                    participant_name=participant.name if participant else "",
                    country=participant.country if participant else None,
                )
                work.append((inv, submission.id or 0, submission.operation_id))
        done = []
        for inv, submission_id, op_id in work:
            with operation_scope(op_id):
                done.append((inv, self.process(inv, submission_id)))
        return done

    def _flooding(self, participant_id: str, *, session: Session) -> bool:
        since = self.clock() - timedelta(minutes=1)
        return (
            submissions.received_since(participant_id, since, session=session)
            >= self.config.messages_per_minute
        )

    def _participant(self, inv: Invocation, *, session: Session) -> Participant | None:
        found = participants.get_participant(inv.participant_id, session=session)
        if found is not None and not operations.is_member(found.id, scope.operation_id(), session=session):
            # Known from another operation: a member of this one too, under a name free here.
            participants.enrol(
                found.id,
                found.name,
                platform=found.platform,
                country=found.country,
                at=inv.ts,
                session=session,
            )
        if found is None and inv.country and inv.vouched:
            found, _ = participants.enrol(
                inv.participant_id,
                inv.participant_name or inv.participant_id,
                platform=inv.platform,
                country=inv.country,
                at=inv.ts,
                role="coordinator" if inv.participant_id in self.config.coordinators else "participant",
                session=session,
            )
            audit.record(
                inv.participant_id, "participant.registered", inv.participant_id, at=inv.ts, session=session
            )
        return found


def _noted(reply: Reply, note: str | None) -> Reply:
    """The reply, followed by what intake cleaning changed in the message (not on a repeat)."""
    if note is None or reply.repeat or not reply.text:
        return reply
    return replace(reply, text=f"{reply.text}\n{note}")


@dataclass
class _MessageContext:
    """The `Context` of one message (commands.core.context)."""

    dispatcher: Dispatcher
    submission_id: int | None  # None for a stranger's open command: nothing was stored
    answered: Reply | None = None

    @property
    def config(self) -> HubConfig:
        return self.dispatcher.config

    @property
    def fetcher(self) -> Fetcher:
        return self.dispatcher.fetcher

    @property
    def enricher(self) -> Enricher | None:
        return self.dispatcher.enricher

    def now(self) -> datetime:
        return self.dispatcher.clock()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.dispatcher.session() as session:
            yield session

    def record(self, write: Write) -> Reply:
        if self.answered is not None:
            raise RuntimeError("a message has one write transaction: record() was called twice")
        self.answered = retried(lambda: self._record_once(write))
        return self.answered

    def _record_once(self, write: Write) -> Reply:
        with self.dispatcher.session() as session:
            submission = None
            if self.submission_id is not None:
                submission = submissions.claim_for_update(self.submission_id, session=session)
                if submission is None:  # another worker holds it or finished it
                    raise AlreadyProcessed(self.submission_id)
            reply = write(session)
            if submission is not None:
                submissions.finish_submission(
                    submission, status="done", reply=reply.text, error=None, at=self.now(), session=session
                )
            session.commit()
        return reply

    def is_coordinator(self, participant: Participant) -> bool:
        return self.dispatcher.is_coordinator(participant)

    def commands(self) -> list[Command]:
        return self.dispatcher.registry.all()
