"""#18 item 4: no secret is ever printed — a rejected token is one line, URL passwords are masked."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.logsafe import RedactSecrets, secrets_of
from bot.settings import Settings
from tests.slack.fake_api import FakeSlack
from tests.telegram.fake_bot_api import FakeBotApi

HUB = Path(sys.executable).with_name("hub")
WRONG_TOKEN = "999999:AAH-wrong-token-the-fake-rejects"
REJECTED = "hub: Telegram rejected the bot token; check TELEGRAM_BOT_TOKEN"


def test_a_rejected_token_is_one_line_without_the_token(tmp_path: Path) -> None:
    with FakeBotApi().running() as api:  # answers 401 to any token but its own
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(tmp_path),
            "TELEGRAM_BOT_TOKEN": WRONG_TOKEN,
            "TELEGRAM_BASE_URL": api.url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'hub.db'}",
            "ALLOWED_CHATS": "telegram:-100777",
        }
        done = subprocess.run(
            [str(HUB), "run"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )
        asked = list(api.rejected)
    output = done.stdout + done.stderr
    assert "getMe" in asked  # the fake really was asked, and said 401
    assert done.returncode == 2, output[-2000:]
    assert WRONG_TOKEN not in output and WRONG_TOKEN.split(":")[1] not in output
    assert "Traceback" not in output
    assert output.splitlines().count(REJECTED) == 1
    assert [line for line in output.splitlines() if "token" in line.lower()] == [REJECTED]


def test_the_console_start_line_masks_the_database_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env
    for name in ("TELEGRAM_BOT_TOKEN", "SLACK_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    # Port 1 on loopback: nothing listens, so the start goes no further than the line.
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://hub:Pw-s3cret-9@127.0.0.1:1/hub")
    code = main(["run"])
    out, err = capsys.readouterr()
    assert "Pw-s3cret-9" not in out + err
    assert "starting the console chat on postgresql+psycopg://hub:***@127.0.0.1:1/hub." in out
    assert code == 2


def test_every_logger_and_traceback_is_scrubbed_of_tokens_and_url_passwords() -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        telegram_bot_token=WRONG_TOKEN,
        database_url="postgresql+psycopg://hub:Db-pass-77@db.internal/hub",
    )
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets(secrets_of(settings)))
    log = logging.getLogger("tests.startup.some.library")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("POST https://api.telegram.org/bot%s/getMe", WRONG_TOKEN)
        log.warning("proxy socks5://me:Proxy-pw-1@127.0.0.1:9050 refused")
        try:
            raise RuntimeError(f"The token `{WRONG_TOKEN}` was rejected; db Db-pass-77")
        except RuntimeError:
            log.exception("start failed")
    finally:
        log.removeHandler(handler)
    logged = stream.getvalue()
    assert "bot***/getMe" in logged and "socks5://me:***@127.0.0.1:9050" in logged
    assert "start failed" in logged and "Traceback" in logged
    for secret in (WRONG_TOKEN, "Proxy-pw-1", "Db-pass-77"):
        assert secret not in logged


def test_an_uncaught_traceback_is_scrubbed(tmp_path: Path) -> None:
    script = (
        "from bot.logsafe import configure_logging\n"
        "from bot.settings import Settings\n"
        "configure_logging(Settings(_env_file=None))\n"
        "raise RuntimeError('token 999999:AAH-wrong-token-the-fake-rejects at postgresql://u:Pw-x1@h/db')\n"
    )
    env = {"PATH": os.environ.get("PATH", ""), "TELEGRAM_BOT_TOKEN": WRONG_TOKEN}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=Path(__file__).parents[2], env=env, capture_output=True, text=True
    )
    assert done.returncode == 1 and "RuntimeError" in done.stderr
    assert WRONG_TOKEN not in done.stderr and "Pw-x1" not in done.stderr
    assert "postgresql://u:***@h/db" in done.stderr


@pytest.mark.parametrize(
    ("mode", "refused", "line"),
    [
        ("http", "auth.test", "hub: Slack rejected the bot token; check SLACK_BOT_TOKEN"),
        ("socket", "apps.connections.open", "hub: Slack rejected the app-level token; check SLACK_APP_TOKEN"),
    ],
)
def test_a_rejected_slack_token_is_one_line_without_the_token(
    tmp_path: Path, mode: str, refused: str, line: str
) -> None:
    bot_token, app_token = "xoxb-999-wrong-bot-token", "xapp-1-wrong-app-token"
    with FakeSlack.running() as fake:
        fake.errors[refused] = "invalid_auth"
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(tmp_path),
            "SLACK_BOT_TOKEN": bot_token,
            "SLACK_APP_TOKEN": app_token,
            "SLACK_SIGNING_SECRET": "wrong-signing-secret",
            "SLACK_MODE": mode,
            "SLACK_HTTP_PORT": "0",
            "SLACK_API_URL": fake.api_url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'hub.db'}",
            "ALLOWED_CHATS": "slack:CTHB01",
        }
        done = subprocess.run(
            [str(HUB), "run"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )
        asked = [call.method for call in fake.calls]
    output = done.stdout + done.stderr
    assert refused in asked  # the fake really was asked, and refused
    assert done.returncode == 2, output[-2000:]
    assert bot_token not in output and app_token not in output
    assert "Traceback" not in output
    assert [text for text in output.splitlines() if "token" in text.lower()] == [line]
