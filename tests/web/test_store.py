"""The link keys and the ticker's reads, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import Session

from storage import web_keys
from storage.engine import make_engine
from storage.ticker import latest_reports
from tests.commands.conftest import PAGES, URL1, URL2, URL3, ask, joined_hub
from tests.warcs import write_warc

T0 = datetime(2025, 9, 15, 9, 0, tzinfo=UTC)


def test_keys_are_made_once_replaced_on_rotation_and_matched_exactly(db_url: str) -> None:
    engine = make_engine(db_url)
    with Session(engine) as session:
        venue = web_keys.ensure(web_keys.VENUE, at=T0, by="tg:9", session=session)
        assert web_keys.ensure(web_keys.VENUE, at=T0, by="tg:9", session=session) == venue
        coordinator = web_keys.ensure(web_keys.COORDINATOR, at=T0, by="tg:9", session=session)
        session.commit()
    assert len(venue) == 32 and venue != coordinator
    with Session(engine) as session:
        assert web_keys.role_of(venue, session=session) == web_keys.VENUE
        assert web_keys.role_of(coordinator, session=session) == web_keys.COORDINATOR
        assert web_keys.role_of("", session=session) is None
        assert web_keys.role_of(venue[:-1], session=session) is None
        fresh = web_keys.rotate(web_keys.VENUE, at=T0, by="tg:9", session=session)
        session.commit()
    with Session(engine) as session:
        assert web_keys.role_of(venue, session=session) is None
        assert web_keys.role_of(fresh, session=session) == web_keys.VENUE
        assert web_keys.key_of(web_keys.COORDINATOR, session=session) == coordinator
    engine.dispose()


def test_the_ticker_marks_new_duplicate_and_linked_reports(db_url: str, tmp_path: Path) -> None:
    hub = joined_hub(db_url, write_warc(tmp_path / "pages.warc.gz", PAGES))
    ask(hub, URL1, user="tg:1", at=T0)
    ask(hub, URL3, user="tg:2", at=T0 + timedelta(minutes=1))
    ask(hub, URL2, user="tg:3", at=T0 + timedelta(minutes=2))  # shares URL1's phone
    ask(hub, URL1, user="tg:2", at=T0 + timedelta(minutes=3))  # a duplicate
    with hub.session() as session:
        rows = latest_reports(10, session=session)
    assert [(r.finding_id, r.reporter, r.first, r.linked) for r in rows] == [
        (1, "Mihai", False, True),
        (3, "Ewa", True, True),
        (2, "Mihai", True, False),
        (1, "Anna", True, True),
    ]
    assert rows[0].country == "RO" and rows[0].platform == "rozenkamer.nl"
    hub.engine.dispose()
