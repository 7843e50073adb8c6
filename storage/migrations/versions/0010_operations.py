"""operations: every row belongs to one action week

One default operation (id 1, code HUB) is created and every existing row moved into it, so a
store of one implicit week upgrades in place; `hub run` then describes it from ALLOWED_CHATS,
COORDINATORS, TIMEZONE and the digest times. Keys that were unique in the whole store become
unique per operation (one finding per canonical URL per operation, a board switch, a pinned
board, a chat's digest times, points per participant and site). Participants get a membership
of the default operation under their display name, normalised and made unique (case-folded)
by a database index. The kept tallies are computed here (0007 left them to this revision).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 21:00:00
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# Tables whose rows gain an operation, with the keys that become per operation.
SCOPED = (
    "alerts",
    "audit_log",
    "digest_runs",
    "finding_enrichments",
    "finding_identifiers",
    "finding_indicators",
    "finding_links",
    "finding_tallies",
    "findings",
    "network_tallies",
    "networks",
    "platform_checks",
    "reports",
    "score_pairs",
    "submission_identifiers",
    "submissions",
    "tags",
    "text_bands",
    "text_shingles",
)
KEYED = {  # table: its primary key from now on
    "board_state": ("operation_id", "key"),
    "chat_digest_settings": ("operation_id", "chat_id"),
    "finding_aliases": ("operation_id", "canonical_url"),
    "frozen_scores": ("operation_id", "participant_id"),
    "participant_scores": ("operation_id", "participant_id"),
    "pinned_boards": ("operation_id", "chat_id"),
    "platform_tallies": ("operation_id", "platform"),
}
# table: (unique constraint, its columns before, after)
UNIQUES = {
    "findings": ("uq_finding_url", ("canonical_url",), ("operation_id", "canonical_url")),
    "platform_checks": (
        "uq_check_per_participant",
        ("platform", "participant_id"),
        ("operation_id", "platform", "participant_id"),
    ),
    "digest_runs": (
        "uq_digest_once",
        ("chat_id", "slot", "local_date"),
        ("operation_id", "chat_id", "slot", "local_date"),
    ),
}
_PG_OLD_UNIQUE = {"findings": "findings_canonical_url_key"}
NAME_LENGTH = 40


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    _create_tables()
    now = datetime.now(UTC)
    operations = sa.table(
        "operations",
        sa.column("id", sa.Integer),
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("timezone", sa.String),
        sa.column("morning", sa.String),
        sa.column("evening", sa.String),
        sa.column("matching_allowed", sa.Boolean),
        sa.column("created_at", sqlmodel.sql.sqltypes.UTCDateTime),
    )
    op.bulk_insert(
        operations,
        [
            {
                "id": 1,
                "code": "HUB",
                "name": "Action week",
                "timezone": "Europe/Amsterdam",
                "morning": "08:00",
                "evening": "19:00",
                "matching_allowed": True,
                "created_at": now,
            }
        ],
    )
    if not sqlite:  # the next operation created gets id 2
        op.execute("SELECT setval(pg_get_serial_sequence('operations', 'id'), 1)")
    op.execute("INSERT INTO operation_chats (operation_id, chat_id) SELECT 1, id FROM chats WHERE allowed")
    for table in (*SCOPED, *KEYED):
        _add_operation_column(table, sqlite=sqlite)
    for table, key in KEYED.items():
        if sqlite:
            _rebuild_sqlite(table, primary_key=key)
        else:
            op.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{table}_pkey"')
            op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY ({', '.join(key)})")
    for table, (name, before, after) in UNIQUES.items():
        if sqlite:
            _rebuild_sqlite(table, uniques={tuple(before): (name, after)})
        else:
            op.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{_PG_OLD_UNIQUE.get(table, name)}"')
            op.create_unique_constraint(name, table, list(after))
    _memberships()
    _fill_tallies()


def _create_tables() -> None:
    op.create_table(
        "operations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("starts_on", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("ends_on", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("morning", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("evening", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("matching_allowed", sa.Boolean(), nullable=False),
        sa.Column("retention_until", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("purged_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "operation_chats",
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.ForeignKeyConstraint(["operation_id"], ["operations.id"]),
        sa.PrimaryKeyConstraint("operation_id", "chat_id"),
    )
    op.create_index("ix_operation_chats_chat_id", "operation_chats", ["chat_id"])
    op.create_table(
        "operation_coordinators",
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.ForeignKeyConstraint(["operation_id"], ["operations.id"]),
        sa.PrimaryKeyConstraint("operation_id", "participant_id"),
    )
    op.create_table(
        "memberships",
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("name_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("joined_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["operation_id"], ["operations.id"]),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"]),
        sa.PrimaryKeyConstraint("operation_id", "participant_id"),
        sa.UniqueConstraint("operation_id", "name_key", name="uq_member_name"),
    )


def _add_operation_column(table: str, *, sqlite: bool) -> None:
    """Every existing row joins the default operation. SQLite adds the column in place (a
    REFERENCES column with a default needs foreign keys off, as env.py has them here)."""
    op.execute(
        f"ALTER TABLE {table} ADD COLUMN operation_id INTEGER NOT NULL DEFAULT 1 REFERENCES operations (id)"
    )
    if not sqlite:  # from now on every insert names its operation
        op.execute(f"ALTER TABLE {table} ALTER COLUMN operation_id DROP DEFAULT")
    if table not in KEYED:
        op.create_index(f"ix_{table}_operation_id", table, ["operation_id"])


def _rebuild_sqlite(
    table: str,
    *,
    primary_key: Sequence[str] | None = None,
    uniques: dict[tuple[str, ...], tuple[str | None, Sequence[str]]] | None = None,
) -> None:
    """Recreate a SQLite table with a new primary key or unique constraint, rows, foreign keys
    and indexes kept (what ALTER TABLE cannot change in SQLite)."""
    bind = op.get_bind()
    old = sa.Table(table, sa.MetaData(), autoload_with=bind)
    meta = sa.MetaData()
    key = tuple(primary_key or (c.name for c in old.primary_key.columns))
    columns = [
        sa.Column(
            c.name,
            c.type,
            nullable=c.nullable,
            primary_key=c.name in key,
            server_default=c.server_default.arg if c.server_default is not None else None,  # type: ignore[attr-defined]
        )
        for c in old.columns
    ]
    constraints: list[sa.Constraint] = []
    for fk in old.foreign_key_constraints:
        sa.Table(fk.referred_table.name, meta, autoload_with=bind)  # what the new table points at
        constraints.append(
            sa.ForeignKeyConstraint(
                [c.name for c in fk.columns], [e.target_fullname for e in fk.elements], name=fk.name
            )
        )
    for unique in old.constraints:
        if not isinstance(unique, sa.UniqueConstraint):
            continue
        names = tuple(c.name for c in unique.columns)
        if uniques and names in uniques:
            continue
        constraints.append(sa.UniqueConstraint(*names, name=unique.name))
    for name, cols in (uniques or {}).values():
        constraints.append(sa.UniqueConstraint(*cols, name=name))
    new = sa.Table(f"{table}__new", meta, *columns, *constraints)
    new.create(bind)
    names = ", ".join(f'"{c.name}"' for c in old.columns)
    op.execute(f"INSERT INTO {table}__new ({names}) SELECT {names} FROM {table}")
    indexes = [(i.name, [c.name for c in i.columns], i.unique) for i in old.indexes]
    op.execute(f"DROP TABLE {table}")
    op.execute(f"ALTER TABLE {table}__new RENAME TO {table}")
    for name, cols, unique in indexes:
        op.create_index(name, table, cols, unique=bool(unique))


def _normalised(raw: str) -> str:
    """A display name as the hub makes them (commands/names.py): single-line, no control,
    format or unassigned characters, no leading mention sign, at most 40 characters."""
    chars = []
    for char in unicodedata.normalize("NFKC", raw):
        category = unicodedata.category(char)
        if char in "\t\n\r\v\f" or category in {"Zs", "Zl", "Zp"}:
            chars.append(" ")
        elif category not in {"Cc", "Cf", "Cs", "Co", "Cn"}:
            chars.append(char)
    text = " ".join("".join(chars).split())
    text = re.sub(r"(?<![\w.+-])@+(?=\w)", "", text).lstrip("@ ").strip()
    return text[:NAME_LENGTH].rstrip()


def _memberships() -> None:
    """Every participant a member of the default operation; names normalised, unique per case."""
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, name FROM participants ORDER BY joined_at, id")).all()
    used: set[str] = set()
    for pid, raw in rows:
        base = _normalised(raw or "") or str(pid)
        name, n = base, 2
        while name.casefold() in used:
            name, n = f"{base} {n}", n + 1
        used.add(name.casefold())
        values = {"name": name, "key": name.casefold(), "id": pid}
        if name != raw:
            bind.execute(sa.text("UPDATE participants SET name = :name WHERE id = :id"), values)
        bind.execute(
            sa.text(
                "INSERT INTO memberships (operation_id, participant_id, name, name_key, joined_at) "
                "SELECT 1, id, :name, :key, joined_at FROM participants WHERE id = :id"
            ),
            values,
        )


def _fill_tallies() -> None:
    """The kept tallies from the rows stored (the code the hub keeps them with); a board that
    froze before scores were kept gets its standings as of the freeze."""
    from sqlmodel import Session, select

    from storage import boards
    from storage.models import FrozenScore
    from storage.tallies import live as live_tallies

    with Session(bind=op.get_bind()) as session:
        live_tallies.rebuild(session=session)
        frozen = boards.get_state(boards.FROZEN, session=session)
        if frozen is not None and frozen.value and session.exec(select(FrozenScore)).first() is None:
            live_tallies.freeze(session=session, as_of=datetime.fromisoformat(frozen.value))
        session.flush()


def downgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if bind.execute(sa.text("SELECT count(*) FROM operations WHERE id <> 1")).scalar():
        raise RuntimeError("downgrading below 0010 keeps one operation only: purge the others first")
    for table, (name, before, after) in UNIQUES.items():
        if sqlite:
            _rebuild_sqlite(
                table, uniques={tuple(after): (None if table in _PG_OLD_UNIQUE else name, before)}
            )
        else:
            op.drop_constraint(name, table, type_="unique")
            op.create_unique_constraint(_PG_OLD_UNIQUE.get(table, name), table, list(before))
    for table, key in KEYED.items():
        if sqlite:
            _rebuild_sqlite(table, primary_key=key[1:])
        else:
            op.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{table}_pkey"')
            op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY ({', '.join(key[1:])})")
    for table in (*SCOPED, *KEYED):
        if table not in KEYED:
            op.drop_index(f"ix_{table}_operation_id", table)
        if sqlite:
            _rebuild_sqlite_without_operation(table)
        else:
            op.execute(f"ALTER TABLE {table} DROP COLUMN operation_id")
    for table in ("memberships", "operation_coordinators", "operation_chats"):
        op.drop_table(table)
    op.drop_table("operations")


def _rebuild_sqlite_without_operation(table: str) -> None:
    """SQLite cannot drop a column that references another table: the table is recreated."""
    with op.batch_alter_table(table, recreate="always") as batch_op:
        batch_op.drop_column("operation_id")
