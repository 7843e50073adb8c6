"""Which operation (action week) the store is working for: every row belongs to exactly one.

The dispatcher, the digest scheduler, exports and the `hub` CLI enter `operation_scope(id)`
before they open sessions. Inside it, every ORM statement on a table of an operation
(`storage.models.InOperation`) is limited to that operation's rows — reads, updates and
deletes alike, subqueries and joins included — and every row inserted without an
`operation_id` gets the scope's. Outside any scope nothing is filtered (migrations, `hub
operation purge`, cross-operation memory) and an insert goes to the default operation, so a
single-operation hub and its tools work unchanged.

`install()` adds the statement hook; `storage.engine.make_engine` calls it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import ColumnElement, Integer, column, event, true
from sqlalchemy.orm import ORMExecuteState, with_loader_criteria
from sqlalchemy.orm import Session as OrmSession

DEFAULT_OPERATION = 1  # created by migration 0010 from the settings of the day

_current: ContextVar[int | None] = ContextVar("hub_operation", default=None)


def current() -> int | None:
    """The operation in scope, or None outside any scope."""
    return _current.get()


def operation_id() -> int:
    """The operation in scope, else the default one (the column default of every operation row)."""
    found = _current.get()
    return DEFAULT_OPERATION if found is None else found


@contextmanager
def operation_scope(op_id: int | None) -> Iterator[None]:
    """Work for operation `op_id` (None: unscoped) until the block ends."""
    token = _current.set(op_id)
    try:
        yield
    finally:
        _current.reset(token)


class OperationRow:
    """Marks the mapped classes whose rows belong to an operation (storage.models.InOperation)."""


# Stands in for the mapped column while SQLAlchemy analyses the criteria on the marker class.
_STAND_IN = column("operation_id", Integer)


def in_scope(table: Any) -> ColumnElement[bool]:
    """For Core statements on a table (which the ORM hook does not see): its rows of the
    operation in scope (everything outside a scope)."""
    op_id = _current.get()
    return true() if op_id is None else table.c.operation_id == op_id


def _limit(state: ORMExecuteState) -> None:
    """do_orm_execute: limit a statement to the operation in scope."""
    op_id = _current.get()
    if op_id is None or state.is_column_load or state.is_relationship_load:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            OperationRow, lambda cls: getattr(cls, "operation_id", _STAND_IN) == op_id, include_aliases=True
        )
    )


def install() -> None:
    """Limit every ORM session's statements to the operation in scope (idempotent)."""
    if not event.contains(OrmSession, "do_orm_execute", _limit):
        event.listen(OrmSession, "do_orm_execute", _limit)
