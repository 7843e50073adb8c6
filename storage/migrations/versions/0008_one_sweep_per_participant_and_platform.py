"""one sweep record per participant and platform

`/checked` kept one row per participant and platform by looking first, so two simultaneous
sweeps could write two. The database now refuses the second; duplicates already stored are
folded into the latest one.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 10:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        sa.text(
            "DELETE FROM platform_checks WHERE id NOT IN "
            "(SELECT max(id) FROM platform_checks GROUP BY platform, participant_id)"
        )
    )
    with op.batch_alter_table("platform_checks", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_check_per_participant", ["platform", "participant_id"])


def downgrade() -> None:
    with op.batch_alter_table("platform_checks", schema=None) as batch_op:
        batch_op.drop_constraint("uq_check_per_participant", type_="unique")
