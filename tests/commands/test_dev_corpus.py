"""After replaying the dev corpus, /counts and /leaderboard agree with the export (contracts.md §2)."""

from __future__ import annotations

import json
import re
from datetime import datetime
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


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dispatcher, dict[str, Any]]:
    from tests.conftest import DEV_CORPUS

    if not (DEV_CORPUS / "messages.jsonl").is_file():
        pytest.skip(f"dev corpus not found at {DEV_CORPUS}")
    work = tmp_path_factory.mktemp("dev")
    db = f"sqlite:///{work / 'dev.db'}"
    messages, warc = str(DEV_CORPUS / "messages.jsonl"), str(DEV_CORPUS / "pages.warc.gz")
    assert main(["replay", messages, "--warc", warc, "--db", db, "--quiet"]) == 0
    assert main(["export", "--format", "json", "--db", db, "--out", str(work / "export.json")]) == 0
    export = json.loads(Path(work / "export.json").read_text())
    hub = Dispatcher(
        engine=make_engine(db), fetcher=WarcArchive([]), registry=load_registry(), config=HubConfig()
    )
    return hub, export


def run(hub: Dispatcher, text: str) -> str:
    """A command typed by a participant of the corpus (tg:1005) at the console."""
    inv = Invocation(
        participant_id="tg:1005",
        platform="console",
        chat_id="console",
        text=text,
        ts=datetime.fromisoformat("2025-09-19T20:00:00+02:00"),
        message_key=f"dev-test:{text}",
        vouched=True,
    )
    return hub.handle(inv)[0].text


def test_counts_agree_with_the_export(replayed: tuple[Dispatcher, dict[str, Any]]) -> None:
    hub, export = replayed
    text = run(hub, "/counts")
    shown = {key.lower().replace(" ", "_"): int(n) for key, n in re.findall(r"• ([A-Za-z ]+): (\d+)", text)}
    assert export["counts"]["thb_urls"] > 0 and export["counts"]["networks"] > 0
    for key, value in export["counts"].items():
        assert shown[key] == value, key


def test_the_leaderboard_agrees_with_the_export(replayed: tuple[Dispatcher, dict[str, Any]]) -> None:
    hub, export = replayed
    text = run(hub, "/leaderboard")
    board = re.findall(r"^\S+ (.+) \((\w\w)\) — ([\d.]+) pts", text, re.M)
    participants = export["participants"]
    assert len(board) == 10 and participants[0]["points"] > participants[9]["points"] > 0
    assert [(name, country, float(pts)) for name, country, pts in board] == [
        (p["name"], p["country"], p["points"]) for p in participants[:10]
    ]
    countries: dict[str, float] = {}
    for p in participants:
        countries[p["country"]] = countries.get(p["country"], 0.0) + p["points"]
    listed = re.findall(r"^\d+\. (\w\w) — ([\d.]+) pts", run(hub, "/leaderboard countries"), re.M)
    assert {c: float(pts) for c, pts in listed} == countries
    assert [float(pts) for _, pts in listed] == sorted(countries.values(), reverse=True)
