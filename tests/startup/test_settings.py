"""#18 item 9: a bad setting or an unreachable database stops the start with one line and exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

HUB = Path(sys.executable).with_name("hub")


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean environment: no .env, no chat tokens, a database under tmp_path."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(("TELEGRAM_", "SLACK_", "LLM_", "DIGEST_", "FETCH_")) or name in (
            "ALLOWED_CHATS",
            "TIMEZONE",
            "DATABASE_URL",
        ):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'hub.db'}")
    return tmp_path


@pytest.mark.parametrize(
    ("name", "value", "line"),
    [
        (
            "TIMEZONE",
            "Mars/Phobos",
            "hub: TIMEZONE: 'Mars/Phobos' is not a time zone name like Europe/Amsterdam",
        ),
        ("DIGEST_MORNING", "25:00", "hub: DIGEST_MORNING: '25:00' is not a time as HH:MM (00:00–23:59)"),
        ("DIGEST_EVENING", "7pm", "hub: DIGEST_EVENING: '7pm' is not a time as HH:MM (00:00–23:59)"),
        (
            "ALLOWED_CHATS",
            "telegram:-100777,-100123",
            "hub: ALLOWED_CHATS: '-100123' needs a platform prefix, e.g. telegram:-100123",
        ),
        (
            "ALLOWED_CHATS",
            "telegram:",
            "hub: ALLOWED_CHATS: 'telegram:' names no chat after the prefix, e.g. telegram:-100123",
        ),
    ],
)
def test_a_bad_setting_is_one_line_and_exit_2(
    env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
    line: str,
) -> None:
    monkeypatch.setenv(name, value)
    code = main(["run"])
    out, err = capsys.readouterr()
    assert code == 2
    assert (out + err).splitlines() == [line]
    assert not (env / "hub.db").exists()  # stopped before anything was started


def test_several_bad_settings_are_a_line_each(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TIMEZONE", "Mars/Phobos")
    monkeypatch.setenv("DIGEST_MORNING", "25:00")
    assert main(["digest", "--dry-run"]) == 2
    out, err = capsys.readouterr()
    assert [line.split(":")[1].strip() for line in (out + err).splitlines()] == ["TIMEZONE", "DIGEST_MORNING"]


def test_an_unreachable_database_is_one_line_and_exit_2(env: Path) -> None:
    # Port 1 on loopback: nothing listens there.
    url = "postgresql+psycopg://hub:Db-pw-5@127.0.0.1:1/hub"
    done = subprocess.run(
        [str(HUB), "chat"],
        cwd=env,
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(env), "DATABASE_URL": url},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    lines = (done.stdout + done.stderr).splitlines()
    assert done.returncode == 2, done.stderr[-2000:]
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert lines[0].startswith(
        "hub: DATABASE_URL: cannot reach the database at postgresql+psycopg://hub:***@127.0.0.1:1/hub"
    )
    assert "Db-pw-5" not in lines[0]


def test_good_settings_still_start(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TIMEZONE", "Europe/Bucharest")
    monkeypatch.setenv("DIGEST_MORNING", "07:30")
    monkeypatch.setenv("ALLOWED_CHATS", "telegram:-100777, slack:C0123")
    assert main(["db", "current"]) == 0
    assert "database at revision" in capsys.readouterr().out
