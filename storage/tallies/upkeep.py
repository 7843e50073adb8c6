"""The recomputations behind storage/live_tallies.py: a few findings' score pairs, participant
sums, site totals and network sizes — or all of them (`rebuild_all`).

Callers hold the tally lock (live_tallies.settle / rebuild). Statements are composed once and
bound to the ids at each call: composing them costs more than running them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, Integer, bindparam, case, delete, func, insert, literal, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from storage.models import (
    Finding,
    FindingTally,
    Membership,
    Network,
    NetworkTally,
    ParticipantScore,
    PlatformTally,
    ScorePair,
)
from storage.scope import in_scope, operation_id
from storage.tallies.facts import COUNTS, counted_finding, pair_facts, participant_sums
from storage.upsert import insert_ignore_many

CHUNK = 500  # ids per IN (...) list


def chunks(ids: list[Any]) -> Iterable[list[Any]]:
    """`ids` in slices short enough for one IN (...) list."""
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def refresh_findings(ids: list[int], *, session: Session) -> set[int]:
    """Recompute the findings' pairs and site contributions; returns their networks."""
    networks: set[int] = set()
    participants: set[str] = set()
    for chunk in chunks(ids):
        rows = session.execute(_sql().networks_of, {"ids": chunk}).all()
        networks.update(n for _, n in rows if n)
        participants |= refresh_pairs(chunk, session=session)
        refresh_sites(chunk, session=session)
    if participants:
        refresh_participants(sorted(participants), session=session)
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
        insert_pairs=insert(pairs_table).from_select(
            [*_PAIR_COLUMNS, "operation_id"], sa_select(*facts.c, bindparam("op", type_=Integer))
        ),
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


def refresh_pairs(ids: list[int], *, session: Session) -> set[str]:
    """Replace the findings' score pairs; returns every participant whose pairs were or are there."""
    sql, bound = _sql(), {"ids": ids}
    participants = set(session.execute(sql.pairs_of, bound).scalars())
    session.execute(sql.delete_pairs, bound)
    session.execute(sql.insert_pairs, {**bound, "op": operation_id()})
    participants.update(session.execute(sql.pairs_of, bound).scalars())
    return participants


def refresh_participants(pids: list[str], *, session: Session) -> None:
    """Each participant's sums, recomputed from their score pairs."""
    for chunk in chunks(pids):
        insert_ignore_many(
            ParticipantScore,
            [{"participant_id": p} for p in chunk],
            ["operation_id", "participant_id"],
            session=session,
        )
        sums = {row.participant_id: row for row in session.execute(_sql().sums_of, {"pids": chunk})}
        zero, op_id = dict.fromkeys(COUNTS, 0), operation_id()
        values = [
            {"operation_id": op_id, "participant_id": p,
             **({n: getattr(sums[p], n) for n in COUNTS} if p in sums else zero),
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
    ).where(counted_finding())  # all reports withdrawn (/undo), or the page never opened: no figure
    return stmt if ids is None else stmt.where(col(Finding.id).in_(ids))


_SITE_COUNTS = ("findings", "suspects", "thb_urls", "social")


def refresh_sites(ids: list[int], *, session: Session) -> None:
    """Move each finding's contribution from what it last added to what it adds now."""
    sql, bound = _sql(), {"ids": ids}
    old = {
        row.finding_id: (row.platform, (1, row.suspect, row.thb_url, row.social))
        for row in session.execute(sql.old_sites, bound).scalars()
    }
    new = {
        fid: (platform, (1, s, t, so)) for fid, platform, s, t, so in session.execute(sql.new_sites, bound)
    }
    changed = [fid for fid in set(old) | set(new) if old.get(fid) != new.get(fid)]
    if not changed:
        return
    delta: dict[str, list[int]] = {}
    for fid in changed:
        for contribution, sign in ((old.get(fid), -1), (new.get(fid), 1)):
            if contribution is not None:
                totals = delta.setdefault(contribution[0], [0, 0, 0, 0])
                for i, n in enumerate(contribution[1]):
                    totals[i] += sign * n
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
    insert_ignore_many(
        PlatformTally, [{"platform": p} for p in sites], ["operation_id", "platform"], session=session
    )
    table = PlatformTally.__table__  # type: ignore[attr-defined]
    for site in sites:
        session.execute(
            update(table)
            .where(table.c.platform == site, in_scope(table))
            .values({name: table.c[name] + d for name, d in zip(_SITE_COUNTS, delta[site], strict=True)})
        )


def refresh_networks(ids: list[int], *, session: Session) -> None:
    """Each network's size and THB-suspect members, counted again (zeros once merged away)."""
    for chunk in chunks(ids):
        sizes = {nid: (int(n), int(s or 0)) for nid, n, s in session.execute(_sql().sizes_of, {"ids": chunk})}
        insert_ignore_many(NetworkTally, [{"network_id": n} for n in chunk], ["network_id"], session=session)
        values = [
            {"network_id": nid, "members": sizes.get(nid, (0, 0))[0], "suspects": sizes.get(nid, (0, 0))[1]}
            for nid in chunk
        ]
        session.execute(update(NetworkTally), values)


def rebuild_all(*, session: Session) -> None:
    """Every kept tally from the source tables."""
    for model in (ScorePair, ParticipantScore, FindingTally, PlatformTally, NetworkTally):
        session.execute(delete(model))
    facts = pair_facts().subquery()
    op = literal(operation_id(), Integer)
    session.execute(insert(ScorePair).from_select([*_PAIR_COLUMNS, "operation_id"], sa_select(*facts.c, op)))
    pids = set(session.execute(sa_select(col(Membership.participant_id))).scalars())
    pids |= set(session.execute(sa_select(col(ScorePair.participant_id)).distinct()).scalars())
    refresh_participants(sorted(pids), session=session)
    site_columns = ["finding_id", "platform", "suspect", "thb_url", "social"]
    site_facts = _site_facts(None).add_columns(op)
    session.execute(insert(FindingTally).from_select([*site_columns, "operation_id"], site_facts))
    sites = sa_select(
        col(FindingTally.platform),
        func.count(),
        func.sum(col(FindingTally.suspect)),
        func.sum(col(FindingTally.thb_url)),
        func.sum(col(FindingTally.social)),
        op,
    ).group_by(col(FindingTally.platform))
    session.execute(insert(PlatformTally).from_select(["platform", *_SITE_COUNTS, "operation_id"], sites))
    network_ids = list(session.execute(sa_select(col(Network.id)).order_by(col(Network.id))).scalars())
    refresh_networks(network_ids, session=session)
