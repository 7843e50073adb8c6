"""Drives the Slack adapter the way Slack does: signed HTTP requests to /slack/events.

`SlackSide` runs `bot.slack.adapter.serve` (HTTP mode) in a thread with its own event loop and sends
events, slash commands and button presses signed with HMAC-SHA256 v0, computed here
independently of Bolt. `PageServer` serves ad pages on 127.0.0.1 and can hold a page back.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

import httpx

from bot.settings import Settings
from commands.core.dispatcher import Dispatcher
from commands.core.poster import ChatPoster

SIGNING_SECRET = "test-signing-secret-3f9a"
BOT_TOKEN = "xoxb-test-0000-hub"
_ids = itertools.count(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def signed_headers(body: bytes, *, secret: str = SIGNING_SECRET, at: int | None = None) -> dict[str, str]:
    """Slack's request signature: v0=HMAC-SHA256(secret, "v0:<timestamp>:<body>")."""
    stamp = str(at if at is not None else int(time.time()))
    digest = hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


def event_body(
    text: str, *, user: str, channel: str, ts: float | None = None, event_id: str | None = None
) -> dict[str, Any]:
    stamp = f"{ts if ts is not None else time.time():.6f}"
    return {
        "token": "legacy",
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_ids):08d}",
        "event_time": int(float(stamp)),
        "event": {
            "type": "message",
            "user": user,
            "text": text,
            "ts": stamp,
            "channel": channel,
            "channel_type": "im" if channel.startswith("D") else "channel",
            "event_ts": stamp,
        },
    }


def slash_form(text: str, *, user: str, channel: str, user_name: str = "") -> dict[str, str]:
    """The fields Slack sends for `/hub <text>` (form-encoded over HTTP, a dict over Socket Mode)."""
    return {
        "token": "legacy",
        "team_id": "T1",
        "channel_id": channel,
        "channel_name": "directmessage" if channel.startswith("D") else "thb",
        "user_id": user,
        "user_name": user_name or user.lower(),
        "command": "/hub",
        "text": text,
        "api_app_id": "A1",
        "response_url": f"http://127.0.0.1:9/commands/{next(_ids)}",
        "trigger_id": f"{next(_ids)}.1.abc",
    }


class SlackSide:
    """The Slack platform as seen by the adapter: sends signed deliveries to its port."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)

    def deliver(
        self, body: bytes, content_type: str, *, extra: dict[str, str] | None = None
    ) -> httpx.Response:
        headers = {"Content-Type": content_type, **signed_headers(body), **(extra or {})}
        return self.http.post("/slack/events", content=body, headers=headers)

    def event(self, body: dict[str, Any], *, retry: int | None = None) -> httpx.Response:
        extra = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return self.deliver(json.dumps(body).encode(), "application/json", extra=extra)

    def slash(self, text: str, *, user: str, channel: str, user_name: str = "") -> httpx.Response:
        form = slash_form(text, user=user, channel=channel, user_name=user_name)
        return self.deliver(urlencode(form).encode(), "application/x-www-form-urlencoded")

    def press(
        self, element: dict[str, Any], *, user: str, channel: str, message: dict[str, Any]
    ) -> httpx.Response:
        payload = {
            "type": "block_actions",
            "user": {"id": user, "username": user.lower(), "team_id": "T1"},
            "api_app_id": "A1",
            "team": {"id": "T1"},
            "container": {"type": "message", "message_ts": message["ts"], "channel_id": channel},
            "trigger_id": f"{next(_ids)}.1.def",
            "channel": {"id": channel, "name": "thb"},
            "message": message,
            "response_url": f"http://127.0.0.1:9/actions/{next(_ids)}",
            "actions": [
                {
                    "type": "button",
                    "action_id": element["action_id"],
                    "block_id": "b1",
                    "text": element["text"],
                    "value": element["value"],
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.deliver(body, "application/x-www-form-urlencoded")


@contextmanager
def running_adapter(
    hub: Dispatcher, settings: Settings, ready: Callable[[list[BaseException]], None] | None = None
) -> Iterator[SlackSide]:
    """`bot.slack.adapter.serve` in a thread; leaving the block sets `stop` and waits for the drain, so
    everything acknowledged has finished when the test asserts. `ready` waits until the adapter
    can be reached (default: its HTTP port listens; Socket Mode tests wait for the connection)."""
    from bot.slack.adapter import serve

    loop = asyncio.new_event_loop()
    stop_box: list[asyncio.Event] = []
    posters: dict[str, ChatPoster] = {}
    failure: list[BaseException] = []

    async def main() -> None:
        stop = asyncio.Event()
        stop_box.append(stop)
        await serve(hub, settings, stop, posters)

    def run() -> None:
        try:
            loop.run_until_complete(main())
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    if ready is None:
        wait_for_port(settings.slack_http_port, failure)
    else:
        ready(failure)
    try:
        yield SlackSide(settings.slack_http_port)
    finally:
        if stop_box:
            loop.call_soon_threadsafe(stop_box[0].set)
        thread.join(60)
        loop.close()
        if failure:
            raise failure[0]


def wait_for_port(port: int, failure: list[BaseException] | None = None, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if failure:
            raise failure[0]
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on port {port}")


class PageServer:
    """Ad pages on 127.0.0.1; a path in `held` is answered only after `release(path)`."""

    def __init__(self, pages: dict[str, str]) -> None:
        self.pages = pages
        self.held: dict[str, threading.Event] = {}
        self.requested: list[str] = []
        self.arrived = threading.Condition()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with server.arrived:
                    server.requested.append(self.path)
                    server.arrived.notify_all()
                gate = server.held.get(self.path)
                if gate is not None:
                    gate.wait(30)
                body = server.pages.get(self.path)
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hold(self, path: str) -> None:
        self.held[path] = threading.Event()

    def release(self, path: str) -> None:
        self.held.pop(path).set()

    def wait_requested(self, path: str, timeout_s: float = 15) -> None:
        with self.arrived:
            if not self.arrived.wait_for(lambda: path in self.requested, timeout_s):
                raise AssertionError(f"{path} was never requested")

    def close(self) -> None:
        for gate in self.held.values():
            gate.set()
        self.httpd.shutdown()
        self.httpd.server_close()
