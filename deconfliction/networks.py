"""Networks: findings joined by shared identifiers or copied ad text, kept incrementally.

Union–find in the database: a finding's `network_id` names its network; when a new link joins
two networks, the older one survives (so an id people have seen stays valid) and the other is
marked merged into it (`networks.merged_into`), so `/network N7` still finds what N7 became.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import text, update
from sqlmodel import Session, col, select

from storage.models import Finding, Network
from storage.tallies import live as live_tallies

_PG_JOIN_LOCK = 0x48554E4A  # "HUNJ": held from a transaction's first join to its end


def join(finding_ids: Sequence[int], *, at: datetime, session: Session) -> int:
    """Put the findings in one network; returns its id (the oldest existing one survives)."""
    # PostgreSQL: joins take turns (one transaction-scoped lock), and the findings are read again
    # after it: a join that committed meanwhile may have put one of them in another network,
    # which must then merge here too. SQLite has one writer at a time.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_JOIN_LOCK})
    rows = session.exec(
        select(Finding).where(col(Finding.id).in_(finding_ids)).execution_options(populate_existing=True)
    ).all()
    existing = sorted({f.network_id for f in rows if f.network_id is not None})
    if existing:
        survivor = existing[0]
    else:
        network = Network(created_at=at)
        session.add(network)
        session.flush()
        assert network.id is not None
        survivor = network.id
    absorbed = existing[1:]
    if absorbed:
        session.execute(
            update(Network).where(col(Network.id).in_(absorbed)).values(merged_into=survivor, merged_at=at)
        )
        session.execute(
            update(Network).where(col(Network.merged_into).in_(absorbed)).values(merged_into=survivor)
        )
        session.execute(
            update(Finding).where(col(Finding.network_id).in_(absorbed)).values(network_id=survivor)
        )
    session.execute(update(Finding).where(col(Finding.id).in_(finding_ids)).values(network_id=survivor))
    session.flush()
    live_tallies.touch(session, networks=[survivor, *absorbed])
    return survivor
