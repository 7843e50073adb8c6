"""The hub's tables. Uniqueness that matters is a database constraint, not a Python check.

Times are time-zone aware and stored in UTC (SQLModel's UTCDateTime); naive ones are refused.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Participant(SQLModel, table=True):
    __tablename__ = "participants"

    id: str = Field(primary_key=True, max_length=128)  # platform-qualified: "tg:1001", "slack:U…"
    platform: str = Field(max_length=32)
    name: str = Field(max_length=200)
    country: str = Field(max_length=2)
    role: str = Field(default="participant", max_length=32)
    joined_at: datetime


class Chat(SQLModel, table=True):
    __tablename__ = "chats"

    id: str = Field(primary_key=True, max_length=128)  # platform-qualified: "telegram:-100…"
    platform: str = Field(max_length=32)
    title: str = Field(default="", max_length=200)
    allowed: bool = Field(default=False)


class Submission(SQLModel, table=True):
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


class Finding(SQLModel, table=True):
    """One per canonical URL: what a pasted link turned out to be."""

    __tablename__ = "findings"
    # Covering indexes for the live counts (/counts, digests): networks, THB URLs, platforms with
    # indications each read an index instead of 100k wide rows.
    __table_args__ = (
        Index("ix_findings_network_suspect", "network_id", "thb_suspect"),
        Index("ix_findings_suspect_platform", "thb_suspect", "platform"),
        Index("ix_findings_suspect_judgement", "thb_suspect", "judgement"),
    )

    id: int | None = Field(default=None, primary_key=True)
    canonical_url: str = Field(max_length=2048, unique=True)
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


class FindingAlias(SQLModel, table=True):
    """Other canonical spellings (short links, redirect sources) that lead to a finding."""

    __tablename__ = "finding_aliases"

    canonical_url: str = Field(primary_key=True, max_length=2048)
    finding_id: int = Field(foreign_key="findings.id", index=True)


class Report(SQLModel, table=True):
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


class Identifier(SQLModel, table=True):
    __tablename__ = "identifiers"
    __table_args__ = (UniqueConstraint("kind", "value", name="uq_identifier_kind_value"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    value: str = Field(max_length=255)
    ignored: bool = Field(default=False)  # coordinators' /ignore and warninglist


class FindingIdentifier(SQLModel, table=True):
    __tablename__ = "finding_identifiers"

    finding_id: int = Field(foreign_key="findings.id", primary_key=True)
    identifier_id: int = Field(foreign_key="identifiers.id", primary_key=True, index=True)
    source: str = Field(default="page", max_length=16)
    obscured: bool = Field(default=False)


class SubmissionIdentifier(SQLModel, table=True):
    """Identifiers typed in a chat message itself."""

    __tablename__ = "submission_identifiers"

    submission_id: int = Field(foreign_key="submissions.id", primary_key=True)
    identifier_id: int = Field(foreign_key="identifiers.id", primary_key=True, index=True)


class FindingIndicator(SQLModel, table=True):
    __tablename__ = "finding_indicators"

    finding_id: int = Field(foreign_key="findings.id", primary_key=True)
    code: str = Field(primary_key=True, max_length=32)
    weight: float = Field(default=0.0)
    evidence: str = Field(default="", max_length=300)
    source: str = Field(default="lexicon", max_length=16)


class Tag(SQLModel, table=True):
    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("finding_id", "tag", "participant_id", name="uq_tag_once"),)

    id: int | None = Field(default=None, primary_key=True)
    finding_id: int = Field(foreign_key="findings.id", index=True)
    tag: str = Field(max_length=64)
    participant_id: str = Field(max_length=128)
    note: str = Field(default="", max_length=500)
    at: datetime


class PlatformCheck(SQLModel, table=True):
    """`/checked <platform>`: a platform swept, with or without a hit."""

    __tablename__ = "platform_checks"
    __table_args__ = (UniqueConstraint("platform", "participant_id", name="uq_check_per_participant"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=255, index=True)
    participant_id: str = Field(max_length=128)
    nothing_found: bool = Field(default=False)
    at: datetime


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_at", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    actor: str = Field(max_length=128)
    action: str = Field(max_length=64)
    subject: str = Field(default="", max_length=255)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class Network(SQLModel, table=True):
    """A connected group of findings; the id is stable as it grows, merges are recorded."""

    __tablename__ = "networks"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime
    merged_into: int | None = Field(default=None, index=True)
    merged_at: datetime | None = None


class FindingLink(SQLModel, table=True):
    """Why two findings belong together: a shared identifier or copied ad text."""

    __tablename__ = "finding_links"
    __table_args__ = (UniqueConstraint("finding_a", "finding_b", "kind", "value", name="uq_link_once"),)

    id: int | None = Field(default=None, primary_key=True)
    finding_a: int = Field(foreign_key="findings.id", index=True)  # the earlier finding
    finding_b: int = Field(foreign_key="findings.id", index=True)  # the later finding
    kind: str = Field(max_length=16)  # phone | email | wallet | handle | text
    value: str = Field(max_length=255)  # the shared identifier, or the similarity for text
    created_at: datetime


class TextBand(SQLModel, table=True):
    """LSH band keys of a finding's ad text: findings sharing a key are near-duplicate candidates."""

    __tablename__ = "text_bands"

    band_key: str = Field(primary_key=True, max_length=24)
    finding_id: int = Field(primary_key=True, foreign_key="findings.id")


class TextShingles(SQLModel, table=True):
    """The hashed word shingles of a finding's ad text, for exact similarity of LSH candidates."""

    __tablename__ = "text_shingles"

    finding_id: int = Field(primary_key=True, foreign_key="findings.id")
    shingles: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class FindingEnrichment(SQLModel, table=True):
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
