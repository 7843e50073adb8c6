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
import hashlib
import json
import random
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, text

from deconfliction.neardup import text_print

T0 = datetime(2025, 9, 15, 6, 0, tzinfo=UTC)
COUNTRIES = [
    "NL",
    "BE",
    "DE",
    "FR",
    "ES",
    "IT",
    "RO",
    "PL",
    "PT",
    "GR",
    "AT",
    "SI",
    "HR",
    "CZ",
    "SK",
    "HU",
    "BG",
    "LT",
    "LV",
    "EE",
    "FI",
    "SE",
    "DK",
    "IE",
    "CY",
    "MT",
]
KINDS = ["escort", "dating", "job", "marketplace", "social", "messaging", "other"]
WORDS = [
    "sweet",
    "elegant",
    "discreet",
    "new",
    "town",
    "days",
    "only",
    "booking",
    "manager",
    "agency",
    "travel",
    "visa",
    "housing",
    "salary",
    "warehouse",
    "workers",
    "needed",
    "abroad",
    "free",
    "accommodation",
    "contract",
    "kisses",
    "gentlemen",
    "dinner",
    "massage",
    "incall",
    "outcall",
    "crypto",
    "payment",
    "only",
    "transport",
    "included",
    "experience",
    "required",
    "young",
    "fresh",
]
CITIES = ["Lyon", "Wien", "Milano", "Madrid", "Berlin", "Warszawa", "Rotterdam", "Praha", "Sofia", "Athina"]


def _ad_text(rng: random.Random, template: list[str], name: str, city: str) -> str:
    words = list(template)
    for _ in range(rng.randint(0, 3)):  # light edits, as copy-pasting groups make
        words[rng.randrange(len(words))] = rng.choice(WORDS)
    return f"{name} {rng.randint(19, 35)} · {city}. " + " ".join(words) + f" {rng.randint(100, 400)} EUR"


def _rows(size: int, seed: int) -> dict[str, list[tuple[Any, ...]]]:
    rng = random.Random(seed)
    tables: dict[str, list[tuple[Any, ...]]] = {
        k: []
        for k in (
            "participants",
            "submissions",
            "findings",
            "reports",
            "identifiers",
            "finding_identifiers",
            "networks",
            "finding_links",
            "text_bands",
            "text_shingles",
        )
    }
    for p in range(73):
        tables["participants"].append(
            (f"bench:{p}", "telegram", f"Investigator {p}", COUNTRIES[p % 26], "participant", T0)
        )
    identifier_ids: dict[tuple[str, str], int] = {}

    def ident(kind: str, value: str) -> int:
        if (kind, value) not in identifier_ids:
            identifier_ids[(kind, value)] = len(identifier_ids) + 1
            tables["identifiers"].append((identifier_ids[(kind, value)], kind, value, False))
        return identifier_ids[(kind, value)]

    finding_id = submission_id = network_id = 0
    while finding_id < size:
        grouped = rng.random() < 0.4
        members = min(rng.randint(2, 12) if grouped else 1, size - finding_id)
        template = [rng.choice(WORDS) for _ in range(rng.randint(25, 45))]
        controller = f"+407{rng.randint(10_000_000, 99_999_999)}"
        handle = f"telegram:grp_{rng.randint(0, 10**9)}" if grouped and rng.random() < 0.6 else None
        if members > 1:
            network_id += 1
            tables["networks"].append((network_id, T0, None, None))
        first_in_group = finding_id + 1
        for _ in range(members):
            finding_id += 1
            submission_id += 1
            reporter = f"bench:{rng.randrange(73)}"
            at = T0 + timedelta(seconds=finding_id * 5)
            site = f"site{rng.randrange(max(50, size // 200))}.example"
            url = f"https://{site}/ad/{finding_id}"
            suspect = grouped or rng.random() < 0.1
            tables["submissions"].append(
                (
                    submission_id,
                    f"bench:{submission_id}",
                    "telegram",
                    "bench",
                    reporter,
                    at,
                    url,
                    "done",
                    0,
                    at,
                    at,
                )
            )
            tables["findings"].append(
                (
                    finding_id,
                    url,
                    url,
                    site,
                    rng.choice(KINDS),
                    reporter,
                    at,
                    at,
                    "ok",
                    200,
                    url,
                    hashlib.sha256(url.encode()).hexdigest(),
                    at,
                    rng.choice(CITIES),
                    1.5 if suspect else 0.0,
                    suspect,
                    network_id if members > 1 else None,
                )
            )
            tables["reports"].append((submission_id, finding_id, submission_id, reporter, at, url, False))
            phone = controller if members > 1 else f"+407{rng.randint(10_000_000, 99_999_999)}"
            values = [("phone", phone)]
            if handle:
                values.append(("handle", handle))
            if rng.random() < 0.3:
                values.append(("email", f"x{rng.randint(0, 10**9)}@mail.example"))
            for kind, value in values:
                tables["finding_identifiers"].append((finding_id, ident(kind, value), "page", False))
            printed = text_print(_ad_text(rng, template, f"N{finding_id}", rng.choice(CITIES)))
            if printed is not None:
                tables["text_shingles"].append((finding_id, printed.shingles))
                tables["text_bands"].extend((band, finding_id) for band in printed.bands)
            if finding_id > first_in_group:
                tables["finding_links"].append((finding_id, first_in_group, finding_id, "phone", phone, at))
            if rng.random() < 0.2:  # a corroboration by someone else, a little later
                submission_id += 1
                other = f"bench:{rng.randrange(73)}"
                tables["submissions"].append(
                    (
                        submission_id,
                        f"bench:{submission_id}",
                        "telegram",
                        "bench",
                        other,
                        at + timedelta(hours=1),
                        url,
                        "done",
                        0,
                        at,
                        at,
                    )
                )
                tables["reports"].append(
                    (submission_id, finding_id, submission_id, other, at + timedelta(hours=1), url, False)
                )
    return tables


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
    tables = _rows(size, seed)
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

    from storage import live_tallies

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
