"""Insert-if-absent that lets the database settle races (SQLite and PostgreSQL alike)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel


def insert_ignore(
    model: type[SQLModel],
    values: Mapping[str, Any],
    conflict: Sequence[str],
    *,
    session: Session,
) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when this call inserted the row."""
    table = model.__table__  # type: ignore[attr-defined]
    dialect = session.get_bind().dialect.name
    stmt: Any
    if dialect == "postgresql":
        stmt = postgresql.insert(table).values(**values).on_conflict_do_nothing(index_elements=list(conflict))
    elif dialect == "sqlite":
        stmt = sqlite.insert(table).values(**values).on_conflict_do_nothing(index_elements=list(conflict))
    else:  # pragma: no cover - only the two supported back ends
        raise RuntimeError(f"unsupported database dialect: {dialect}")
    # rowcount is not reliable for ON CONFLICT with every driver; a returned row is.
    result = session.execute(stmt.returning(*table.primary_key.columns))
    return result.first() is not None


def insert_ignore_many(
    model: type[SQLModel], rows: Sequence[Mapping[str, Any]], conflict: Sequence[str], *, session: Session
) -> None:
    """One multi-row INSERT … ON CONFLICT DO NOTHING (band keys: 40 rows per finding)."""
    if not rows:
        return
    table = model.__table__  # type: ignore[attr-defined]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(table).values(list(rows)).on_conflict_do_nothing(index_elements=list(conflict)))
