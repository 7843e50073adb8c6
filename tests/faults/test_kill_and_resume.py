"""kill -9 of a replay in the middle of 500 messages, then a restart: every message counts once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tests import corpora
from tests.conftest import REPO

HUB = [sys.executable, "-m", "bot.cli"]


def five_hundred_messages(path: Path) -> Path:
    """The week's chat, repeated with new times and message ids until it is 500 lines long."""
    chat = (corpora.week() / "messages.jsonl").read_text(encoding="utf-8")
    lines = [json.loads(x) for x in chat.splitlines() if x.strip()]
    out = []
    for n in range(500):
        line = dict(lines[n % len(lines)])
        round_ = n // len(lines)
        ts = datetime.fromisoformat(line["ts"]) + timedelta(days=7 * round_)
        line["ts"] = ts.isoformat()
        line["id"] = f"fault-{n}"
        out.append(json.dumps(line, ensure_ascii=False))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def replay(messages: Path, db: str, **kwargs: Any) -> subprocess.Popen[bytes]:
    warc = str(corpora.week() / "pages.warc.gz")
    return subprocess.Popen(
        [*HUB, "replay", str(messages), "--warc", warc, "--db", db, "--quiet"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        **kwargs,
    )


def export(db: str, out: Path) -> dict[str, Any]:
    subprocess.run(
        [*HUB, "export", "--format", "json", "--db", db, "--out", str(out)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    doc = json.loads(out.read_text())
    doc.pop("generated_at")
    return doc


def done_count(path: Path) -> int:
    try:
        with sqlite3.connect(path, timeout=5) as conn:
            return int(conn.execute("select count(*) from submissions where status='done'").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_kill_minus_nine_mid_replay_then_restart_counts_every_message_once(tmp_path: Path) -> None:
    messages = five_hundred_messages(tmp_path / "500.jsonl")
    clean_db, killed_db = tmp_path / "clean.db", tmp_path / "killed.db"

    assert replay(messages, f"sqlite:///{clean_db}").wait(timeout=300) == 0

    victim = replay(messages, f"sqlite:///{killed_db}")
    deadline = time.monotonic() + 120
    while done_count(killed_db) < 150 and time.monotonic() < deadline and victim.poll() is None:
        time.sleep(0.05)
    assert victim.poll() is None, "the replay finished before it could be killed"
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    interrupted_at = done_count(killed_db)
    assert 150 <= interrupted_at < 500

    assert replay(messages, f"sqlite:///{killed_db}").wait(timeout=300) == 0

    with sqlite3.connect(killed_db) as conn:
        statuses = dict(conn.execute("select status, count(*) from submissions group by status").fetchall())
        reports = conn.execute("select count(*) from reports").fetchone()[0]
    with sqlite3.connect(clean_db) as conn:
        clean_reports = conn.execute("select count(*) from reports").fetchone()[0]
    assert statuses == {"done": 500}
    assert reports == clean_reports
    assert export(f"sqlite:///{killed_db}", tmp_path / "k.json") == export(
        f"sqlite:///{clean_db}", tmp_path / "c.json"
    )
