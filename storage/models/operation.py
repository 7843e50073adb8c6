"""Tables that run the operation rather than record the investigation: the pinned leaderboard,
digest runs and times, coordinator alerts, operation-wide switches."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from storage.models.base import InOperation, operation_key


class BoardState(InOperation, table=True):
    """Operation-wide switches (e.g. the leaderboard freeze), one row per key."""

    __tablename__ = "board_state"

    operation_id: int = operation_key()

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(default="", max_length=500)
    updated_at: datetime
    updated_by: str = Field(default="", max_length=128)


class PinnedBoard(InOperation, table=True):
    """The live leaderboard message the bot keeps pinned and edits, per chat."""

    __tablename__ = "pinned_boards"

    operation_id: int = operation_key()

    chat_id: str = Field(primary_key=True, max_length=128)
    message_ref: str = Field(max_length=128)
    text_hash: str = Field(default="", max_length=64)
    updated_at: datetime


class DigestRun(InOperation, table=True):
    """One digest post per chat per slot per local day, whatever the number of workers or restarts."""

    __tablename__ = "digest_runs"
    __table_args__ = (
        UniqueConstraint("operation_id", "chat_id", "slot", "local_date", name="uq_digest_once"),
    )

    id: int | None = Field(default=None, primary_key=True)
    chat_id: str = Field(max_length=128)
    slot: str = Field(max_length=16)  # morning | evening
    local_date: str = Field(max_length=10)  # YYYY-MM-DD in the chat's time zone
    started_at: datetime
    posted_at: datetime | None = None
    status: str = Field(default="started", max_length=16)  # started | posted | failed | skipped


class ChatDigestSetting(InOperation, table=True):
    """Per-chat digest times and time zone (`/digest at 07:30 18:00 Europe/Bucharest`)."""

    __tablename__ = "chat_digest_settings"

    operation_id: int = operation_key()

    chat_id: str = Field(primary_key=True, max_length=128)
    timezone: str = Field(max_length=64)
    morning: str = Field(max_length=5)
    evening: str = Field(max_length=5)
    updated_at: datetime
    updated_by: str = Field(default="", max_length=128)


class Alert(InOperation, table=True):
    """Something coordinators must see: a CSAM stop, an over-correlated value, repeated fetch failures."""

    __tablename__ = "alerts"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    kind: str = Field(max_length=32)
    finding_id: int | None = Field(default=None, index=True)
    subject: str = Field(default="", max_length=255)
    detail: str = Field(default="", max_length=500)
    acknowledged_by: str | None = Field(default=None, max_length=128)
