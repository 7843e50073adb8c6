"""Alembic environment: the engine is handed in by storage.engine, never read from a file."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

# Tables other libraries own in the same database (APScheduler's job store) are not ours to migrate.
FOREIGN_TABLES = {"apscheduler_jobs"}


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    return not (type_ == "table" and name in FOREIGN_TABLES)


engine = context.config.attributes["engine"]
with engine.connect() as connection:
    # SQLite checks foreign keys only while migrating is not rebuilding a table others point at
    # (a pragma that takes effect outside a transaction only).
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    try:
        with connection.begin():
            context.configure(
                connection=connection,
                target_metadata=SQLModel.metadata,
                render_as_batch=sqlite,
                compare_type=True,
                include_object=include_object,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
