"""Tallies the store keeps as findings change, so /leaderboard and /counts read a few rows.

Derived rows only: every one of them can be recomputed from the investigation's tables
(`storage/live_tallies.py`, `hub db rebuild-tallies`). Kept up to date in the transaction that
changes their inputs.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.models.base import InOperation, operation_key


class ScorePair(InOperation, table=True):
    """What one participant earns from one finding now (flags; the weights are in commands/scoring.py).

    `owned`: the participant owns the finding (first live report); `scoring`: not rejected;
    `suspect`, `confirmed`, `linked`: the owner's bonuses that apply. `ts`: the participant's
    first live report of the finding.
    """

    __tablename__ = "score_pairs"

    finding_id: int = Field(primary_key=True)
    participant_id: str = Field(primary_key=True, max_length=128, index=True)
    ts: datetime
    owned: int
    scoring: int
    suspect: int
    confirmed: int
    linked: int


class ScoreCounts(SQLModel):
    """A participant's sums over their score pairs; points = these counts × the weights."""

    participant_id: str = Field(primary_key=True, max_length=128)
    findings: int = 0  # findings owned (rejected ones included)
    corroborations: int = 0  # others' findings reported (rejected ones included)
    owned_scoring: int = 0
    corroborating: int = 0  # corroborations of findings not rejected
    suspect: int = 0
    confirmed: int = 0
    linked: int = 0
    reached_at: datetime | None = None  # the last scoring pair's ts: earlier wins ties


class ParticipantScore(ScoreCounts, InOperation, table=True):
    """Each participant's live totals."""

    __tablename__ = "participant_scores"

    operation_id: int = operation_key()


class FrozenScore(ScoreCounts, InOperation, table=True):
    """The participants' totals at /freeze, shown to participants until /unfreeze."""

    __tablename__ = "frozen_scores"

    operation_id: int = operation_key()


class FindingTally(InOperation, table=True):
    """What a finding last added to its platform's tally (so a change moves exactly that)."""

    __tablename__ = "finding_tallies"

    finding_id: int = Field(primary_key=True)
    platform: str = Field(max_length=255)
    suspect: int
    thb_url: int
    social: int


class PlatformTally(InOperation, table=True):
    """Per site: findings, THB-suspect ones, THB URLs and social profiles (the /counts figures)."""

    __tablename__ = "platform_tallies"

    operation_id: int = operation_key()

    platform: str = Field(primary_key=True, max_length=255)
    findings: int = 0
    suspects: int = 0
    thb_urls: int = 0
    social: int = 0


class NetworkTally(InOperation, table=True):
    """A network's size and THB-suspect members (merged networks keep a row of zeros)."""

    __tablename__ = "network_tallies"

    network_id: int = Field(primary_key=True)
    members: int = 0
    suspects: int = 0
