"""One store size on one back end: paste→verdict latency, lookup time, command times, RSS, size.

Run by `bench/run.py` in a fresh process per (back end, size) so peak RSS belongs to that size:
`python -m bench.store_scale --backend sqlite --size 100000 --json out.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text

from bench.pages import bench_warc, dev_pages
from bench.synthetic import T0, populate
from commands.catalog import load_registry
from commands.deconflict import deconflict
from commands.export import export_document
from commands.hub import Hub, HubConfig
from commands.seam import Invocation
from extraction.archive import WarcArchive
from storage import findings as store
from storage.engine import make_engine, upgrade

PG_ADMIN = os.environ.get("HUB_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
RUNS = 3


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def timed(fn: Callable[[], object], repeat: int = 5) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def database(backend: str, size: int, work: Path) -> tuple[Engine, Callable[[], int], Callable[[], None]]:
    if backend == "sqlite":
        path = work / f"bench-{size}.db"
        engine = make_engine(f"sqlite:///{path}")
        return engine, lambda: sum(p.stat().st_size for p in work.glob(f"bench-{size}.db*")), lambda: None
    name = f"hub_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(PG_ADMIN.rsplit("/", 1)[0] + f"/{name}")

    def size_of() -> int:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())

    def drop() -> None:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return engine, size_of, drop


def paste_run(hub: Hub, run: int, urls: list[str]) -> list[float]:
    """120 new pages then 80 re-pastes in other spellings, by 73 participants; ms per message."""
    rng = random.Random(run)
    texts = [f"check {u}" for u in urls] + [
        f"again {u.replace('https://', 'http://')}/" for u in rng.sample(urls, 80)
    ]
    latencies = []
    for n, message in enumerate(texts):
        inv = Invocation(
            participant_id=f"bench:{n % 73}",
            platform="telegram",
            chat_id="bench",
            text=message,
            ts=T0 + timedelta(days=30 + run, seconds=n),
            message_key=f"bench-run{run}-{n}",
            participant_name=f"Investigator {n % 73}",
            country="NL",
        )
        start = time.perf_counter()
        hub.handle(inv)
        latencies.append((time.perf_counter() - start) * 1000)
    return latencies


def lookup_times(hub: Hub, size: int) -> list[float]:
    """Deconfliction alone (identifier + near-duplicate lookups, network update) for 100 new findings."""
    rng = random.Random(size)
    out = []
    with hub.session() as session:
        known_phones = [
            v for (v,) in session.execute(text("SELECT value FROM identifiers WHERE kind='phone' LIMIT 500"))
        ]
        for n in range(100):
            finding, _ = store.claim_finding(
                canonical_url=f"https://lookup.example/{n}",
                url="u",
                platform="lookup.example",
                reporter_id="bench:0",
                reported_at=T0,
                created_at=T0,
                session=session,
            )
            phone = rng.choice(known_phones) if n % 2 else f"+4479{rng.randint(10**7, 10**8 - 1)}"
            body = " ".join(
                rng.choice(
                    [
                        "sweet",
                        "discreet",
                        "booking",
                        "manager",
                        "agency",
                        "visa",
                        "salary",
                        "warehouse",
                        "abroad",
                        "contract",
                        "crypto",
                        "only",
                    ]
                )
                for _ in range(40)
            )
            start = time.perf_counter()
            deconflict(finding.id or 0, [("phone", phone)], body, at=T0, session=session)
            out.append((time.perf_counter() - start) * 1000)
        session.rollback()
    return out


def measure(backend: str, size: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="hub-bench-"))
    engine, size_of, drop = database(backend, size, work)
    try:
        upgrade(engine)
        start = time.perf_counter()
        rows = populate(engine, size)
        load_s = time.perf_counter() - start
        pages = dev_pages()
        results: dict[str, Any] = {"backend": backend, "size": size, "load_s": load_s, "rows": rows}
        runs = []
        for run in range(RUNS):
            warc, urls = bench_warc(pages, work / f"pages-{run}.warc.gz", prefix=f"r{run}")
            hub = Hub(
                engine=engine,
                fetcher=WarcArchive([warc]),
                registry=load_registry(),
                config=HubConfig(operator_vouches=True),
            )
            runs.append(paste_run(hub, run, urls))
        results["paste_ms"] = [
            {"p50": percentile(r, 50), "p95": percentile(r, 95), "p99": percentile(r, 99)} for r in runs
        ]
        results["burst"] = {
            "messages": sum(len(r) for r in runs),
            "seconds": sum(sum(r) for r in runs) / 1000,
        }
        results["lookup_ms"] = lookup_times(hub, size)
        asker = Invocation(
            participant_id="bench:0",
            platform="telegram",
            chat_id="bench",
            text="/counts",
            ts=T0 + timedelta(days=40),
            message_key="",
            participant_name="Investigator 0",
            country="NL",
        )
        keys = iter(range(10**6))
        for command in ("counts", "leaderboard", "status"):
            if hub.registry.get(command) is None:
                continue

            def ask(name: str = command) -> object:
                return hub.handle(replace(asker, text=f"/{name}", message_key=f"cmd-{name}-{next(keys)}"))

            results[f"{command}_ms"] = timed(ask)
        with hub.session() as session:
            results["export_ms"] = timed(
                lambda: export_document(session=session), repeat=1 if size >= 100_000 else 3
            )
        results["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        results["db_bytes"] = size_of()
        results["db_kb_per_1k_findings"] = size_of() / 1024 / (size / 1000)
        return results
    finally:
        engine.dispose()
        drop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = measure(args.backend, args.size)
    text_out = json.dumps(result, indent=1, default=str)
    if args.json:
        args.json.write_text(text_out)
    else:
        print(text_out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
