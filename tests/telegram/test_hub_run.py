"""`hub run` as a whole process: polls the fake Bot API, answers a paste and a command, stops on SIGTERM.

The pasted page is served by a local HTTP server on 127.0.0.1 (no internet here), so the process
runs with FETCH_ALLOW_PRIVATE=true; everything else is the production path.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.llm.fake_openai import FakeOpenAI, fake_openai
from tests.telegram.conftest import ANNA, GROUP
from tests.telegram.fake_bot_api import Call, FakeBotApi, parse_html
from tests.warcs import html

HUB = Path(sys.executable).with_name("hub")


class AdPage(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = html("Lina, new in town, only this week. WhatsApp +31 6 9876 5432")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def ad_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), AdPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/ad/7"
    server.shutdown()


def hub_env(tmp_path: Path, fake: FakeBotApi, **extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_BASE_URL": fake.url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'hub.db'}",
        "ALLOWED_CHATS": f"telegram:{GROUP}",
        "FETCH_ALLOW_PRIVATE": "true",
        **extra,
    }


@contextmanager
def hub_running(tmp_path: Path, env: dict[str, str]) -> Iterator[list[str]]:
    """`hub run` as its own process; on leaving, SIGTERM, then its exit code, stdout and stderr."""
    process = subprocess.Popen(
        [str(HUB), "run"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    ended: list[str] = []
    try:
        yield ended
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            out, err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
        ended += [str(process.returncode), out, err]


def test_hub_run_serves_telegram_until_sigterm(tmp_path: Path, fake: FakeBotApi, ad_url: str) -> None:
    with hub_running(tmp_path, hub_env(tmp_path, fake)) as ended:
        fake.wait_for("getUpdates", timeout=60)
        join = fake.send(GROUP, ANNA, "/join NL Anna")
        fake.wait_for("sendMessage", replying_to(join))
        paste = fake.send(GROUP, ANNA, f"new one {ad_url}")
        ack = fake.wait_for("sendMessage", replying_to(paste))[0]
        verdict = fake.wait_for(
            "editMessageText", lambda c: c.params["message_id"] == ack.result["message_id"]
        )[0]
        status = fake.send(GROUP, ANNA, "/status")
        answer = fake.wait_for("sendMessage", replying_to(status))[0]
    code, out, err = ended
    assert code == "0", err[-3000:]
    assert "#1 new" in parse_html(verdict.params["text"])
    assert "127[.]0[.]0[.]1" in parse_html(verdict.params["text"])
    assert verdict.params["link_preview_options"] == {"is_disabled": True}
    assert ack.params["link_preview_options"] == {"is_disabled": True}
    assert "Anna (NL)" in parse_html(answer.params["text"])
    assert fake.token not in out + err  # the token is part of every Bot API URL: never logged


def test_hub_run_posts_the_llms_second_opinion_under_the_verdict(
    tmp_path: Path, fake: FakeBotApi, ad_url: str
) -> None:
    """issue #9: the model runs after the verdict is posted; its note follows in the same thread."""
    opinion = {
        "language": "en",
        "summary": "Escort ad: a woman new in town, contact by WhatsApp only.",
        "translation": "",
        "indicators": [{"code": "new_in_town", "evidence": "new in town"}],
        "platform_kind": "escort",
        "confidence": 0.6,
    }
    with fake_openai(FakeOpenAI(structured=opinion)) as llm:
        env = hub_env(tmp_path, fake, LLM_MODEL="openai:test-model", LLM_BASE_URL=llm.url)
        with hub_running(tmp_path, env) as ended:
            fake.wait_for("getUpdates", timeout=60)
            join = fake.send(GROUP, ANNA, "/join NL Anna")
            fake.wait_for("sendMessage", replying_to(join))
            paste = fake.send(GROUP, ANNA, f"new one {ad_url}")
            ack = fake.wait_for("sendMessage", replying_to(paste))[0]
            fake.wait_for("editMessageText", lambda c: c.params["message_id"] == ack.result["message_id"])
            note = fake.wait_for(
                "sendMessage", lambda c: replying_to(paste)(c) and "second opinion" in c.params["text"]
            )[0]
    code, _out, err = ended
    assert code == "0", err[-3000:]
    text = parse_html(note.params["text"])
    assert text.startswith("🤖 #1 second opinion (openai:test-model, finding_extraction.v1)")
    assert "new in town, contact by WhatsApp only" in text
    assert note.params["chat_id"] == GROUP and note.params["link_preview_options"] == {"is_disabled": True}
    extractions = [r for r in llm.requests if "response_format" in r]
    assert len(extractions) == 1  # one reading for one new finding (a digest may ask for its narrative)


def test_a_paste_left_unanswered_by_a_crash_is_answered_after_the_restart(
    tmp_path: Path, fake: FakeBotApi, ad_url: str
) -> None:
    """The message was stored, then the process died before it was processed: at the next start
    it is processed and its verdict posted in the chat, saying why it comes late."""
    from datetime import UTC, datetime

    from sqlmodel import Session

    from storage import participants, submissions
    from storage.engine import make_engine, upgrade

    env = hub_env(tmp_path, fake)
    engine = make_engine(env["DATABASE_URL"])
    upgrade(engine)
    at = datetime(2025, 9, 15, 9, 4, tzinfo=UTC)
    with Session(engine) as session:
        participants.register_participant(
            f"tg:{ANNA['id']}", platform="telegram", name="Anna", country="NL", at=at, session=session
        )
        submissions.record_submission(
            message_key=f"telegram:{GROUP}:777",
            platform="telegram",
            chat_id=f"telegram:{GROUP}",
            participant_id=f"tg:{ANNA['id']}",
            ts=at,
            text=f"look at this one {ad_url}",
            received_at=at,
            session=session,
        )
        session.commit()
    engine.dispose()
    with hub_running(tmp_path, env) as ended:
        late = fake.wait_for("sendMessage", lambda c: "Delayed by a restart" in c.params.get("text", ""))[0]
    code, _out, err = ended
    assert code == "0", err[-3000:]
    text = parse_html(late.params["text"])
    assert late.params["chat_id"] == GROUP
    assert text.startswith("↻ Delayed by a restart — the answer to Anna's message of Mon 15 Sep 11:04:")
    assert "#1 new" in text and "127[.]0[.]0[.]1" in text  # the verdict, defanged


def replying_to(update: dict[str, Any]) -> Callable[[Call], bool]:
    message_id = update["message"]["message_id"]
    return lambda c: (c.params.get("reply_parameters") or {}).get("message_id") == message_id
