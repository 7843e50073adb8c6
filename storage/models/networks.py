"""Networks of findings, the links that make them, and the near-duplicate text index."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlmodel import Field

from storage.models.base import InOperation


class Network(InOperation, table=True):
    """A connected group of findings; the id is stable as it grows, merges are recorded."""

    __tablename__ = "networks"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime
    merged_into: int | None = Field(default=None, index=True)
    merged_at: datetime | None = None


class FindingLink(InOperation, table=True):
    """Why two findings belong together: a shared identifier or copied ad text."""

    __tablename__ = "finding_links"
    __table_args__ = (UniqueConstraint("finding_a", "finding_b", "kind", "value", name="uq_link_once"),)

    id: int | None = Field(default=None, primary_key=True)
    finding_a: int = Field(foreign_key="findings.id", index=True)  # the earlier finding
    finding_b: int = Field(foreign_key="findings.id", index=True)  # the later finding
    kind: str = Field(max_length=16)  # phone | email | wallet | handle | text
    value: str = Field(max_length=255)  # the shared identifier, or the similarity for text
    created_at: datetime


class TextBand(InOperation, table=True):
    """LSH band keys of a finding's ad text: findings sharing a key are near-duplicate candidates."""

    __tablename__ = "text_bands"

    band_key: str = Field(primary_key=True, max_length=24)
    finding_id: int = Field(primary_key=True, foreign_key="findings.id")


class TextShingles(InOperation, table=True):
    """The hashed word shingles of a finding's ad text, for exact similarity of LSH candidates."""

    __tablename__ = "text_shingles"

    finding_id: int = Field(primary_key=True, foreign_key="findings.id")
    shingles: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
