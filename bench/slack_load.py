"""Load benchmark (not a test): a burst of pastes through the Slack adapter in HTTP mode.

    .venv/bin/python bench/slack_load.py [--pastes 1000] [--users 73] [--db URL]

73 participants join with `/hub join`, then every paste is sent at once as a signed
event_callback to the Bolt app (`bot.slack.adapter.serve`), pages come from a local server on
127.0.0.1, and the Web API is the recording fake from the tests. The hub runs as its own
process (`hub run`, as deployed), so the load generator does not share its interpreter. Reports
the acknowledgement time of each delivery (Slack gives up after 3 s) and the time until the
last threaded verdict.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.slack.fake_api import FakeSlack  # noqa: E402
from tests.slack.harness import (  # noqa: E402
    BOT_TOKEN,
    SIGNING_SECRET,
    PageServer,
    SlackSide,
    event_body,
    free_port,
    signed_headers,
    wait_for_port,
)
from tests.warcs import html  # noqa: E402

CHANNEL = "CLOAD01"
COUNTRIES = ["NL", "DE", "RO", "BG", "FR", "ES", "IT", "PL", "BE", "AT", "PT", "SE", "HU", "CZ"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def burst(port: int, bodies: list[bytes]) -> tuple[list[float], list[int], float]:
    """Send every delivery at once; returns ack seconds, status codes and the burst's start.

    aiohttp rather than httpx: httpx's pool slows down badly with a thousand open connections,
    which would measure the load generator instead of the hub."""
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(f"http://127.0.0.1:{port}", connector=connector) as client:

        async def one(body: bytes) -> tuple[float, int]:
            headers = {"Content-Type": "application/json", **signed_headers(body)}
            sent = time.perf_counter()
            async with client.post("/slack/events", data=body, headers=headers) as response:
                await response.read()
                return time.perf_counter() - sent, response.status

        start = time.perf_counter()
        results = await asyncio.gather(*(one(body) for body in bodies))
    return [r[0] for r in results], [r[1] for r in results], start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pastes", type=int, default=1000)
    parser.add_argument("--users", type=int, default=73)
    parser.add_argument("--unique", type=float, default=0.7, help="share of pastes that are new pages")
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="slack-load-"))
    db_url = args.db or f"sqlite:///{workdir / 'hub.db'}"
    unique = max(1, int(args.pastes * args.unique))
    pages = PageServer(
        {
            f"/ad/{n}": html(f"Girl {n}, new in town. Call +31 6 {10000000 + n * 7919 % 89999999}").decode()
            for n in range(unique)
        }
    )
    users = [f"ULOAD{n:03d}" for n in range(args.users)]
    port = free_port()
    with FakeSlack.running() as fake:
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
        env.update(
            DATABASE_URL=db_url,
            ALLOWED_CHATS=f"slack:{CHANNEL}",
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_MODE="http",
            SLACK_HTTP_PORT=str(port),
            SLACK_API_URL=fake.api_url,
            FETCH_ALLOW_PRIVATE="true",
        )
        log = (workdir / "hub.log").open("wb")
        hub = subprocess.Popen(
            [str(Path(sys.executable).parent / "hub"), "run"], cwd=workdir, env=env, stdout=log, stderr=log
        )
        try:
            wait_for_port(port, timeout_s=60)
            slack = SlackSide(port)
            for n, user in enumerate(users):
                slack.slash(
                    f"join {COUNTRIES[n % len(COUNTRIES)]} Investigator {n}", user=user, channel=CHANNEL
                )
            fake.wait_text("chat.postMessage", f"Investigator {len(users) - 1}", timeout_s=120)
            bodies = [
                json.dumps(
                    event_body(
                        f"<{pages.url(f'/ad/{n % unique}')}>", user=users[n % len(users)], channel=CHANNEL
                    )
                ).encode()
                for n in range(args.pastes)
            ]
            acks, statuses, start = asyncio.run(burst(port, bodies))
            acked = time.perf_counter() - start
            deadline = time.monotonic() + 600
            while len([c for c in fake.of("chat.postMessage") if c.params.get("thread_ts")]) < args.pastes:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.02)
            last_verdict = time.perf_counter() - start
            verdicts = len([c for c in fake.of("chat.postMessage") if c.params.get("thread_ts")])
            auth_tests = len(fake.of("auth.test"))
        finally:
            hub.send_signal(signal.SIGTERM)
            hub.wait(60)
            pages.close()
    print(
        f"pastes: {args.pastes} from {args.users} users ({unique} distinct pages), db: {db_url.split(':')[0]}"
    )
    print(f"auth.test calls: {auth_tests}")
    print(f"statuses: { {s: statuses.count(s) for s in set(statuses)} }")
    print(
        f"ack: p50 {statistics.median(acks) * 1000:.0f} ms, p99 {percentile(acks, 0.99) * 1000:.0f} ms, "
        f"max {max(acks) * 1000:.0f} ms; over 3 s: {sum(a > 3 for a in acks)}"
    )
    print(
        f"verdicts: {verdicts}/{args.pastes}; last verdict {last_verdict:.1f} s after the burst began "
        f"({verdicts / last_verdict:.0f}/s); all acknowledged after {acked:.1f} s; log: {workdir / 'hub.log'}"
    )
    return 0 if verdicts == args.pastes and set(statuses) == {200} else 1


if __name__ == "__main__":
    sys.exit(main())
