"""Operations (action weeks): their chats, coordinators and members.

An operation is a named action week with its own findings, points, boards and digests. Its chats
route messages to it (a chat belongs to at most one open operation); `matching_allowed` lets later
operations be told that a URL or identifier was reported in it; `retention_until` is the date its
data should be purged by (`hub operation purge`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.base import InOperation, operation_key


class Operation(SQLModel, table=True):
    """A named action week."""

    __tablename__ = "operations"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)  # "THB-2025"
    name: str = Field(max_length=200)
    starts_on: str | None = Field(default=None, max_length=10)  # YYYY-MM-DD, the operation's time zone
    ends_on: str | None = Field(default=None, max_length=10)
    timezone: str = Field(default="Europe/Amsterdam", max_length=64)
    morning: str = Field(default="08:00", max_length=5)  # digest times, HH:MM local
    evening: str = Field(default="18:00", max_length=5)
    matching_allowed: bool = Field(default=True)
    retention_until: str | None = Field(default=None, max_length=10)  # YYYY-MM-DD
    created_at: datetime
    closed_at: datetime | None = None
    purged_at: datetime | None = None


class OperationChat(SQLModel, table=True):
    """A chat (or forum topic, or Slack channel) whose messages belong to an operation."""

    __tablename__ = "operation_chats"

    operation_id: int = Field(primary_key=True, foreign_key="operations.id")
    chat_id: str = Field(primary_key=True, max_length=128, index=True)  # platform-qualified


class OperationCoordinator(SQLModel, table=True):
    """A participant who coordinates an operation."""

    __tablename__ = "operation_coordinators"

    operation_id: int = Field(primary_key=True, foreign_key="operations.id")
    participant_id: str = Field(primary_key=True, max_length=128)


class Membership(InOperation, table=True):
    """A participant's membership of an operation, under a display name unique within it.

    `name_key` is the name case-folded: the unique index lets exactly one of two people joining
    as "Anna" at the same moment have it, on SQLite and PostgreSQL alike.
    """

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("operation_id", "name_key", name="uq_member_name"),)

    operation_id: int = operation_key()
    participant_id: str = Field(primary_key=True, foreign_key="participants.id", max_length=128)
    name: str = Field(max_length=200)
    name_key: str = Field(max_length=200)
    joined_at: datetime
