"""Live tallies kept up to date as findings change, so /leaderboard and /counts read a few rows.

Aggregating 120k reports on every ask costs hundreds of milliseconds at 100k findings; a change
touches a handful of findings. So the store keeps (storage/score_models.py):

* `score_pairs`: per (participant, finding), the flags the points are made of
  (storage/score_facts.py `pair_facts`); `participant_scores`: their sums per participant;
* `finding_tallies` and `platform_tallies`: what each finding adds to its site's findings,
  THB-suspect findings, THB URLs and social profiles (nothing once all its reports are
  withdrawn);
* `network_tallies`: each network's size and THB-suspect members.

How they stay true: every change to an input marks what it touches. ORM changes are seen on
flush (a report added or retracted; a finding's owner, THB flag, judgement, site, kind or
network; a link added; an identifier ignored); the bulk statements that bypass the ORM call
`touch()` (storage/findings.py, storage/networks.py). `settle()` then recomputes exactly the
marked findings, networks and the participants whose pairs changed, in the same transaction —
the derived rows commit or roll back with their cause. It runs before every commit and before a
tally is read in a session with marks pending.

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

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import BindParameter, bindparam, case, delete, event, func, insert, text, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col

from storage.models import Finding, FindingLink, Identifier, Network, Participant, Report
from storage.score_facts import COUNTS, has_live_report, pair_facts, participant_sums
from storage.score_models import (
    FindingTally,
    FrozenScore,
    NetworkTally,
    ParticipantScore,
    PlatformTally,
    ScorePair,
)
from storage.upsert import insert_ignore_many

_KEY = "hub.live_tallies.pending"
_FINDING_INPUTS = ("reporter_id", "thb_suspect", "judgement", "network_id", "platform", "platform_kind")
_REPORT_INPUTS = ("retracted", "participant_id", "finding_id", "ts")
_CHUNK = 500  # ids per IN (...) list
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


def _forget(session: OrmSession, *_args: object) -> None:
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
            networks |= _refresh_findings(sorted(findings), session=session)
        if networks:
            _refresh_networks(sorted(networks), session=session)


def _lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})


def _before_commit(session: OrmSession) -> None:
    settle(session)  # type: ignore[arg-type]  # any ORM session: settle uses no SQLModel extras


event.listen(OrmSession, "after_flush", _collect)
event.listen(OrmSession, "before_commit", _before_commit)
event.listen(OrmSession, "after_rollback", _forget)


def _chunks(ids: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _findings_linked_by(identifiers: set[tuple[str, str]], *, session: Session) -> set[int]:
    out: set[int] = set()
    for kind, value in sorted(identifiers):
        stmt = sa_select(col(FindingLink.finding_b)).where(
            col(FindingLink.kind) == kind, col(FindingLink.value) == value
        )
        out.update(session.execute(stmt).scalars())
    return out


def _refresh_findings(ids: list[int], *, session: Session) -> set[int]:
    """Recompute the findings' pairs and site contributions; returns their networks."""
    networks: set[int] = set()
    participants: set[str] = set()
    for chunk in _chunks(ids):
        rows = session.execute(_sql().networks_of, {"ids": chunk}).all()
        networks.update(n for _, n in rows if n)
        participants |= _refresh_pairs(chunk, session=session)
        _refresh_sites(chunk, session=session)
    if participants:
        _refresh_participants(sorted(participants), session=session)
    return networks


_PAIR_COLUMNS = ["participant_id", "finding_id", "ts", "owned", "scoring", "suspect", "confirmed", "linked"]


@dataclass(frozen=True, slots=True)
class _Statements:
    """Built once (composing them costs more than running them); ids are expanding parameters."""

    networks_of: Any
    pairs_of: Any
    delete_pairs: Any
    insert_pairs: Any
    sums_of: Any
    old_sites: Any
    new_sites: Any
    sizes_of: Any


@functools.cache
def _sql() -> _Statements:
    ids: BindParameter[Any] = bindparam("ids", expanding=True)
    pids: BindParameter[Any] = bindparam("pids", expanding=True)
    pairs_table = ScorePair.__table__  # type: ignore[attr-defined]  # Core: parameters bind, not bulk rows
    facts = pair_facts(finding_ids=ids).subquery()
    pairs = sa_select(ScorePair).where(col(ScorePair.participant_id).in_(pids)).subquery()
    kept = sa_select(
        pairs.c.participant_id.label("pid"),
        pairs.c.finding_id.label("fid"),
        *(pairs.c[name] for name in _PAIR_COLUMNS[2:]),
    ).subquery()
    return _Statements(
        networks_of=sa_select(col(Finding.id), col(Finding.network_id)).where(col(Finding.id).in_(ids)),
        pairs_of=sa_select(col(ScorePair.participant_id)).where(col(ScorePair.finding_id).in_(ids)),
        delete_pairs=delete(pairs_table).where(pairs_table.c.finding_id.in_(ids)),
        insert_pairs=insert(pairs_table).from_select(_PAIR_COLUMNS, sa_select(*facts.c)),
        sums_of=sa_select(participant_sums(kept)),
        old_sites=sa_select(FindingTally).where(col(FindingTally.finding_id).in_(ids)),
        new_sites=_site_facts(ids),
        sizes_of=sa_select(
            col(Finding.network_id),
            func.count(),
            func.sum(case((col(Finding.thb_suspect).is_(True), 1), else_=0)),
        )
        .where(col(Finding.network_id).in_(ids))
        .group_by(col(Finding.network_id)),
    )


def _refresh_pairs(ids: list[int], *, session: Session) -> set[str]:
    sql, bound = _sql(), {"ids": ids}
    participants = set(session.execute(sql.pairs_of, bound).scalars())
    session.execute(sql.delete_pairs, bound)
    session.execute(sql.insert_pairs, bound)
    participants.update(session.execute(sql.pairs_of, bound).scalars())
    return participants


def _refresh_participants(pids: list[str], *, session: Session) -> None:
    for chunk in _chunks(pids):
        insert_ignore_many(
            ParticipantScore, [{"participant_id": p} for p in chunk], ["participant_id"], session=session
        )
        sums = {row.participant_id: row for row in session.execute(_sql().sums_of, {"pids": chunk})}
        zero = dict.fromkeys(COUNTS, 0)
        values = [
            {"participant_id": p, **({n: getattr(sums[p], n) for n in COUNTS} if p in sums else zero),
             "reached_at": sums[p].reached_at if p in sums else None}
            for p in chunk
        ]  # fmt: skip
        session.execute(update(ParticipantScore), values)


def _site_facts(ids: BindParameter[Any] | None) -> Any:
    scoring = func.coalesce(col(Finding.judgement), "") != "rejected"
    suspect = col(Finding.thb_suspect).is_(True)
    stmt = sa_select(
        col(Finding.id),
        col(Finding.platform),
        case((suspect, 1), else_=0),
        case(((suspect | (col(Finding.judgement) == "confirmed")) & scoring, 1), else_=0),
        case((col(Finding.platform_kind) == "social", 1), else_=0),
    ).where(has_live_report())  # every report withdrawn (/undo): the link was pasted by mistake
    return stmt if ids is None else stmt.where(col(Finding.id).in_(ids))


_SITE_COUNTS = ("findings", "suspects", "thb_urls", "social")


def _refresh_sites(ids: list[int], *, session: Session) -> None:
    """Move each finding's contribution from what it last added to what it adds now."""
    sql, bound = _sql(), {"ids": ids}
    old = {
        row.finding_id: (row.platform, (1, row.suspect, row.thb_url, row.social))
        for row in session.execute(sql.old_sites, bound).scalars()
    }
    new = {
        fid: (platform, (1, s, t, so)) for fid, platform, s, t, so in session.execute(sql.new_sites, bound)
    }
    delta: dict[str, list[int]] = {}
    for fid in set(old) | set(new):
        if old.get(fid) == new.get(fid):
            continue
        for contribution, sign in ((old.get(fid), -1), (new.get(fid), 1)):
            if contribution is not None:
                totals = delta.setdefault(contribution[0], [0, 0, 0, 0])
                for i, n in enumerate(contribution[1]):
                    totals[i] += sign * n
    changed = [fid for fid in set(old) | set(new) if old.get(fid) != new.get(fid)]
    if not changed:
        return
    session.execute(delete(FindingTally).where(col(FindingTally.finding_id).in_(changed)))
    rows = [
        {"finding_id": fid, "platform": p, "suspect": c[1], "thb_url": c[2], "social": c[3]}
        for fid, (p, c) in new.items()
        if fid in changed
    ]
    if rows:
        session.execute(insert(FindingTally), rows)
    sites = sorted(p for p, d in delta.items() if any(d))
    if not sites:
        return
    insert_ignore_many(PlatformTally, [{"platform": p} for p in sites], ["platform"], session=session)
    table = PlatformTally.__table__  # type: ignore[attr-defined]
    for site in sites:
        session.execute(
            update(table)
            .where(table.c.platform == site)
            .values({name: table.c[name] + d for name, d in zip(_SITE_COUNTS, delta[site], strict=True)})
        )


def _refresh_networks(ids: list[int], *, session: Session) -> None:
    for chunk in _chunks(ids):
        sizes = {nid: (int(n), int(s or 0)) for nid, n, s in session.execute(_sql().sizes_of, {"ids": chunk})}
        insert_ignore_many(NetworkTally, [{"network_id": n} for n in chunk], ["network_id"], session=session)
        values = [
            {"network_id": nid, "members": sizes.get(nid, (0, 0))[0], "suspects": sizes.get(nid, (0, 0))[1]}
            for nid in chunk
        ]
        session.execute(update(NetworkTally), values)


def freeze(*, session: Session) -> None:
    """Capture the participants' current totals for the frozen board (replacing any earlier one)."""
    settle(session)
    _lock(session)
    session.execute(delete(FrozenScore))
    columns = ["participant_id", *COUNTS, "reached_at"]
    source = sa_select(*(ParticipantScore.__table__.c[name] for name in columns))  # type: ignore[attr-defined]
    session.execute(insert(FrozenScore).from_select(columns, source))


def unfreeze(*, session: Session) -> None:
    _lock(session)
    session.execute(delete(FrozenScore))


def rebuild(*, session: Session) -> None:
    """Recompute every kept tally from the source tables (after a bulk load or to repair)."""
    settle(session)
    _lock(session)
    for model in (ScorePair, ParticipantScore, FindingTally, PlatformTally, NetworkTally):
        session.execute(delete(model))
    facts = pair_facts().subquery()
    session.execute(insert(ScorePair).from_select(_PAIR_COLUMNS, sa_select(*facts.c)))
    pids = set(session.execute(sa_select(col(Participant.id))).scalars())
    pids |= set(session.execute(sa_select(col(ScorePair.participant_id)).distinct()).scalars())
    _refresh_participants(sorted(pids), session=session)
    site_columns = ["finding_id", "platform", "suspect", "thb_url", "social"]
    session.execute(insert(FindingTally).from_select(site_columns, _site_facts(None)))
    sites = sa_select(
        col(FindingTally.platform),
        func.count(),
        func.sum(col(FindingTally.suspect)),
        func.sum(col(FindingTally.thb_url)),
        func.sum(col(FindingTally.social)),
    ).group_by(col(FindingTally.platform))
    session.execute(insert(PlatformTally).from_select(["platform", *_SITE_COUNTS], sites))
    network_ids = list(session.execute(sa_select(col(Network.id)).order_by(col(Network.id))).scalars())
    _refresh_networks(network_ids, session=session)
