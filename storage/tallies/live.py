"""Live tallies kept up to date as findings change, so /leaderboard and /counts read a few rows.

Aggregating 120k reports on every ask costs hundreds of milliseconds at 100k findings; a change
touches a handful of findings. So the store keeps (storage/models/scores.py):

* `score_pairs`: per (participant, finding), the flags the points are made of
  (storage/score_facts.py `pair_facts`); `participant_scores`: their sums per participant;
* `finding_tallies` and `platform_tallies`: what each finding adds to its site's findings,
  THB-suspect findings, THB URLs and social profiles (nothing once all its reports are
  withdrawn);
* `network_tallies`: each network's size and THB-suspect members.

How they stay true: every change to an input marks what it touches. ORM changes are seen on
flush (a report added or retracted; a finding's owner, THB flag, judgement, fetch outcome, CSAM
stop, site, kind or network; a link added; an identifier ignored); the bulk statements that
bypass the ORM call `touch()` (storage/findings.py, storage/networks.py). `settle()` then
recomputes exactly the marked findings, networks and the participants whose pairs changed, in
the same transaction — the derived rows commit or roll back with their cause. It runs before
every commit and before a tally is read in a session with marks pending.

PostgreSQL: `settle()` takes one transaction-scoped advisory lock before it reads, so settles
take turns, each from the end of its transaction's own writes to its commit. A settle reads the
source rows as committed when it starts (READ COMMITTED) plus its own transaction's changes; a
change another transaction has not committed yet is settled by that transaction after this one
commits. Only settles write the kept tables, so waiting for the lock never waits on a
transaction that is itself waiting for a row this one holds (no lock cycles). SQLite has one
writer at a time.

`rebuild()` recomputes everything from the source tables (`hub db rebuild-tallies`, migration
0007, bulk loads); tests/test_live_tallies.py proves that the kept rows equal a rebuild.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, delete, event, insert, literal, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session, col

from storage.models import Finding, FindingLink, FrozenScore, Identifier, ParticipantScore, Report
from storage.scope import in_scope, operation_id
from storage.tallies import upkeep as tally_upkeep
from storage.tallies.facts import COUNTS, pair_facts, participant_sums

_KEY = "hub.live_tallies.pending"
_FINDING_INPUTS = (
    "reporter_id",
    "thb_suspect",
    "judgement",
    "network_id",
    "platform",
    "platform_kind",
    "fetch_outcome",
    "suppressed",
)
_REPORT_INPUTS = ("retracted", "participant_id", "finding_id", "ts")
_PG_LOCK = 0x48554254  # "HUBT": held from settle() to the end of the transaction


@dataclass(slots=True)
class _Marks:
    findings: set[int] = field(default_factory=set)
    networks: set[int] = field(default_factory=set)
    identifiers: set[tuple[str, str]] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.findings or self.networks or self.identifiers)


def _marks(session: OrmSession) -> _Marks:
    marks = session.info.get(_KEY)
    if marks is None:
        marks = session.info[_KEY] = _Marks()
    return marks  # type: ignore[no-any-return]


def touch(session: Session, *, findings: Iterable[int] = (), networks: Iterable[int] = ()) -> None:
    """Mark findings and networks changed by a statement the ORM does not see."""
    marks = _marks(session)
    marks.findings.update(f for f in findings if f)
    marks.networks.update(n for n in networks if n)


def _changed(obj: object, names: Iterable[str]) -> list[Any]:
    """Old and new values of the named attributes that changed in this flush."""
    state = sa_inspect(obj)
    values: list[Any] = []
    for name in names:
        history = state.attrs[name].history
        if history.added or history.deleted:
            values += [*history.added, *history.deleted]
    return values


def _collect(session: OrmSession, _context: object) -> None:
    """after_flush: note what the flushed ORM changes touch (ids are assigned by now)."""
    marks = _marks(session)
    for obj in (*session.new, *session.deleted):
        if isinstance(obj, Report):
            marks.findings.add(obj.finding_id)
        elif isinstance(obj, FindingLink):
            marks.findings.add(obj.finding_b)
        elif isinstance(obj, Finding) and obj.id is not None:
            marks.findings.add(obj.id)
            if obj.network_id:
                marks.networks.add(obj.network_id)
    for obj in session.dirty:
        if isinstance(obj, Finding) and obj.id is not None:
            if _changed(obj, _FINDING_INPUTS):
                marks.findings.add(obj.id)
                marks.networks.update(n for n in _changed(obj, ("network_id",)) if n)
                if obj.network_id:
                    marks.networks.add(obj.network_id)
        elif isinstance(obj, Report):
            if _changed(obj, _REPORT_INPUTS):
                marks.findings.update(f for f in (obj.finding_id, *_changed(obj, ("finding_id",))) if f)
        elif isinstance(obj, Identifier) and _changed(obj, ("ignored",)):
            marks.identifiers.add((obj.kind, obj.value))
    if not marks:
        session.info.pop(_KEY, None)


def _forget(session: OrmSession, transaction: SessionTransaction) -> None:
    """after_transaction_end: the marks belong to the outermost transaction. A savepoint that
    rolls back leaves them (recomputing an unchanged finding changes nothing); the end of the
    outer transaction — commit (already settled) or rollback — drops them."""
    if transaction.parent is None:
        session.info.pop(_KEY, None)


def settle(session: Session) -> None:
    """Bring the kept tallies up to date with this session's changes (a no-op when none)."""
    if not session.info.get(_KEY) and not (session.new or session.dirty or session.deleted):
        return
    session.flush()  # before the lock: the flush may wait for rows other transactions hold
    if session.info.get(_KEY):
        _lock(session)
    while marks := session.info.pop(_KEY, None):
        findings = set(marks.findings)
        if marks.identifiers:
            findings |= _findings_linked_by(marks.identifiers, session=session)
        networks = set(marks.networks)
        if findings:
            networks |= tally_upkeep.refresh_findings(sorted(findings), session=session)
        if networks:
            tally_upkeep.refresh_networks(sorted(networks), session=session)


def _lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})


def _before_commit(session: OrmSession) -> None:
    if session.in_nested_transaction():
        return  # releasing a savepoint: the outer commit settles
    settle(session)  # type: ignore[arg-type]  # any ORM session: settle uses no SQLModel extras


def install() -> None:
    """Keep the tallies in every ORM session from now on (idempotent). `storage.engine.make_engine`
    calls it, so whoever builds an engine writes through the upkeep; importing does nothing."""
    for name, fn in (
        ("after_flush", _collect),
        ("before_commit", _before_commit),
        ("after_transaction_end", _forget),
    ):
        if not event.contains(OrmSession, name, fn):
            event.listen(OrmSession, name, fn)


def _findings_linked_by(identifiers: set[tuple[str, str]], *, session: Session) -> set[int]:
    out: set[int] = set()
    for kind, value in sorted(identifiers):
        stmt = sa_select(col(FindingLink.finding_b)).where(
            col(FindingLink.kind) == kind, col(FindingLink.value) == value
        )
        out.update(session.execute(stmt).scalars())
    return out


def freeze(*, session: Session, as_of: datetime | None = None, judgement_times: bool = True) -> None:
    """Capture the participants' totals for the frozen board (replacing any earlier one): the
    current ones, or — `as_of`, for a store that froze before scores were kept — those
    recomputed from what was reported by then."""
    settle(session)
    _lock(session)
    session.execute(delete(FrozenScore))
    columns = ["participant_id", *COUNTS, "reached_at"]
    op = literal(operation_id(), Integer)
    if as_of is None:
        table = ParticipantScore.__table__  # type: ignore[attr-defined]
        source = sa_select(*(table.c[name] for name in columns), op).where(in_scope(table))
    else:
        facts = pair_facts(as_of=as_of, judgement_times=judgement_times).subquery()
        sums = participant_sums(facts)
        source = sa_select(*(sums.c[name] for name in columns), op)
    session.execute(insert(FrozenScore).from_select([*columns, "operation_id"], source))


def unfreeze(*, session: Session) -> None:
    _lock(session)
    session.execute(delete(FrozenScore))


def rebuild(*, session: Session) -> None:
    """Recompute every kept tally from the source tables (after a bulk load or to repair)."""
    settle(session)
    _lock(session)
    tally_upkeep.rebuild_all(session=session)
