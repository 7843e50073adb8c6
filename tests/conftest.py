"""Shared fixtures: a real database (SQLite file, and PostgreSQL where reachable), the corpora."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from storage.engine import make_engine, upgrade
from tests import corpora

REPO = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("HUB_TEST_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _pg_reachable() -> str | None:
    """None when PostgreSQL answers, else why not."""
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:
        return f"{exc.__class__.__name__}: {str(exc).splitlines()[0][:160]}"


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session; mandatory when CI=true."""
    problem = _pg_reachable()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL must be reachable on CI at {PG_ADMIN_URL}: {problem}")
        pytest.skip(
            f"PostgreSQL not reachable at {PG_ADMIN_URL} ({problem}); storage tests ran on SQLite only"
        )
    name = f"hub_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _reset_pg(url: str) -> Engine:
    engine = make_engine(url)
    with engine.begin() as conn:
        # A connection an earlier test left open (idle in transaction) would hold locks that make
        # DROP SCHEMA wait for ever: end every other session on this test database first.
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    return engine


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database URL: every storage test runs on both back ends."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'hub.db'}"
        upgrade(make_engine(url))
        return url
    pg = request.getfixturevalue("pg_database")
    engine = _reset_pg(pg)
    upgrade(engine)
    engine.dispose()
    return pg


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    upgrade(make_engine(url))
    return url


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`corpus`: one run per available corpus (the generated week; the dev corpus when present)."""
    if "corpus" in metafunc.fixturenames:
        found = corpora.available()
        metafunc.parametrize("corpus", list(found.values()), ids=list(found), scope="session")


@pytest.fixture(scope="session")
def week_corpus() -> Path:
    """The generated week only (tests whose question does not depend on the material)."""
    return corpora.week()
