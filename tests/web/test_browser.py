"""The venue screen in a real headless Chromium (Debian's package, driven by Playwright).

A replayed synthetic week (tests/synthetic): the screen shows the figures of /counts and the
standings of /leaderboard; a link pasted through the hub shows on it within 2 s; /networks/N1
draws every finding and linking identifier of N1; the page asks no host but the hub; a wrong
or rotated key gets 404. Without Chromium this fails on CI and is skipped elsewhere, saying why.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlmodel import select

from bot.cli import main
from commands.core.context import HubConfig
from commands.core.dispatcher import Dispatcher
from commands.core.registry import load_registry
from commands.core.seam import Invocation
from extraction.fetch.archive import WarcArchive
from storage import networks
from storage.engine import make_engine
from storage.models import Participant
from tests.warcs import html, write_warc
from tests.web.conftest import Served

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("HUB_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
NEW_AD = "https://www.noaptea-buna.ro/anunt/7781"
NEW_PAGE = html("Irina, 21, noua in oras, program non-stop, sunati +40 723 456 781", footer="f")
LIVE_S = 2.0


def _browser_missing() -> str | None:
    if not Path(CHROMIUM).is_file():
        return f"no Chromium at {CHROMIUM}: apt-get install -y chromium chromium-driver"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: pip install playwright (no browser download needed)"
    return None


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    missing = _browser_missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser test must run on CI: {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def week_db(tmp_path_factory: pytest.TempPathFactory, week_corpus: Path) -> tuple[str, Path]:
    work = tmp_path_factory.mktemp("web-week")
    db = f"sqlite:///{work / 'hub.db'}"
    messages, warc = str(week_corpus / "messages.jsonl"), str(week_corpus / "pages.warc.gz")
    assert main(["replay", messages, "--warc", warc, "--db", db, "--quiet"]) == 0
    extra = write_warc(work / "extra.warc.gz", {NEW_AD: (200, "text/html; charset=utf-8", NEW_PAGE, None)})
    return db, extra


def _hub(db: str, warcs: list[Path]) -> tuple[Dispatcher, Participant]:
    engine = make_engine(db)
    with engine.connect() as conn:
        leader_id = conn.exec_driver_sql(
            "SELECT id FROM participants ORDER BY joined_at, id LIMIT 1"
        ).scalar()
    config = HubConfig(coordinators=frozenset({str(leader_id)}))
    hub = Dispatcher(engine=engine, fetcher=WarcArchive(warcs), registry=load_registry(), config=config)
    with hub.session() as session:
        person = session.exec(select(Participant).where(Participant.id == leader_id)).one()
    return hub, person


def _say(hub: Dispatcher, person: Participant, text: str) -> str:
    inv = Invocation(
        participant_id=person.id,
        platform="console",
        chat_id="console",
        text=text,
        ts=hub.clock(),
        message_key=f"browser-test:{text}:{time.monotonic_ns()}",
        participant_name=person.name,
        country=person.country,
        vouched=True,
    )
    return hub.handle(inv)[0].text


def _counts(text: str) -> dict[str, int]:
    return {k.lower().replace(" ", "_"): int(n) for k, n in re.findall(r"• ([A-Za-z ]+): (\d+)", text)}


def _board(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(participants as (name, points), countries as (code, points)) from /leaderboard's text."""
    people, countries = [], []
    for line in text.splitlines():
        if m := re.match(r"^(?:🥇|🥈|🥉|\d+\.) (.+) \([A-Z]{2}\) — ([\d.]+) pts", line):
            people.append((m.group(1), m.group(2)))
        elif m := re.match(r"^\d+\. ([A-Z]{2}) — ([\d.]+) pts", line):
            countries.append((m.group(1), m.group(2)))
    return people, countries


def test_the_screen_follows_the_week_live_and_asks_no_other_host(
    chromium: Any, week_db: tuple[str, Path], week_corpus: Path, serve: Callable[[object], Served]
) -> None:
    db, extra = week_db
    hub, person = _hub(db, [week_corpus / "pages.warc.gz", extra])
    served = serve(hub.engine)
    hub.config = HubConfig(coordinators=hub.config.coordinators, web_url=served.base)
    page = chromium.new_page(viewport={"width": 1920, "height": 1080})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    assert page.goto(f"{served.base}/screen?key={served.venue_key}").status == 200

    # No scrolling at 1920×1080.
    assert page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]") == [
        1920,
        1080,
    ]
    # The figures are /counts'.
    counts = _counts(_say(hub, person, "/counts"))
    assert counts["findings"] > 0 and counts["networks"] > 0
    for key in ("findings", "thb_urls", "potential_victims", "potential_perpetrators", "platforms_checked"):
        assert page.inner_text(f"[data-figure={key}] .value") == str(counts[key]), key
    assert page.inner_text("[data-figure=networks] .value") == str(counts["networks"])
    # The standings are /leaderboard's, in its order.
    people, countries = _board(_say(hub, person, "/leaderboard"))
    shown = page.eval_on_selector_all(
        ".people li", "rows => rows.map(r => [r.dataset.participant, r.dataset.points])"
    )
    assert [tuple(row) for row in shown] == people[: len(shown)] and len(shown) == min(10, len(people))
    shown_countries = page.eval_on_selector_all(
        ".countries li", "rows => rows.map(r => [r.dataset.country, r.dataset.points])"
    )
    assert [tuple(row) for row in shown_countries] == countries[: len(shown_countries)]

    # One more link through the hub: the screen shows it within 2 s.
    answer = _say(hub, person, f"look {NEW_AD}")
    number = int(re.search(r"#(\d+)", answer).group(1))  # type: ignore[union-attr]
    pasted = time.monotonic()
    page.wait_for_selector(f'[data-ticker-finding="{number}"]', timeout=LIVE_S * 1000)
    page.wait_for_function(
        f"document.querySelector('[data-figure=findings] .value').textContent === '{counts['findings'] + 1}'",
        timeout=max(1.0, LIVE_S - (time.monotonic() - pasted)) * 1000,
    )
    assert time.monotonic() - pasted < LIVE_S
    assert "+40723456781" not in page.content()  # the new ad's phone: never on the wall

    # Every request went to the hub.
    assert requested and {urlsplit(url).netloc for url in requested} == {urlsplit(served.base).netloc}

    # Rotating the venue key: the open screen says so, the old link is a 404.
    _say(hub, person, "/screen new venue")
    page.wait_for_selector("#gone:not([hidden])", timeout=LIVE_S * 1000)
    assert page.goto(f"{served.base}/screen?key={served.venue_key}").status == 404
    page.close()


def test_the_network_view_draws_every_finding_and_linking_identifier(
    chromium: Any, week_db: tuple[str, Path], week_corpus: Path, serve: Callable[[object], Served]
) -> None:
    db, _ = week_db
    hub, _ = _hub(db, [week_corpus / "pages.warc.gz"])
    served = serve(hub.engine)
    with hub.session() as session:
        live = networks.resolve(1, session=session)
        assert live is not None
        members = [f.id for f in networks.members(live, session=session)]
        links = networks.links_within(members, session=session)
    identifiers = {f"{link.kind}:{link.value}" for link in links if link.kind != "text"}
    assert len(members) >= 2 and identifiers
    page = chromium.new_page(viewport={"width": 1920, "height": 1080})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    assert page.goto(f"{served.base}/networks/N1?key={served.coordinator_key}").status == 200
    drawn = set(page.eval_on_selector_all("[data-finding]", "nodes => nodes.map(n => n.dataset.finding)"))
    assert drawn == {str(n) for n in members}
    joined = set(
        page.eval_on_selector_all("[data-identifier]", "nodes => nodes.map(n => n.dataset.identifier)")
    )
    assert joined == identifiers
    if any(link.kind == "text" for link in links):
        assert page.locator('[data-edge="text"][stroke-dasharray]').count() >= 1
    # A finding node opens the finding's details.
    page.click(f'[data-finding="{members[0]}"]')
    page.wait_for_selector(f'[data-finding-page="{members[0]}"]')
    assert "first reported by" in page.inner_text(".details")
    assert {urlsplit(url).netloc for url in requested} == {urlsplit(served.base).netloc}
    # The venue key and a wrong key do not open it.
    assert page.goto(f"{served.base}/networks/N1?key={served.venue_key}").status == 404
    assert page.goto(f"{served.base}/networks/N1?key=not-the-key").status == 404
    page.close()
