"""The paste pipeline through the real hub: storage first, then fetch (from WARC), extract, deconflict."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlmodel import Session, select

from commands.core.context import HubConfig
from commands.core.dispatcher import Dispatcher
from commands.core.registry import load_registry
from commands.core.seam import Invocation
from extraction.fetch.archive import WarcArchive
from storage.engine import make_engine
from storage.models import Finding, Report, Submission
from tests.warcs import html, write_warc

T0 = datetime(2025, 9, 15, 9, 0, tzinfo=UTC)
_keys = count()


def say(
    text: str,
    *,
    user: str = "tg:1",
    name: str = "Anna",
    country: str | None = "NL",
    chat: str = "telegram:thb",
    at: datetime = T0,
    key: str | None = None,
) -> Invocation:
    return Invocation(
        participant_id=user,
        platform="telegram",
        chat_id=chat,
        text=text,
        ts=at,
        message_key=key or f"k{next(_keys)}",
        participant_name=name,
        country=country,
    )


@pytest.fixture
def hub(tmp_path: Path, sqlite_url: str) -> Dispatcher:
    warc = write_warc(
        tmp_path / "pages.warc.gz",
        {
            "https://www.rozenkamer.nl/ad/1": (
                200,
                "text/html; charset=utf-8",
                html(
                    "Anna, 23, new in town. Call +31 6 1234 5678 or mail anna.vip@mail.com",
                    footer="support@rozenkamer.nl",
                ),
                None,
            ),
            "https://bit.ly/abc": (301, "text/html", b"", "https://www.rozenkamer.nl/ad/1"),
            "https://photos.example.com/a.jpg": (200, "image/jpeg", b"\xff\xd8\xff", None),
        },
    )
    config = HubConfig(allowed_chats=frozenset({"telegram:thb"}))
    hub = Dispatcher(
        engine=make_engine(sqlite_url), fetcher=WarcArchive([warc]), registry=load_registry(), config=config
    )
    # Participants in live chats register with /join; the console and replay vouch for theirs.
    hub.handle(say("/join NL Anna", user="tg:1", country=None))
    hub.handle(say("/join RO Mihai", user="tg:2", name="Mihai", country=None))
    return hub


def row_counts(hub: Dispatcher) -> dict[str, int]:
    with hub.engine.connect() as conn:
        return {
            t: conn.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one()
            for t in inspect(hub.engine).get_table_names()
            if t != "alembic_version"
        }


def test_second_paste_of_the_same_page_says_who_reported_it_first(hub: Dispatcher) -> None:
    first = hub.handle(say("check https://www.rozenkamer.nl/ad/1"))[0]
    assert "#1 new" in first.text
    second = hub.handle(
        say(
            "hxxp://rozenkamer[.]nl/ad/1/?utm_source=x", user="tg:2", name="Mihai", at=T0 + timedelta(hours=2)
        )
    )[0]
    assert "#1 already reported by Anna (NL) 2 h ago" in second.text
    assert "2nd report" in second.text
    with hub.session() as session:
        findings = session.exec(select(Finding)).all()
        reports = session.exec(select(Report)).all()
    assert len(findings) == 1 and len(reports) == 2
    assert findings[0].reporter_id == "tg:1"


def test_a_short_link_is_a_duplicate_of_the_page_it_leads_to(hub: Dispatcher) -> None:
    hub.handle(say("https://www.rozenkamer.nl/ad/1"))
    reply = hub.handle(say("https://bit.ly/abc", user="tg:2", name="Mihai", at=T0 + timedelta(minutes=5)))[0]
    assert "#1 already reported by Anna (NL) 5 min ago" in reply.text
    # Pasting the short link again needs no fetch: it is an alias of the finding now.
    again = hub.handle(say("https://bit.ly/abc", user="tg:2", name="Mihai", at=T0 + timedelta(minutes=6)))[0]
    assert "#1 already reported" in again.text


def test_echoed_urls_are_defanged(hub: Dispatcher) -> None:
    reply = hub.handle(say("https://www.rozenkamer.nl/ad/1"))[0]
    assert "https://www.rozenkamer.nl" not in reply.text
    assert "rozenkamer[.]nl" in reply.text


def test_page_identifiers_are_stored_but_not_site_furniture(hub: Dispatcher) -> None:
    hub.handle(say("https://www.rozenkamer.nl/ad/1"))
    from storage.identifiers import identifiers_by_finding

    with hub.session() as session:
        ids = identifiers_by_finding(session=session)[1]
    assert ("phone", "+31612345678") in ids
    assert ("email", "anna.vip@mail.com") in ids
    assert ("email", "support@rozenkamer.nl") not in ids


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "http://127.0.0.1/admin",
        "http://169.254.169.254/latest/",
        "https://user:pw@example.com/",
    ],
)
def test_forbidden_targets_are_refused_with_a_reason_and_no_finding(hub: Dispatcher, link: str) -> None:
    reply = hub.handle(say(f"look {link}"))[0]
    assert "not opened" in reply.text
    with hub.session() as session:
        assert session.exec(select(Finding)).all() == []
        # The message itself is kept: nothing a participant sends is lost.
        assert (
            session.exec(select(Submission).where(Submission.text == f"look {link}")).one().status == "done"
        )


def test_a_media_link_is_recorded_without_downloading_it(hub: Dispatcher) -> None:
    reply = hub.handle(say("https://photos.example.com/a.jpg"))[0]
    assert "not a page" in reply.text
    with hub.session() as session:
        finding = session.exec(select(Finding)).one()
    assert finding.fetch_outcome == "not_html" and finding.sha256 is None


def test_a_page_missing_from_the_archive_is_still_a_finding(hub: Dispatcher) -> None:
    reply = hub.handle(say("https://unknown.example.org/ad/9"))[0]
    assert "#1 new" in reply.text and "not fetched" in reply.text


def test_a_redelivered_message_counts_once(hub: Dispatcher) -> None:
    first = hub.handle(say("https://www.rozenkamer.nl/ad/1", key="telegram:thb:77"))
    again = hub.handle(say("https://www.rozenkamer.nl/ad/1", key="telegram:thb:77"))
    assert not first[0].repeat and again[0].repeat
    assert again[0].text == first[0].text
    with hub.session() as session:
        assert len(session.exec(select(Report)).all()) == 1


def test_a_chat_outside_the_operation_writes_nothing(hub: Dispatcher) -> None:
    before = row_counts(hub)
    assert hub.handle(say("https://www.rozenkamer.nl/ad/1", chat="telegram:random-group")) == []
    assert hub.handle(say("/join NL Eve", user="tg:9", chat="telegram:random-group", country=None)) == []
    assert row_counts(hub) == before


def test_a_stranger_is_asked_to_join_and_nothing_is_written(hub: Dispatcher) -> None:
    before = row_counts(hub)
    reply = hub.handle(say("https://www.rozenkamer.nl/ad/1", user="tg:99", country=None))
    assert "/join" in reply[0].text
    assert hub.handle(say("good morning", user="tg:99", country=None)) == []
    assert row_counts(hub) == before


def test_counts_show_the_outcome_categories(hub: Dispatcher) -> None:
    hub.handle(say("https://www.rozenkamer.nl/ad/1"))
    reply = hub.handle(say("/counts"))[0]
    for label in (
        "potential victims",
        "potential perpetrators",
        "platforms checked",
        "THB URLs",
        "social profiles",
        "networks",
    ):
        assert label in reply.text
    assert "findings: 1" in reply.text
    assert "platforms checked: 1" in reply.text


def test_help_lists_every_command_with_its_docstring(hub: Dispatcher) -> None:
    reply = hub.handle(say("/help"))[0]
    for command in hub.registry.all():
        if not command.coordinator:
            assert f"/{command.name}" in reply.text and command.help in reply.text
    assert "no contact with subjects" in reply.text


def test_join_with_bad_arguments_changes_nothing(hub: Dispatcher) -> None:
    before = row_counts(hub)
    reply = hub.handle(say("/join Netherlands", user="tg:5", country=None))[0]
    assert "Usage" in reply.text
    assert row_counts(hub) == before


def test_a_crash_mid_work_keeps_the_submission(hub: Dispatcher, tmp_path: Path) -> None:
    class Exploding:
        def fetch(self, url: str) -> object:
            raise RuntimeError("disk on fire")

    hub.fetcher = Exploding()  # type: ignore[assignment]
    reply = hub.handle(say("https://www.rozenkamer.nl/ad/1", key="crash-1"))[0]
    assert "Something failed" in reply.text and "kept" in reply.text
    with Session(hub.engine) as session:
        submission = session.exec(select(Submission).where(Submission.message_key == "crash-1")).one()
    assert submission.status == "failed" and "disk on fire" in (submission.error or "")
    # After the restart the fetcher works again: the kept message is processed, once.
    hub.fetcher = WarcArchive([tmp_path / "pages.warc.gz"])
    resumed = hub.resume()
    assert [inv.message_key for inv, _ in resumed] == ["crash-1"]
    assert "#1 new" in resumed[0][1].text
    assert hub.resume() == []
