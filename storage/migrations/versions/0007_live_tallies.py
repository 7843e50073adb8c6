"""live tallies: points per participant and finding, site totals, network sizes

/leaderboard and /counts read these instead of aggregating every report (storage/live_tallies.py);
a frozen board keeps its own copy of the scores. Filled from the existing rows on upgrade.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 10:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_SCORE_COLUMNS = (
    "findings",
    "corroborations",
    "owned_scoring",
    "corroborating",
    "suspect",
    "confirmed",
    "linked",
)


def _scores(name: str) -> None:
    op.create_table(
        name,
        sa.Column("participant_id", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        *(sa.Column(column, sa.Integer(), nullable=False) for column in _SCORE_COLUMNS),
        sa.Column("reached_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("participant_id"),
    )


def upgrade() -> None:
    op.create_table(
        "score_pairs",
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("ts", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        *(
            sa.Column(column, sa.Integer(), nullable=False)
            for column in ("owned", "scoring", "suspect", "confirmed", "linked")
        ),
        sa.PrimaryKeyConstraint("finding_id", "participant_id"),
    )
    with op.batch_alter_table("score_pairs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_score_pairs_participant_id"), ["participant_id"], unique=False)
    _scores("participant_scores")
    _scores("frozen_scores")
    op.create_table(
        "finding_tallies",
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        *(sa.Column(column, sa.Integer(), nullable=False) for column in ("suspect", "thb_url", "social")),
        sa.PrimaryKeyConstraint("finding_id"),
    )
    op.create_table(
        "platform_tallies",
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        *(
            sa.Column(column, sa.Integer(), nullable=False)
            for column in ("findings", "suspects", "thb_urls", "social")
        ),
        sa.PrimaryKeyConstraint("platform"),
    )
    op.create_table(
        "network_tallies",
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("suspects", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("network_id"),
    )
    _fill()


def _fill() -> None:
    """The tallies of the rows already stored are computed by 0010: the tally code of today reads
    the operation columns, which this revision has not got yet."""


def downgrade() -> None:
    for table in (
        "network_tallies",
        "platform_tallies",
        "finding_tallies",
        "frozen_scores",
        "participant_scores",
    ):
        op.drop_table(table)
    with op.batch_alter_table("score_pairs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_pairs_participant_id"))
    op.drop_table("score_pairs")
