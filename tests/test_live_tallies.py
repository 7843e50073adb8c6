"""The kept tallies (storage/live_tallies.py) equal a recomputation from scratch, whatever happens.

A shuffled action week from the generated corpus — pastes out of time order, re-pastes by others,
/undo, /confirm, /reject, /ignore, /victim, /checked, /freeze — runs through `hub.handle` on
SQLite and PostgreSQL; after every step the kept rows must equal `rebuild()`'s, the live
standings the ones recomputed from every report, and /counts the figures counted row by row.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, case, distinct, func, text, union
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from commands.core.context import HubConfig
from commands.core.dispatcher import Dispatcher
from commands.core.registry import load_registry
from commands.core.seam import Invocation
from commands.outcomes import outcomes
from commands.scoring import frozen_standings, standings
from extraction.fetch.archive import WarcArchive
from storage.engine import make_engine
from storage.models import Finding, FindingLink, Network, NetworkTally, PlatformCheck, Report, Submission
from storage.tallies import live as live_tallies
from tests import corpora
from tests.warcs import html, write_warc

T0 = datetime(2025, 9, 15, 8, 0, tzinfo=UTC)
COORDINATOR = "tg:9"
PEOPLE = [("tg:1", "NL", "Anna"), ("tg:2", "RO", "Mihai"), ("tg:3", "PL", "Ewa"), ("tg:4", "NL", "Joost")]
KEPT = {
    "score_pairs": "finding_id, participant_id, ts, owned, scoring, suspect, confirmed, linked",
    "participant_scores": "participant_id, findings, corroborations, owned_scoring, corroborating, "
    "suspect, confirmed, linked, reached_at",
    "finding_tallies": "finding_id, platform, suspect, thb_url, social",
    "platform_tallies": "platform, findings, suspects, thb_urls, social",
    "network_tallies": "network_id, members, suspects",
}


def kept_rows(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """The kept tables, without rows that only hold zeros (a rebuild does not write those)."""
    out = {}
    for table, columns in KEPT.items():
        rows = session.execute(text(f"SELECT {columns} FROM {table}")).all()
        out[table] = sorted(
            tuple(str(v) for v in row)
            for row in rows
            if table in ("score_pairs", "finding_tallies") or any(v not in (0, None) for v in row[1:])
        )
    return out


def rebuilt_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with Session(engine) as session:
        live_tallies.rebuild(session=session)
        rows = kept_rows(session)
        session.rollback()
    return rows


def counted_row_by_row(session: Session) -> dict[str, int]:
    """The /counts figures the slow way: every finding, network and check looked at.

    Findings whose every report was withdrawn (/undo) count in no figure but the networks; nor do
    links whose page could not be opened, unless a coordinator confirmed them ("could not open").
    """
    suspect = col(Finding.thb_suspect).is_(True)
    not_rejected = func.coalesce(col(Finding.judgement), "") != "rejected"
    withdrawn = col(Finding.id).not_in(select(Report.finding_id).where(col(Report.retracted).is_(False)))
    unread = (Finding.fetch_outcome != "ok") | col(Finding.suppressed).is_not(None)
    dead = unread & (func.coalesce(col(Finding.judgement), "") != "confirmed")
    reported = ~withdrawn & ~dead
    thb = (
        select(func.count())
        .select_from(Finding)
        .where(suspect | (Finding.judgement == "confirmed"), not_rejected, reported)
    )
    sized = (
        select(Finding.network_id)
        .where(col(Finding.network_id).is_not(None))
        .group_by(col(Finding.network_id))
        .having(func.count() >= 2, func.sum(case((suspect, 1), else_=0)) >= 1)
    )
    found = sa_select(col(Finding.platform).label("p")).where(Finding.platform != "", reported)
    checked = union(found, sa_select(col(PlatformCheck.platform).label("p"))).subquery()
    social = select(func.count()).select_from(Finding).where(Finding.platform_kind == "social", reported)
    indications = select(func.count(distinct(col(Finding.platform)))).where(suspect, reported)
    return {
        "findings": int(session.exec(select(func.count()).select_from(Finding).where(reported)).one()),
        "thb_urls": int(session.exec(thb).one()),
        "social_profiles": int(session.exec(social).one()),
        "networks": len(list(session.exec(sized))),
        "platforms_checked": int(session.exec(select(func.count()).select_from(checked)).one()),
        "platforms_with_indications": int(session.exec(indications).one()),
        "could_not_open": int(
            session.exec(select(func.count()).select_from(Finding).where(~withdrawn, dead)).one()
        ),
    }


def assert_consistent(hub: Dispatcher, step: str) -> None:
    assert rebuilt_rows(hub.engine) == kept(hub), f"kept tallies drifted after {step}"
    with hub.session() as session:
        live = standings(session=session)
        assert live == standings(session=session, as_of=datetime(2100, 1, 1, tzinfo=UTC)), step
        figures = outcomes(session=session)
        slow = counted_row_by_row(session)
        assert {k: getattr(figures, k) for k in slow} == slow, step


def kept(hub: Dispatcher) -> dict[str, list[tuple[Any, ...]]]:
    with hub.session() as session:
        return kept_rows(session)


def corpus_links() -> list[str]:
    path = corpora.week() / "messages.jsonl"
    texts = [json.loads(line)["text"] for line in path.read_text().splitlines() if line.strip()]
    return [t for t in texts if re.search(r"hxxp|https?://|\[\.\]|www\.", t)]


@pytest.fixture
def week(db_url: str) -> Iterator[Dispatcher]:
    config = HubConfig(allowed_chats=frozenset({"telegram:thb"}), coordinators=frozenset({COORDINATOR}))
    hub = Dispatcher(
        engine=make_engine(db_url),
        fetcher=WarcArchive([corpora.week() / "pages.warc.gz"]),
        registry=load_registry(),
        config=config,
    )
    yield hub
    hub.engine.dispose()


class Driver:
    def __init__(self, hub: Dispatcher, seed: int) -> None:
        self.hub, self.rng, self.n = hub, random.Random(seed), 0
        for person in PEOPLE:
            self.say(f"/join {person[1]} {person[2]}", person, T0)

    def say(self, text_: str, user: tuple[str, str, str], at: datetime) -> str:
        self.n += 1
        inv = Invocation(
            participant_id=user[0],
            platform="telegram",
            chat_id="telegram:thb",
            text=text_,
            ts=at,
            message_key=f"m{self.n}",
            participant_name=user[2],
            country=user[1],
        )
        return "\n".join(r.text for r in self.hub.handle(inv))

    def some(self, model: Any, *where: Any) -> Any:
        with self.hub.session() as session:
            rows = list(session.exec(select(model).where(*where)))
        return self.rng.choice(rows) if rows else None


def test_kept_tallies_equal_a_rebuild_through_a_shuffled_week(week: Dispatcher) -> None:
    links = corpus_links()
    drive = Driver(week, seed=11)
    coordinator = (COORDINATOR, "NL", "Clara")
    drive.say("/join NL Clara", coordinator, T0)
    rng = drive.rng
    picked = rng.sample(links, len(links)) + rng.sample(links, 20)  # some pasted again, by anyone
    for step, message in enumerate(picked):
        # Out of time order on purpose: an earlier report arriving later takes the finding over.
        at = T0 + timedelta(minutes=rng.randrange(0, 600))
        drive.say(message, rng.choice(PEOPLE), at)
        roll = rng.random()
        if roll < 0.15 and (report := drive.some(Report, col(Report.retracted).is_(False))):
            with week.session() as session:
                when = session.get(Submission, report.submission_id).ts.replace(tzinfo=UTC)  # type: ignore[union-attr]
            who = next(p for p in [*PEOPLE, coordinator] if p[0] == report.participant_id)
            drive.say(f"/undo {report.finding_id}", who, when + timedelta(minutes=5))
        elif roll < 0.35 and (finding := drive.some(Finding)):
            verb = rng.choice(["confirm", "reject", "victim", "perpetrator"])
            drive.say(f"/{verb} {finding.id}", coordinator, at)
        elif roll < 0.42 and (link := drive.some(FindingLink, col(FindingLink.kind).in_(["phone", "email"]))):
            drive.say(f"/ignore {link.value}", coordinator, at)  # takes a link bonus away
        elif roll < 0.47:
            drive.say(
                f"/checked {rng.choice(['vk.com', 'badoo.com', 'example-escort.eu'])}", rng.choice(PEOPLE), at
            )
        if step % 6 == 5:
            assert_consistent(week, f"step {step}: {message[:60]}")
    assert_consistent(week, "the last step")
    with week.session() as session:
        assert sum(s.points for s in standings(session=session)) > 0  # the week scored something
        assert (
            session.exec(
                select(func.count()).select_from(NetworkTally).where(col(NetworkTally.members) >= 2)
            ).one()
            > 0
        )


def test_the_frozen_board_keeps_the_scores_of_the_freeze(week: Dispatcher) -> None:
    links = corpus_links()
    drive = Driver(week, seed=3)
    coordinator = (COORDINATOR, "NL", "Clara")
    drive.say("/join NL Clara", coordinator, T0)
    for n, message in enumerate(links[:6]):
        drive.say(message, PEOPLE[n % 2], T0 + timedelta(minutes=n))
    assert "frozen" in drive.say("/freeze", coordinator, T0 + timedelta(hours=1))
    with week.session() as session:
        at_freeze = standings(session=session)
    for n, message in enumerate(links[6:12]):
        drive.say(message, PEOPLE[2], T0 + timedelta(hours=2, minutes=n))
    finding = drive.some(Finding, Finding.reporter_id == PEOPLE[0][0])
    drive.say(f"/confirm {finding.id}", coordinator, T0 + timedelta(hours=3))
    with week.session() as session:
        assert frozen_standings(session=session) == at_freeze  # nothing after the freeze shows
        assert standings(session=session) != at_freeze  # coordinators see it all
    drive.say("/unfreeze", coordinator, T0 + timedelta(hours=4))
    with week.session() as session:
        assert all(s.points == 0 for s in frozen_standings(session=session))  # the copy is gone


def test_a_rolled_back_change_leaves_the_tallies_and_no_marks(week: Dispatcher) -> None:
    links = corpus_links()
    drive = Driver(week, seed=5)
    drive.say(links[0], PEOPLE[0], T0)
    before = kept(week)
    with week.session() as session:
        finding = session.exec(select(Finding)).first()
        assert finding is not None
        finding.judgement = "confirmed"
        session.add(finding)
        session.flush()
        session.rollback()
        assert not session.info.get("hub.live_tallies.pending")
        session.commit()  # nothing pending: the commit must not recompute a rolled-back change
    assert kept(week) == before
    assert_consistent(week, "a rollback")


def test_networks_that_merge_are_counted_once(tmp_path: Path, db_url: str) -> None:
    """Two networks joined by a third ad sharing both phones: the older survives with every member."""
    ads = {
        "https://www.rozenkamer.nl/ad/1": "Anna, new in town, no limits. Call +31 6 4150 2873",
        "https://www.kinky.nl/ad/2": "Sofia, new in town, discreet. Bel +31 6 4150 2873",
        "https://www.rozenkamer.nl/ad/3": "Lina, massage, quiet studio. Tel +31 6 2875 1934",
        "https://www.kinky.nl/ad/4": "Mila, sweet, available today. Tel +31 6 2875 1934",
        "https://www.sexjobs.nl/ad/5": "Eva and Nina, new girls. +31 6 4150 2873 or +31 6 2875 1934",
    }
    pages = {
        url: (200, "text/html; charset=utf-8", html(body, footer=url[-1]), None) for url, body in ads.items()
    }
    warc = write_warc(tmp_path / "ads.warc.gz", pages)
    config = HubConfig(allowed_chats=frozenset({"telegram:thb"}), coordinators=frozenset({COORDINATOR}))
    hub = Dispatcher(
        engine=make_engine(db_url), fetcher=WarcArchive([warc]), registry=load_registry(), config=config
    )
    try:
        drive = Driver(hub, seed=1)
        for n, url in enumerate(ads):
            drive.say(url, PEOPLE[n % 3], T0 + timedelta(minutes=n))
            assert_consistent(hub, f"ad {n + 1}")
        with hub.session() as session:
            live = session.exec(select(Network.id).where(col(Network.merged_into).is_(None))).all()
            merged = session.exec(select(Network.id).where(col(Network.merged_into).is_not(None))).all()
            sizes = dict(session.exec(select(NetworkTally.network_id, NetworkTally.members)).all())
        assert len(live) == 1 and len(merged) == 1
        assert sizes[live[0]] == 5 and sizes.get(merged[0], 0) == 0
    finally:
        hub.engine.dispose()


def test_hub_db_rebuild_tallies_repairs_kept_rows(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """After a manual edit of a kept table, `hub db rebuild-tallies` puts the true figures back."""
    from bot.cli import main

    url = sqlite_url
    engine = make_engine(url)
    config = HubConfig(allowed_chats=frozenset({"telegram:thb"}))
    hub = Dispatcher(
        engine=engine,
        fetcher=WarcArchive([corpora.week() / "pages.warc.gz"]),
        registry=load_registry(),
        config=config,
    )
    drive = Driver(hub, seed=2)
    for n, message in enumerate(corpus_links()[:8]):
        drive.say(message, PEOPLE[n % 4], T0 + timedelta(minutes=n))
    true_rows = kept(hub)
    with engine.begin() as conn:  # somebody "fixed" the numbers by hand
        conn.exec_driver_sql("UPDATE participant_scores SET owned_scoring = owned_scoring + 7")
        conn.exec_driver_sql("DELETE FROM platform_tallies")
    assert kept(hub) != true_rows
    assert main(["db", "rebuild-tallies", "--db", url]) == 0
    assert "recomputed" in capsys.readouterr().out
    assert kept(hub) == true_rows
    engine.dispose()


def test_a_savepoint_that_rolls_back_keeps_the_outer_transactions_marks(db_url: str) -> None:
    """Only the end of the outermost transaction drops what settle() must still recompute."""
    from sqlalchemy.exc import IntegrityError

    from storage import findings as store
    from storage import participants, submissions
    from storage.models import Participant

    engine = make_engine(db_url)
    with Session(engine) as session:
        participants.register_participant(
            "tg:1", platform="telegram", name="Anna", country="NL", at=T0, session=session
        )
        session.commit()
        message = {"message_key": "m1", "platform": "telegram", "chat_id": "thb", "participant_id": "tg:1"}
        sub, _ = submissions.record_submission(**message, ts=T0, text="x", received_at=T0, session=session)
        page = {"canonical_url": "https://x.nl/1", "url": "https://x.nl/1", "platform": "x.nl"}
        finding, _ = store.claim_finding(
            **page, reporter_id="tg:1", reported_at=T0, created_at=T0, session=session
        )
        store.add_report(
            finding, submission_id=sub.id or 0, participant_id="tg:1", ts=T0, url="u", session=session
        )
        try:
            with session.begin_nested():  # a step that fails and is undone on its own
                session.add(
                    Participant(id="tg:1", platform="telegram", name="again", country="NL", joined_at=T0)
                )
                session.flush()
        except IntegrityError:
            pass
        session.commit()
        kept_now = kept_rows(session)
    assert kept_now["participant_scores"] != []
    assert rebuilt_rows(engine) == kept_now
    engine.dispose()
