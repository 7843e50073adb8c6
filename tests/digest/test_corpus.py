"""After replaying a week, the digest's figures are the export's (same queries as /counts)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from bot.cli import main
from commands.digest.facts import gather
from storage.engine import make_engine
from tests.synthetic.week import FIRST_DAY

LABELS = {
    "potential victims": "potential_victims",
    "potential perpetrators": "potential_perpetrators",
    "platforms checked": "platforms_checked",
    "THB URLs": "thb_urls",
    "social profiles": "social_profiles",
    "networks": "networks",
    "could not open (in no figure)": "could_not_open",
}
ZONE = "Europe/Amsterdam"
LAST_DAY = FIRST_DAY + timedelta(days=4)  # the week's Friday
SINCE = LAST_DAY.replace(hour=8)


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory, week_corpus: Path) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("digest-week")
    db = f"sqlite:///{work / 'hub.db'}"
    messages, warc = str(week_corpus / "messages.jsonl"), str(week_corpus / "pages.warc.gz")
    assert main(["replay", messages, "--warc", warc, "--db", db, "--quiet"]) == 0
    assert main(["export", "--format", "json", "--db", db, "--out", str(work / "export.json")]) == 0
    return {"db": db, "work": work, "export": json.loads((work / "export.json").read_text())}


def dry_run(replayed: dict[str, Any], capsys: pytest.CaptureFixture[str], *args: str) -> str:
    png = replayed["work"] / "chart.png"
    assert main(["digest", "--dry-run", "--db", replayed["db"], "--png", str(png), *args]) == 0
    out = capsys.readouterr()
    assert "nothing was posted or recorded" in out.err
    assert png.read_bytes().startswith(b"\x89PNG")
    png.unlink()
    return out.out


def test_the_evening_digest_figures_equal_the_export_counts(
    replayed: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    text = dry_run(
        replayed, capsys, "--slot", "evening", "--at", LAST_DAY.replace(hour=19).strftime("%Y-%m-%dT%H:%M")
    )
    shown = {}
    for line in text.splitlines():
        match = re.fullmatch(r"• (.+): \+(\d+) · (\d+)", line)
        if match and match.group(1) in LABELS:
            shown[LABELS[match.group(1)]] = int(match.group(3))
    assert shown == replayed["export"]["counts"]
    assert replayed["export"]["counts"]["thb_urls"] > 0 and replayed["export"]["counts"]["networks"] > 0
    findings = re.search(r"^• findings: \+\d+ · (\d+)$", text, re.M)
    counted = [f for f in replayed["export"]["findings"] if f["counted"]]
    assert findings and int(findings.group(1)) == len(counted)
    assert replayed["export"]["counts"]["could_not_open"] == len(replayed["export"]["findings"]) - len(
        counted
    )
    assert replayed["export"]["counts"]["could_not_open"] > 0  # the week holds 404s and an image


def test_new_since_the_last_digest_matches_the_exported_findings(replayed: dict[str, Any]) -> None:
    exported = replayed["export"]["findings"]
    fresh = [f for f in exported if f["counted"] and datetime.fromisoformat(f["reported_at"]) >= SINCE]
    engine = make_engine(replayed["db"])
    with Session(engine) as session:
        facts = gather(slot="evening", now=SINCE, since=SINCE, timezone=ZONE, session=session)
        everything = gather(slot="evening", now=SINCE, since=None, timezone=ZONE, session=session)
    engine.dispose()
    assert 0 < facts.new.findings == len(fresh) < len(exported)
    assert facts.new.thb_urls == sum(f["thb_suspect"] for f in fresh)
    assert facts.new.social_profiles == sum(f["platform_kind"] == "social" for f in fresh)
    # Counted from the beginning, every "new" figure is the total: the two query sets agree.
    totals = everything.totals
    assert (
        everything.new.findings,
        everything.new.thb_urls,
        everything.new.social_profiles,
        everything.new.platforms_checked,
        everything.new.platforms_with_indications,
        everything.new.potential_victims,
        everything.new.potential_perpetrators,
        everything.new_networks,
        everything.new.could_not_open,
    ) == (
        totals.findings,
        totals.thb_urls,
        totals.social_profiles,
        totals.platforms_checked,
        totals.platforms_with_indications,
        totals.potential_victims,
        totals.potential_perpetrators,
        totals.networks,
        totals.could_not_open,
    )
    grown = {f"N{n.id}" for n in facts.network_news}
    touched = {f["network"] for f in fresh if f["network"]}
    thb_networks = {n["id"] for n in replayed["export"]["networks"] if n.get("thb", True)}
    assert grown == touched & thb_networks


def test_the_morning_digest_carries_the_rules_and_the_work(
    replayed: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    text = dry_run(replayed, capsys, "--slot", "morning", "--at", SINCE.strftime("%Y-%m-%dT%H:%M"))
    heading, since = text.splitlines()[:2]
    assert heading == f"☀️ *Morning digest* — {SINCE:%a %d %b} 08:00 (Europe/Amsterdam)"
    assert since.startswith(f"Since {SINCE - timedelta(days=1):%a %d %b} 19:00:")
    assert "Rules of engagement: no contact with subjects" in text
    assert re.search(r"^\*Awaiting coordinator judgement:\* \d+$", text, re.M)
    assert "http://" not in text and "https://" not in text


def test_bad_at_is_refused(replayed: dict[str, Any]) -> None:
    with pytest.raises(SystemExit, match="not HH:MM or an ISO date-time"):
        main(["digest", "--dry-run", "--db", replayed["db"], "--at", "tomorrow"])
