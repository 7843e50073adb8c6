"""Identifiers (one per kind and value) and where they were seen: findings and messages."""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.base import InOperation


class Identifier(SQLModel, table=True):
    __tablename__ = "identifiers"
    __table_args__ = (UniqueConstraint("kind", "value", name="uq_identifier_kind_value"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    value: str = Field(max_length=255)
    ignored: bool = Field(default=False)  # coordinators' /ignore and warninglist


class FindingIdentifier(InOperation, table=True):
    __tablename__ = "finding_identifiers"

    finding_id: int = Field(foreign_key="findings.id", primary_key=True)
    identifier_id: int = Field(foreign_key="identifiers.id", primary_key=True, index=True)
    source: str = Field(default="page", max_length=16)
    obscured: bool = Field(default=False)


class SubmissionIdentifier(InOperation, table=True):
    """Identifiers typed in a chat message itself."""

    __tablename__ = "submission_identifiers"

    submission_id: int = Field(foreign_key="submissions.id", primary_key=True)
    identifier_id: int = Field(foreign_key="identifiers.id", primary_key=True, index=True)
