"""The audit log: every change a person made, who and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field

from storage.models.base import InOperation


class AuditEntry(InOperation, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_at", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    actor: str = Field(max_length=128)
    action: str = Field(max_length=64)
    subject: str = Field(default="", max_length=255)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
