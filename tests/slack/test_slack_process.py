"""`hub run` as a whole process in Slack HTTP mode: signed deliveries in, Web API calls out, SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.slack.fake_api import FakeSlack
from tests.slack.harness import (
    BOT_TOKEN,
    SIGNING_SECRET,
    PageServer,
    SlackSide,
    event_body,
    free_port,
    wait_for_port,
)
from tests.warcs import html

HUB = Path(sys.executable).parent / "hub"


@pytest.fixture
def pages() -> Iterator[PageServer]:
    server = PageServer({"/ad/7": html("Lena, 21, new in town, call +49 151 2345 6789").decode()})
    yield server
    server.close()


def test_hub_run_serves_slack_over_http_and_stops_on_sigterm(tmp_path: Path, pages: PageServer) -> None:
    port = free_port()
    with FakeSlack.running() as fake:
        keep = ("PATH", "HOME", "LANG", "HUB_TEST_PG_ADMIN")
        env = {k: v for k, v in os.environ.items() if k in keep}
        env.update(
            DATABASE_URL=f"sqlite:///{tmp_path / 'hub.db'}",
            ALLOWED_CHATS="slack:CTHB01",
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_MODE="http",
            SLACK_HTTP_PORT=str(port),
            SLACK_API_URL=fake.api_url,
            FETCH_ALLOW_PRIVATE="true",
        )
        # cwd: a directory without a .env, so only these variables configure the process.
        process = subprocess.Popen(
            [str(HUB), "run"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            wait_for_port(port, timeout_s=60)
            slack = SlackSide(port)
            assert slack.slash("join DE Lena", user="ULENA", channel="CTHB01").status_code == 200
            fake.wait_text("chat.postEphemeral", "Welcome", timeout_s=30)
            body = event_body(f"<{pages.url('/ad/7')}>", user="ULENA", channel="CTHB01")
            assert slack.event(body).status_code == 200
            verdict = fake.wait_text("chat.postMessage", "new", timeout_s=30)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                _, err = process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                raise
    assert process.returncode == 0, err.decode()[-2000:]
    assert verdict.params["thread_ts"] == body["event"]["ts"]
    assert verdict.params["unfurl_links"] is False and verdict.token == BOT_TOKEN
    logged = err.decode()
    assert BOT_TOKEN not in logged and SIGNING_SECRET not in logged  # secrets never logged
