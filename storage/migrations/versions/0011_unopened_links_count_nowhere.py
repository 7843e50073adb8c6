"""unopened links count nowhere

A link whose page could not be opened (refused, an HTTP error, a timeout, too large, not HTML,
stopped under the CSAM policy) no longer earns points or counts in an outcome figure unless a
coordinator confirms it by hand (#20). No column changes: the kept tallies are recomputed under
the new rule, so an existing store shows the corrected figures at once.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 21:50:00
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _recount()


def downgrade() -> None:
    """No schema change to undo; `hub db rebuild-tallies` with the older code recounts by its rule."""


def _recount() -> None:
    from sqlmodel import Session

    from storage import operations
    from storage.scope import operation_scope
    from storage.tallies import live as live_tallies

    bind = op.get_bind()
    with Session(bind=bind) as session:
        every = [operation.id for operation in operations.all_operations(session=session)]
    for operation_id in every:  # each operation's tallies from its own rows
        with operation_scope(operation_id), Session(bind=bind) as session:
            live_tallies.rebuild(session=session)
            session.flush()
