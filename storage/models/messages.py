"""Every incoming message, stored before any processing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field

from storage.models.base import InOperation


class Submission(InOperation, table=True):
    """Every incoming message, stored before any processing."""

    __tablename__ = "submissions"

    id: int | None = Field(default=None, primary_key=True)
    message_key: str = Field(max_length=200, unique=True)
    platform: str = Field(max_length=32)
    chat_id: str = Field(max_length=128, index=True)
    participant_id: str = Field(max_length=128, index=True)
    ts: datetime = Field(index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="received", max_length=16, index=True)  # received|done|failed
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    claimed_by: str | None = Field(default=None, max_length=64)  # worker holding it (several workers)
    claimed_at: datetime | None = None
    error: str | None = Field(default=None, max_length=500)
    reply: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    received_at: datetime
    processed_at: datetime | None = None
