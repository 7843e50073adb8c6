"""A synthetic action-week store of N findings, bulk-loaded (seeded, realistic identifier reuse).

Realism that matters for lookups: 40 % of findings sit in groups of 2–12 that share a controller
phone (and often a handle) and a copied ad template; the rest are loners with their own phone;
a fifth of the findings were reported twice; every ad text has its real shingles and LSH bands.
Rows go in through the driver's bulk path (executemany on SQLite, COPY on PostgreSQL), because
pushing 100k findings through the full pipeline would take an hour.

`python -m bench.synthetic --db URL --size N` loads a migrated database from its own process, so
the generator's memory never counts against the process that measures the bot (bench.store_scale).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, text

from bench.synthetic_rows import rows as synthetic_rows

COLUMNS = {
    "participants": "id, platform, name, country, role, joined_at",
    "submissions": "id, message_key, platform, chat_id, participant_id, ts, text, status, attempts, "
    "received_at, processed_at",
    "findings": "id, canonical_url, url, platform, platform_kind, reporter_id, reported_at, created_at, "
    "fetch_outcome, fetch_status, final_url, sha256, fetched_at, city, thb_score, thb_suspect, network_id",
    "reports": "id, finding_id, submission_id, participant_id, ts, url, retracted",
    "identifiers": "id, kind, value, ignored",
    "finding_identifiers": "finding_id, identifier_id, source, obscured",
    "networks": "id, created_at, merged_into, merged_at",
    "finding_links": "id, finding_a, finding_b, kind, value, created_at",
    "text_bands": "band_key, finding_id",
    "text_shingles": "finding_id, shingles",
}


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    return value


def _chunks(rows: Sequence[tuple[Any, ...]], size: int = 20_000) -> Iterator[Sequence[tuple[Any, ...]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def populate(engine: Engine, size: int, *, seed: int = 7) -> dict[str, int]:
    """Bulk-load a migrated, empty database with `size` findings; returns row counts per table."""
    tables = synthetic_rows(size, seed)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        sqlite = engine.dialect.name == "sqlite"
        for table, rows in tables.items():
            columns = COLUMNS[table]
            if sqlite:
                marks = ", ".join("?" for _ in columns.split(","))
                for chunk in _chunks(rows):
                    cursor.executemany(
                        f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                        [tuple(_sqlite_value(v) for v in row) for row in chunk],
                    )
            else:
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                    for row in rows:
                        copy.write_row(row)
        raw.commit()
    finally:
        raw.close()
    _rebuild_tallies(engine)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for table in ("submissions", "findings", "reports", "identifiers", "networks", "finding_links"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                    )
                )
            conn.execute(text("ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return {table: len(rows) for table, rows in tables.items()}


def _rebuild_tallies(engine: Engine) -> None:
    """The bulk path bypasses the hub, so its kept tallies are computed once, as after a repair."""
    from sqlmodel import Session

    from storage.tallies import live as live_tallies

    with Session(engine) as session:
        live_tallies.rebuild(session=session)
        session.commit()


def main(argv: list[str] | None = None) -> int:
    """Migrate and populate the database at --db; prints the row counts as JSON."""
    from storage.engine import make_engine, upgrade

    parser = argparse.ArgumentParser(description="Bulk-load a synthetic action-week store.")
    parser.add_argument("--db", required=True, help="database URL (migrated here if needed)")
    parser.add_argument("--size", type=int, required=True, help="findings to generate")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    engine = make_engine(args.db)
    try:
        upgrade(engine)
        print(json.dumps(populate(engine, args.size, seed=args.seed)))
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
