"""A hub on a real database (SQLite and PostgreSQL) with a few archived pages, and helpers."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text
from sqlmodel import col, select

from commands.core.context import HubConfig
from commands.core.dispatcher import Dispatcher
from commands.core.registry import load_registry
from commands.core.seam import Invocation, Reply
from extraction.fetch.archive import WarcArchive
from storage.engine import make_engine, upgrade
from storage.models import AuditEntry
from tests.warcs import Page, html, write_warc

T0 = datetime(2025, 9, 15, 9, 0, tzinfo=UTC)
COORDINATOR = "tg:9"
_keys = count()

# Three ads: 1 and 2 share a phone (a network), 3 stands alone. Phones are valid numbers.
PAGES: dict[str, Page] = {
    "https://www.rozenkamer.nl/ad/1": (
        200,
        "text/html; charset=utf-8",
        html("Anna, 23, new in town. Call +31 6 4150 2873 or mail anna.vip@mail.com", footer="x"),
        None,
    ),
    "https://www.kinky.nl/ad/2": (
        200,
        "text/html; charset=utf-8",
        html("Sofia, sweet and discreet, available today. Bel +31 6 4150 2873", footer="y"),
        None,
    ),
    "https://www.vendelo.es/a/3": (
        200,
        "text/html; charset=utf-8",
        html("iPhone 13 128 GB, 190 eur, llamar +34 647 183 533", footer="z"),
        None,
    ),
    "https://www.kinky.nl/ad/4": (
        200,
        "text/html; charset=utf-8",
        html("Lina, massage in Utrecht, quiet studio. Tel +31 6 4150 2873", footer="w"),
        None,
    ),
}
URL1, URL2, URL3, URL4 = PAGES


def say(text: str, *, user: str = "tg:1", at: datetime = T0, chat: str = "telegram:thb") -> Invocation:
    return Invocation(
        participant_id=user,
        platform="telegram",
        chat_id=chat,
        text=text,
        ts=at,
        message_key=f"k{next(_keys)}",
        participant_name=user,
    )


def ask(hub: Dispatcher, text: str, *, user: str = "tg:1", at: datetime = T0) -> Reply:
    replies = hub.handle(say(text, user=user, at=at))
    assert len(replies) == 1, replies
    return replies[0]


def build_hub(url: str, warc: Path) -> Dispatcher:
    config = HubConfig(allowed_chats=frozenset({"telegram:thb"}), coordinators=frozenset({COORDINATOR}))
    return Dispatcher(
        engine=make_engine(url), fetcher=WarcArchive([warc]), registry=load_registry(), config=config
    )


@pytest.fixture
def warc(tmp_path: Path) -> Path:
    return write_warc(tmp_path / "pages.warc.gz", PAGES)


def joined_hub(url: str, warc: Path) -> Dispatcher:
    """Anna (NL, tg:1), Mihai (RO, tg:2), Ewa (PL, tg:3) and the coordinator Clara (NL, tg:9)."""
    hub = build_hub(url, warc)
    for user, country, name in (("tg:1", "NL", "Anna"), ("tg:2", "RO", "Mihai"), ("tg:3", "PL", "Ewa")):
        ask(hub, f"/join {country} {name}", user=user)
    ask(hub, "/join NL Clara", user=COORDINATOR)
    return hub


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file per session; each test gets a copy (migrating costs ~0.3 s)."""
    path = tmp_path_factory.mktemp("template") / "hub.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
    engine.dispose()
    return path


@pytest.fixture
def hub(migrated_sqlite: Path, tmp_path: Path, warc: Path) -> Iterator[Dispatcher]:
    """The command tests' hub on SQLite (fast); the state changes also run on PostgreSQL below."""
    copy = tmp_path / "hub.db"
    shutil.copyfile(migrated_sqlite, copy)
    hub = joined_hub(f"sqlite:///{copy}", warc)
    yield hub
    hub.engine.dispose()


@pytest.fixture
def hub_both(db_url: str, warc: Path) -> Iterator[Dispatcher]:
    """The same hub on SQLite and on PostgreSQL, for the commands that write."""
    hub = joined_hub(db_url, warc)
    yield hub
    hub.engine.dispose()  # pooled connections would block the next test's schema reset


def state(hub: Dispatcher) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table except the message log (every message is stored, commands too)."""
    out = {}
    with hub.engine.connect() as conn:
        for table in sorted(inspect(hub.engine).get_table_names()):
            if table in ("alembic_version", "submissions", "chats"):
                continue
            rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
            out[table] = sorted(tuple(str(v) for v in row) for row in rows)
    return out


def audit_actions(hub: Dispatcher) -> list[str]:
    with hub.session() as session:
        return list(session.exec(select(AuditEntry.action).order_by(col(AuditEntry.id))))
