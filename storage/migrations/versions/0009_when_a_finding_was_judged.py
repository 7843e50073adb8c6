"""when a finding was judged

Standings recomputed as of a past moment (a digest's "since the last digest") apply a
/confirm or /reject only if it was given by then. Existing judgements have no time: they count
as given.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 11:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("judged_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_column("judged_at")
