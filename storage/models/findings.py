"""Findings (one per canonical URL), their reports, indicators, tags, and platform sweeps."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field

from storage.models.base import InOperation, operation_key


class Finding(InOperation, table=True):
    """One per canonical URL: what a pasted link turned out to be."""

    __tablename__ = "findings"
    # Covering indexes for the live counts (/counts, digests): networks, THB URLs, platforms with
    # indications each read an index instead of 100k wide rows.
    __table_args__ = (
        Index("ix_findings_network_suspect", "network_id", "thb_suspect"),
        Index("ix_findings_suspect_platform", "thb_suspect", "platform"),
        Index("ix_findings_suspect_judgement", "thb_suspect", "judgement"),
        UniqueConstraint("operation_id", "canonical_url", name="uq_finding_url"),  # one per URL and week
    )

    id: int | None = Field(default=None, primary_key=True)
    canonical_url: str = Field(max_length=2048)
    url: str = Field(sa_column=Column(Text, nullable=False))  # first submitted form, refanged
    platform: str = Field(max_length=255, index=True)
    platform_kind: str = Field(default="other", max_length=32, index=True)
    reporter_id: str = Field(max_length=128, index=True)  # the first report's participant
    reported_at: datetime = Field(index=True)
    created_at: datetime
    fetch_outcome: str = Field(default="pending", max_length=32)
    fetch_status: int | None = None
    final_url: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    content_type: str | None = Field(default=None, max_length=200)
    sha256: str | None = Field(default=None, max_length=64)
    fetched_at: datetime | None = None
    fetch_error: str | None = Field(default=None, max_length=500)
    title: str | None = Field(default=None, max_length=500)
    language: str | None = Field(default=None, max_length=8)
    city: str | None = Field(default=None, max_length=64)  # the city the ad is placed for
    thb_score: float = Field(default=0.0)
    thb_suspect: bool = Field(default=False, index=True)
    suppressed: str | None = Field(default=None, max_length=64)  # CSAM policy: reason, content dropped
    refusal: str | None = Field(default=None, max_length=300)
    network_id: int | None = Field(default=None, index=True)
    judgement: str | None = Field(default=None, max_length=16)  # confirmed | rejected
    judged_at: datetime | None = None  # message time of the latest /confirm or /reject


class FindingAlias(InOperation, table=True):
    """Other canonical spellings (short links, redirect sources) that lead to a finding."""

    __tablename__ = "finding_aliases"

    operation_id: int = operation_key()

    canonical_url: str = Field(primary_key=True, max_length=2048)
    finding_id: int = Field(foreign_key="findings.id", index=True)


class Report(InOperation, table=True):
    """Every report of a finding: the first one, or a duplicate (corroboration)."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("finding_id", "submission_id", name="uq_report_per_message"),
        # Covers the standings' per-participant-and-finding grouping of live reports.
        Index("ix_reports_live_pair", "participant_id", "finding_id", "retracted", "ts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    finding_id: int = Field(foreign_key="findings.id", index=True)
    submission_id: int = Field(foreign_key="submissions.id", index=True)
    participant_id: str = Field(foreign_key="participants.id", max_length=128, index=True)
    ts: datetime
    url: str = Field(sa_column=Column(Text, nullable=False))
    retracted: bool = Field(default=False)


class FindingIndicator(InOperation, table=True):
    __tablename__ = "finding_indicators"

    finding_id: int = Field(foreign_key="findings.id", primary_key=True)
    code: str = Field(primary_key=True, max_length=32)
    weight: float = Field(default=0.0)
    evidence: str = Field(default="", max_length=300)
    source: str = Field(default="lexicon", max_length=16)


class Tag(InOperation, table=True):
    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("finding_id", "tag", "participant_id", name="uq_tag_once"),)

    id: int | None = Field(default=None, primary_key=True)
    finding_id: int = Field(foreign_key="findings.id", index=True)
    tag: str = Field(max_length=64)
    participant_id: str = Field(max_length=128)
    note: str = Field(default="", max_length=500)
    at: datetime


class PlatformCheck(InOperation, table=True):
    """`/checked <platform>`: a platform swept, with or without a hit."""

    __tablename__ = "platform_checks"
    __table_args__ = (
        UniqueConstraint("operation_id", "platform", "participant_id", name="uq_check_per_participant"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=255, index=True)
    participant_id: str = Field(max_length=128)
    nothing_found: bool = Field(default=False)
    at: datetime
