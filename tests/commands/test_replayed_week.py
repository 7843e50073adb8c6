"""After replaying a week, /counts and /leaderboard agree with the export (contracts.md §2)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from commands.core.context import HubConfig
from commands.core.dispatcher import Dispatcher
from commands.core.registry import load_registry
from commands.core.seam import Invocation
from extraction.fetch.archive import WarcArchive
from storage.engine import make_engine
from tests.synthetic.week import FIRST_DAY


@pytest.fixture(scope="module")
def replayed(
    tmp_path_factory: pytest.TempPathFactory, week_corpus: Path
) -> tuple[Dispatcher, dict[str, Any]]:
    work = tmp_path_factory.mktemp("week")
    db = f"sqlite:///{work / 'hub.db'}"
    messages, warc = str(week_corpus / "messages.jsonl"), str(week_corpus / "pages.warc.gz")
    assert main(["replay", messages, "--warc", warc, "--db", db, "--quiet"]) == 0
    assert main(["export", "--format", "json", "--db", db, "--out", str(work / "export.json")]) == 0
    export = json.loads(Path(work / "export.json").read_text())
    hub = Dispatcher(
        engine=make_engine(db), fetcher=WarcArchive([]), registry=load_registry(), config=HubConfig()
    )
    return hub, export


def run(hub: Dispatcher, text: str, export: dict[str, Any]) -> str:
    """A command typed at the console by the week's leader, on the last evening."""
    inv = Invocation(
        participant_id=export["participants"][0]["id"],
        platform="console",
        chat_id="console",
        text=text,
        ts=FIRST_DAY + timedelta(days=4, hours=20),
        message_key=f"dev-test:{text}",
        vouched=True,
    )
    return hub.handle(inv)[0].text


def test_counts_agree_with_the_export(replayed: tuple[Dispatcher, dict[str, Any]]) -> None:
    hub, export = replayed
    text = run(hub, "/counts", export)
    shown = {key.lower().replace(" ", "_"): int(n) for key, n in re.findall(r"• ([A-Za-z ]+): (\d+)", text)}
    assert export["counts"]["thb_urls"] > 0 and export["counts"]["networks"] > 0
    for key, value in export["counts"].items():
        assert shown[key] == value, key


def test_the_leaderboard_agrees_with_the_export(replayed: tuple[Dispatcher, dict[str, Any]]) -> None:
    hub, export = replayed
    text = run(hub, "/leaderboard", export)
    board = re.findall(r"^\S+ (.+) \((\w\w)\) — ([\d.]+) pts", text, re.M)
    participants = export["participants"]
    assert len(board) == 10 and participants[0]["points"] > participants[9]["points"] > 0
    assert [(name, country, float(pts)) for name, country, pts in board] == [
        (p["name"], p["country"], p["points"]) for p in participants[:10]
    ]
    countries: dict[str, float] = {}
    for p in participants:
        countries[p["country"]] = countries.get(p["country"], 0.0) + p["points"]
    listed = re.findall(r"^\d+\. (\w\w) — ([\d.]+) pts", run(hub, "/leaderboard countries", export), re.M)
    assert {c: float(pts) for c, pts in listed} == countries
    assert [float(pts) for _, pts in listed] == sorted(countries.values(), reverse=True)
