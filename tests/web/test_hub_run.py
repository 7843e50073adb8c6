"""`hub run` with WEB_PORT: the web view beside the Telegram adapter, /healthz over both."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import httpx
from sqlmodel import Session

from storage import web_keys
from storage.engine import make_engine
from tests.telegram.conftest import fake  # noqa: F401  (the fake Bot API fixture)
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.test_hub_run import HUB, hub_env, hub_running
from tests.web.conftest import free_port


def _healthy(url: str, timeout: float = 60.0) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        try:
            answer = httpx.get(url, timeout=5)
            if answer.status_code == 200 or time.monotonic() > deadline:
                return answer
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.3)


def test_hub_run_serves_the_web_view_and_reports_its_health(tmp_path: Path, fake: FakeBotApi) -> None:  # noqa: F811
    port = free_port()
    env = hub_env(tmp_path, fake, WEB_PORT=str(port))
    with hub_running(tmp_path, env) as ended:
        fake.wait_for("getUpdates", timeout=60)
        health = _healthy(f"http://127.0.0.1:{port}/healthz")
        engine = make_engine(env["DATABASE_URL"])
        with Session(engine) as session:
            venue = web_keys.key_of(web_keys.VENUE, session=session)
        engine.dispose()
        screen = httpx.get(f"http://127.0.0.1:{port}/screen?key={venue}", timeout=10)
    code, out, err = ended
    assert code == "0", err[-3000:]
    assert health.status_code == 200, health.text
    assert health.json() == {"ok": True, "database": True, "adapter_telegram": True, "scheduler": True}
    assert screen.status_code == 200 and "Action week" in screen.text
    assert f"http://127.0.0.1:{port}/screen?key={venue}" in out  # the operator is told where it is
    assert venue is not None and venue not in err  # and no log line carries a key


def test_hub_web_serves_a_database_and_prints_both_links(tmp_path: Path) -> None:
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'hub.db'}",
    }
    process = subprocess.Popen(
        [str(HUB), "web", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        health = _healthy(f"http://127.0.0.1:{port}/healthz")
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err[-3000:]
    assert health.json() == {"ok": True, "database": True}
    venue = re.search(r"venue screen \(for the wall\): (\S+)", out)
    coordinator = re.search(r"network view \(coordinators only\): (\S+)", out)
    assert venue and coordinator, out
    assert venue.group(1).startswith(f"http://127.0.0.1:{port}/screen?key=")
    assert coordinator.group(1).startswith(f"http://127.0.0.1:{port}/networks?key=")
