"""`hub replay` waits for the enrichments its messages queued; `hub eval-llm` scores the model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session

from bot.cli import main
from commands.llm_eval import truth_indicators
from extraction.analyse import analyse_page
from extraction.fetch.archive import WarcArchive
from extraction.llm.schema import normalised
from storage import enrichments
from storage.engine import make_engine
from tests.llm.conftest import AD_URL
from tests.llm.fake_openai import FakeOpenAI


@pytest.fixture
def llm_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake: FakeOpenAI) -> FakeOpenAI:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name, value in {
        "LLM_MODEL": "openai:test-model",
        "LLM_BASE_URL": fake.url,
        "LLM_TIMEOUT_S": "5",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.db'}",
    }.items():
        monkeypatch.setenv(name, value)
    return fake


def test_replay_waits_for_its_enrichments_and_lets_only_the_llm_through_the_block(
    llm_env: FakeOpenAI, tmp_path: Path, warc: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    user = {"id": "tg:1", "name": "Anna", "country": "NL"}
    lines = [
        {
            "ts": "2025-09-15T09:00:00+02:00",
            "platform": "telegram",
            "chat": "c",
            "user": user,
            "text": AD_URL,
        },
        {
            "ts": "2025-09-15T09:05:00+02:00",
            "platform": "telegram",
            "chat": "c",
            "user": user,
            "text": AD_URL,
        },
    ]
    messages = tmp_path / "messages.jsonl"
    messages.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'replay.db'}"

    code = main(["replay", str(messages), "--warc", str(warc), "--db", db, "--quiet"])

    err = capsys.readouterr().err
    assert code == 0
    assert "network attempts were blocked" not in err
    assert "LLM enrichments (openai:test-model): done 1; abandoned unfinished: 0" in err
    assert len(llm_env.requests) == 1
    with Session(make_engine(db)) as session:
        row = enrichments.enrichment_of(1, session=session)
    assert row is not None and row.status == "done" and row.summary


def test_eval_llm_without_a_model_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LLM_MODEL", "")
    assert main(["eval-llm"]) == 0
    assert "no LLM configured" in capsys.readouterr().out


def test_eval_llm_scores_the_model_per_code_against_the_corpus_truth(
    llm_env: FakeOpenAI, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A model that sees "new in town" everywhere: right where the page says it, dropped elsewhere.
    llm_env.structured = {
        "language": "en",
        "summary": "An ad.",
        "translation": "",
        "indicators": [{"code": "new_in_town", "evidence": "new in town"}],
        "platform_kind": "other",
        "confidence": 0.5,
    }
    limit = 25
    assert main(["eval-llm", "--corpus", str(corpus), "--limit", str(limit)]) == 0
    out = capsys.readouterr().out

    truth = truth_indicators(corpus)
    urls = sorted(truth)[:limit]
    archive = WarcArchive([corpus / "pages.warc.gz"])
    says = {}
    for url in urls:
        analysis = analyse_page(archive.fetch(url), url)
        says[url] = "new in town" in normalised(f"{analysis.title}\n{analysis.body}")
    tp = sum(says[u] and "new_in_town" in truth[u] for u in urls)
    fp = sum(says[u] and "new_in_town" not in truth[u] for u in urls)
    fn = sum(not says[u] and "new_in_town" in truth[u] for u in urls)
    assert len(llm_env.requests) == limit
    assert f"pages {limit}, answered by the model {limit}, failed 0" in out
    row = next(line for line in out.splitlines() if line.startswith("new_in_town "))
    precision = f"{tp / (tp + fp):.2f}" if tp + fp else "–"
    assert row.split()[1:4] == [str(tp + fn), precision, f"{tp / (tp + fn):.2f}" if tp + fn else "–"]
    assert not any(line.startswith("multiple_cities ") for line in out.splitlines())
