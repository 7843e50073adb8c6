"""Networks: findings joined by shared identifiers or copied ad text."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import Finding


def count_networks(*, session: Session) -> int:
    """Networks with at least two findings."""
    sizes = (
        select(Finding.network_id)
        .where(col(Finding.network_id).is_not(None))
        .group_by(col(Finding.network_id))
        .having(func.count() >= 2)
        .subquery()
    )
    return int(session.exec(select(func.count()).select_from(sizes)).one())
