"""The column every table of an operation carries (storage/scope.py limits statements by it)."""

from __future__ import annotations

from sqlmodel import Field, SQLModel

from storage.scope import OperationRow, operation_id


class InOperation(SQLModel, OperationRow):
    """A row that belongs to exactly one operation (action week)."""

    operation_id: int = Field(
        default_factory=operation_id,
        foreign_key="operations.id",
        index=True,
        nullable=False,
        sa_column_kwargs={"default": operation_id},
    )


def operation_key() -> int:
    """`operation_id` as the first part of a table's primary key (a key unique per operation)."""
    return Field(  # type: ignore[no-any-return]
        default_factory=operation_id,
        primary_key=True,
        foreign_key="operations.id",
        sa_column_kwargs={"default": operation_id},
    )
