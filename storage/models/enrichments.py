"""The optional LLM's second opinion on a finding."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field

from storage.models.base import InOperation


class FindingEnrichment(InOperation, table=True):
    """What the optional LLM said about a finding, with the model and prompt version that said it."""

    __tablename__ = "finding_enrichments"

    finding_id: int = Field(primary_key=True, foreign_key="findings.id")
    status: str = Field(default="pending", max_length=16)  # pending | done | failed | timeout | skipped
    model: str = Field(default="", max_length=128)
    prompt_version: str = Field(default="", max_length=32)
    language: str | None = Field(default=None, max_length=8)
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    translation: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    platform_kind_guess: str | None = Field(default=None, max_length=32)
    confidence: float | None = None
    error: str | None = Field(default=None, max_length=500)
    created_at: datetime
