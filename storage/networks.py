"""Networks in the store: their members, links, counts, and the near-duplicate text index.
How findings come to form and merge networks is deconfliction's (deconfliction/networks.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import case, distinct, func
from sqlmodel import Session, col, select

from storage.models import (
    Finding,
    FindingIdentifier,
    FindingLink,
    Identifier,
    Network,
    NetworkTally,
    TextBand,
    TextShingles,
)
from storage.tallies import live as live_tallies
from storage.upsert import insert_ignore, insert_ignore_many


def count_networks(*, session: Session, suspect_only: bool = True) -> int:
    """Networks with at least two findings (and, by default, at least one THB-suspect finding).

    Reads the sizes kept by storage/live_tallies.py (one row per network, not every finding).
    """
    live_tallies.settle(session)
    stmt = (
        select(func.count())
        .select_from(NetworkTally)
        .join(Network, col(Network.id) == col(NetworkTally.network_id))
        .where(col(Network.merged_into).is_(None), col(NetworkTally.members) >= 2)
    )
    if suspect_only:
        stmt = stmt.where(col(NetworkTally.suspects) >= 1)
    return int(session.exec(stmt).one())


def network_ids(*, session: Session, suspect_only: bool = True) -> list[int]:
    stmt = (
        select(Finding.network_id)
        .where(col(Finding.network_id).is_not(None))
        .group_by(col(Finding.network_id))
        .having(func.count() >= 2)
    )
    if suspect_only:
        stmt = stmt.having(func.sum(case((col(Finding.thb_suspect).is_(True), 1), else_=0)) >= 1)
    return sorted(n for n in session.exec(stmt) if n is not None)


def add_link(
    finding_a: int, finding_b: int, kind: str, value: str, *, at: datetime, session: Session
) -> bool:
    a, b = sorted((finding_a, finding_b))
    added = insert_ignore(
        FindingLink,
        {"finding_a": a, "finding_b": b, "kind": kind, "value": value[:255], "created_at": at},
        ["finding_a", "finding_b", "kind", "value"],
        session=session,
    )
    if added:
        live_tallies.touch(session, findings=[b])  # the later finding may earn a link bonus
    return added


def resolve(network_id: int, *, session: Session) -> int | None:
    """The live network an id refers to, following merges; None when it never existed."""
    current = session.get(Network, network_id)
    if current is None:
        return None
    return current.merged_into or current.id


def members(network_id: int, *, session: Session) -> list[Finding]:
    return list(
        session.exec(select(Finding).where(Finding.network_id == network_id).order_by(col(Finding.id)))
    )


def size_and_suspects(network_id: int, *, session: Session) -> tuple[int, int]:
    """How many findings a network holds, and how many of them are THB-suspect."""
    size, suspects = session.exec(
        select(func.count(), func.coalesce(func.sum(case((col(Finding.thb_suspect), 1), else_=0)), 0)).where(
            Finding.network_id == network_id
        )
    ).one()
    return int(size), int(suspects)


def links_within(finding_ids: Iterable[int], *, session: Session) -> list[FindingLink]:
    ids = list(finding_ids)
    stmt = (
        select(FindingLink)
        .where(col(FindingLink.finding_a).in_(ids), col(FindingLink.finding_b).in_(ids))
        .order_by(col(FindingLink.id))
    )
    return list(session.exec(stmt))


def other_findings_with(
    identifier_ids: Sequence[int], finding_id: int, *, session: Session
) -> dict[int, list[int]]:
    """identifier id → the other findings carrying it (ignored identifiers excluded)."""
    stmt = (
        select(FindingIdentifier.identifier_id, FindingIdentifier.finding_id)
        .join(Identifier, col(Identifier.id) == col(FindingIdentifier.identifier_id))
        .where(
            col(FindingIdentifier.identifier_id).in_(identifier_ids),
            FindingIdentifier.finding_id != finding_id,
            col(Identifier.ignored).is_(False),
        )
        .order_by(col(FindingIdentifier.finding_id))
    )
    out: dict[int, list[int]] = {}
    for ident, fid in session.exec(stmt):
        out.setdefault(ident, []).append(fid)
    return out


def sites_with(identifier_id: int, *, session: Session) -> int:
    stmt = (
        select(func.count(distinct(col(Finding.platform))))
        .join(FindingIdentifier, col(FindingIdentifier.finding_id) == col(Finding.id))
        .where(FindingIdentifier.identifier_id == identifier_id)
    )
    return int(session.exec(stmt).one())


def store_text_print(finding_id: int, shingles: bytes, bands: Sequence[str], *, session: Session) -> None:
    insert_ignore(
        TextShingles, {"finding_id": finding_id, "shingles": shingles}, ["finding_id"], session=session
    )
    insert_ignore_many(
        TextBand,
        [{"band_key": band, "finding_id": finding_id} for band in bands],
        ["band_key", "finding_id"],
        session=session,
    )


def text_candidates(bands: Sequence[str], finding_id: int, *, session: Session) -> list[tuple[int, bytes]]:
    """Findings sharing at least one band key, with their shingle hashes."""
    stmt = (
        select(TextShingles.finding_id, TextShingles.shingles)
        .where(
            col(TextShingles.finding_id).in_(
                select(TextBand.finding_id).where(col(TextBand.band_key).in_(list(bands)))
            ),
            TextShingles.finding_id != finding_id,
        )
        .order_by(col(TextShingles.finding_id))
    )
    return [(fid, bytes(sig)) for fid, sig in session.exec(stmt)]
