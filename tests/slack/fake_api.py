"""A fake Slack Web API on 127.0.0.1: real HTTP, Slack's response shapes, every call recorded.

Runs its own event loop in a thread so synchronous tests, a subprocess under test and the
load benchmark can all talk to it. Like bolt-python's `mock_web_api_server`, but it records the
decoded parameters so tests assert on what Slack would have received.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = "UHUBBOT"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str | None
    answer: dict[str, Any] = field(default_factory=dict)


@dataclass
class FakeSlack:
    """Start with `with FakeSlack.running() as fake:`; `fake.api_url` is SLACK_API_URL."""

    calls: list[Call] = field(default_factory=list)
    port: int = 0
    held: set[str] = field(default_factory=set)  # methods whose answer waits for `release`
    errors: dict[str, str] = field(default_factory=dict)  # method → Slack error code to answer with
    _lock: threading.Condition = field(default_factory=threading.Condition)
    _ts: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    uploads: dict[str, bytes] = field(default_factory=dict)
    # Socket Mode: the connection the bot opened (apps.connections.open → /link) and what it sent.
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    acks: list[dict[str, Any]] = field(default_factory=list)
    _loop: asyncio.AbstractEventLoop | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    # --- what tests use -------------------------------------------------------------------

    def of(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout_s: float = 15.0) -> list[Call]:
        """Block until `method` was called at least `count` times; fail loudly otherwise."""
        deadline = time.monotonic() + timeout_s
        with self._lock:
            while True:
                found = [c for c in self.calls if c.method == method]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(f"{method} called {len(found)} times, wanted {count}; saw {seen}")
                self._lock.wait(remaining)

    def wait_text(self, method: str, contains: str, timeout_s: float = 15.0) -> Call:
        """The first `method` call whose `text` contains `contains` (waits for it)."""
        deadline = time.monotonic() + timeout_s
        with self._lock:
            while True:
                for call in self.calls:
                    if call.method == method and contains in str(call.params.get("text", "")):
                        return call
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    texts = [str(c.params.get("text", ""))[:80] for c in self.calls if c.method == method]
                    raise AssertionError(f"no {method} with {contains!r}; texts were {texts}")
                self._lock.wait(remaining)

    def wait_socket(self, timeout_s: float = 15.0) -> None:
        """Block until the bot has connected over Socket Mode."""
        deadline = time.monotonic() + timeout_s
        with self._lock:
            while not self.sockets:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError("the bot never connected over Socket Mode")
                self._lock.wait(remaining)

    def push(self, envelope: dict[str, Any]) -> None:
        """Send one Socket Mode envelope to the connected bot, as Slack does."""
        assert self._loop is not None and self.sockets
        asyncio.run_coroutine_threadsafe(self.sockets[-1].send_json(envelope), self._loop).result(10)

    def wait_ack(self, envelope_id: str, timeout_s: float = 15.0) -> dict[str, Any]:
        """The bot's acknowledgement of an envelope (Slack redelivers unacknowledged ones)."""
        deadline = time.monotonic() + timeout_s
        with self._lock:
            while True:
                for ack in self.acks:
                    if ack.get("envelope_id") == envelope_id:
                        return ack
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"envelope {envelope_id} was never acknowledged; got {self.acks}")
                self._lock.wait(remaining)

    def hold(self, method: str) -> None:
        with self._lock:
            self.held.add(method)

    def release(self, method: str) -> None:
        with self._lock:
            self.held.discard(method)
            self._lock.notify_all()

    # --- the server -----------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth else params.get("token")
        answer = self._answer(method, params, request)
        with self._lock:
            self.calls.append(Call(method, params, token, answer))
            self._lock.notify_all()
        while method in self.held:  # polled: the lock belongs to test threads, not to this loop
            await asyncio.sleep(0.01)
        return web.json_response(answer)

    def _answer(self, method: str, params: dict[str, Any], request: web.Request) -> dict[str, Any]:
        ts = f"{1757926800 + next(self._ts)}.000100"
        if method in self.errors:
            return {"ok": False, "error": self.errors[method]}
        channel = params.get("channel") or params.get("channel_id") or "C0"
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://{request.host}/link"}
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER, "bot_id": "BHUB", "team_id": "T1", "user": "hub"}
        if method == "chat.postMessage":
            return {
                "ok": True,
                "channel": channel,
                "ts": ts,
                "message": {"ts": ts, "text": params.get("text")},
            }
        if method == "chat.update":
            return {"ok": True, "channel": channel, "ts": params.get("ts"), "text": params.get("text")}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(params.get("users", "U0")).lstrip("U")}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts)}"
            return {"ok": True, "file_id": file_id, "upload_url": f"http://{request.host}/upload/{file_id}"}
        if method == "files.completeUploadExternal":
            files = params.get("files") or []
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        if method in ("pins.add", "reactions.add"):
            return {"ok": True}
        return {"ok": False, "error": "unknown_method"}

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Slack's Socket Mode end: hello first, then envelopes pushed by tests; acks recorded."""
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}})
        with self._lock:
            self.sockets.append(ws)
            self._lock.notify_all()
        async for message in ws:
            if message.type == web.WSMsgType.TEXT:
                with self._lock:
                    self.acks.append(json.loads(message.data))
                    self._lock.notify_all()
        return ws

    async def _upload(self, request: web.Request) -> web.Response:
        data = await request.read()
        with self._lock:
            self.uploads[request.match_info["file_id"]] = data
            self.calls.append(Call("upload", {"file_id": request.match_info["file_id"]}, None))
            self._lock.notify_all()
        return web.Response(text=f"OK - {len(data)}")

    @classmethod
    @contextmanager
    def running(cls) -> Iterator[FakeSlack]:
        fake = cls()
        loop = asyncio.new_event_loop()
        ready = threading.Event()
        runner_box: list[web.AppRunner] = []

        async def start() -> None:
            app = web.Application(client_max_size=20_000_000)
            app.add_routes(
                [
                    web.post("/api/{method}", fake._api),
                    web.post("/upload/{file_id}", fake._upload),
                    web.get("/link", fake._socket),
                ]
            )
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            fake.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            runner_box.append(runner)
            ready.set()

        fake._loop = loop
        thread = threading.Thread(target=loop.run_forever, daemon=True)
        thread.start()
        asyncio.run_coroutine_threadsafe(start(), loop).result(10)
        ready.wait(10)
        try:
            yield fake
        finally:
            fake.held.clear()
            for ws in list(fake.sockets):
                asyncio.run_coroutine_threadsafe(ws.close(), loop).result(10)
            asyncio.run_coroutine_threadsafe(runner_box[0].cleanup(), loop).result(10)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)
            loop.close()


async def _params(request: web.Request) -> dict[str, Any]:
    """slack_sdk sends JSON bodies for chat.* with blocks, and form fields or query parameters
    otherwise (JSON-encoded lists inside); decode all of them the same way."""
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        body = await request.json()
        params.update(body if isinstance(body, dict) else {})
    else:
        params.update({key: str(value) for key, value in (await request.post()).items()})
    for key in ("blocks", "files", "attachments"):
        if isinstance(params.get(key), str):
            with suppress(ValueError):  # a plain string stays as it was sent
                params[key] = json.loads(params[key])
    return params
