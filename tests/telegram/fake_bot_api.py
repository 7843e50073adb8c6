"""A small Bot API server on 127.0.0.1 speaking real HTTP, for PTB to talk to in tests.

It serves queued updates through getUpdates (long polling), answers the methods the hub uses,
enforces the limits Telegram enforces (4096/1024 visible characters, 64-byte callback data,
well-formed HTML, editing a deleted message) and records every request for assertions.
It runs its own event loop in a thread, so a test can drive it from sync code while the
bot runs in the test's loop or in another process.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import count
from typing import Any

from aiohttp import web

TOKEN = "123456:TEST-token-not-real"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Hub", "username": "hub_test_bot"}
_STRINGS = {"text", "caption", "callback_query_id", "url", "secret_token", "description"}
_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    result: Any = None  # what the fake answered (None for an error)
    error: str | None = None


class _Html(HTMLParser):
    """Checks Telegram's HTML rules and collects the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.text: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _TAGS:
            self.error = f'Unsupported start tag "{tag}"'
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.error = f'Unmatched end tag "{tag}"'

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(markup: str) -> str:
    """The visible text of `markup`; raises ValueError where Telegram answers "can't parse entities"."""
    if re.search(r"&(?!(?:amp|lt|gt|quot|#\d+);)", markup):
        raise ValueError("Can't parse entities: unsupported entity")
    parser = _Html()
    parser.feed(markup)
    parser.close()
    if parser.error or parser.open:
        raise ValueError(f"Can't parse entities: {parser.error or 'unclosed tag'}")
    return "".join(parser.text)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def user(user_id: int, first_name: str) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": first_name}


class BadRequest(Exception):
    pass


class FakeBotApi:
    """Start with `running()`; queue updates; read `calls`; wait with `wait_for`."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.rejected: list[str] = []  # methods asked with a wrong token (answered 401)
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.url = ""
        self._updates: list[dict[str, Any]] = []
        self._update_ids = count(1)
        self._message_ids = count(5000)
        self._chats: dict[int, dict[str, Any]] = {}
        self._lock = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._arrived: asyncio.Event | None = None
        self._closing = False

    # -- what a test does -------------------------------------------------------------------
    def chat(self, chat_id: int, chat_type: str = "supergroup") -> dict[str, Any]:
        self._chats[chat_id] = {"id": chat_id, "type": chat_type, "title": f"chat {chat_id}"}
        if chat_type == "private":
            self._chats[chat_id] = {"id": chat_id, "type": "private", "first_name": "p"}
        return self._chats[chat_id]

    def send(
        self, chat_id: int, sender: dict[str, Any], text: str, *, edited: bool = False, copies: int = 1
    ) -> dict[str, Any]:
        """Queue a message (or an edit of one) from a participant, `copies` times in one getUpdates
        batch (a redelivery); returns the first update."""
        update = self.message_update(chat_id, sender, text, edited=edited)
        return self.queue(*[update] * copies)

    def message_update(
        self, chat_id: int, sender: dict[str, Any], text: str, *, edited: bool = False
    ) -> dict[str, Any]:
        """A message update without queueing it (webhook tests deliver it themselves; no update_id)."""
        chat = self._chats.get(chat_id) or self.chat(chat_id)
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": sender,
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if edited:
            message["edit_date"] = int(time.time())
        return {"edited_message" if edited else "message": message}

    def numbered(self, update: dict[str, Any]) -> dict[str, Any]:
        return {**update, "update_id": next(self._update_ids)}

    def press(self, chat_id: int, message_id: int, presser: dict[str, Any], data: str) -> dict[str, Any]:
        """Queue a button press on a message the bot sent."""
        sent = self.messages[(chat_id, message_id)]
        query = {"id": f"cb{next(self._update_ids)}", "from": presser, "chat_instance": "ci", "data": data}
        query["message"] = sent
        return self.queue({"callback_query": query})

    def queue(self, *updates: dict[str, Any]) -> dict[str, Any]:
        """Queue updates, served together (a copy of an earlier one is a redelivery: new update_id)."""
        numbered = [{**update, "update_id": next(self._update_ids)} for update in updates]
        with self._lock:
            self._updates.extend(numbered)
        if self._loop is not None and self._arrived is not None:
            self._loop.call_soon_threadsafe(self._arrived.set)
        return numbered[0]

    def delete(self, chat_id: int, message_id: int) -> None:
        """A participant deletes a bot message."""
        with self._lock:
            self.messages.pop((chat_id, message_id), None)

    def of(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(
        self,
        method: str,
        where: Callable[[Call], bool] = lambda c: True,
        *,
        n: int = 1,
        timeout: float = 10.0,
    ) -> list[Call]:
        """Block until `n` calls of `method` matching `where` arrived; returns them."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [c for c in self.calls if c.method == method and where(c)]
                if len(found) >= n:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(c.method, c.params.get("text", "")[:60]) for c in self.calls]
                    raise AssertionError(f"no {n}× {method} within {timeout}s; received {seen}")
                self._lock.wait(remaining)

    @contextmanager
    def running(self) -> Iterator[FakeBotApi]:
        started = threading.Event()
        stopping: list[asyncio.Event] = []

        def serve() -> None:
            async def main() -> None:
                self._loop = asyncio.get_running_loop()
                self._arrived = asyncio.Event()
                app = web.Application()
                app.router.add_route("POST", "/bot{token}/{method}", self._handle)
                app.router.add_route("GET", "/bot{token}/{method}", self._handle)
                runner = web.AppRunner(app)
                await runner.setup()
                site = web.TCPSite(runner, "127.0.0.1", 0)
                await site.start()
                port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
                self.url = f"http://127.0.0.1:{port}"
                done = asyncio.Event()
                stopping.append(done)
                started.set()
                await done.wait()
                await runner.cleanup()

            asyncio.run(main())

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        started.wait(10)
        try:
            yield self
        finally:
            assert self._loop is not None and self._arrived is not None
            self._closing = True  # open long polls return now instead of holding the shutdown
            self._loop.call_soon_threadsafe(self._arrived.set)
            self._loop.call_soon_threadsafe(stopping[0].set)
            thread.join(10)

    # -- the server side ----------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            self.rejected.append(request.match_info["method"])
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params, files = await _read(request)
        call = Call(method, params, files)
        error: str | None = None
        result: Any = None
        with self._lock:
            self.calls.append(call)
            if method != "getUpdates":
                try:
                    result = call.result = self._answer(method, params)
                except BadRequest as exc:
                    error = call.error = f"Bad Request: {exc}"
            self._lock.notify_all()
        if method == "getUpdates":
            result = await self._get_updates(params)
        if error is not None:
            return web.json_response({"ok": False, "error_code": 400, "description": error}, status=400)
        if result is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        return web.json_response({"ok": True, "result": result})

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        assert self._arrived is not None
        offset, timeout = int(params.get("offset", 0) or 0), float(params.get("timeout", 0) or 0)
        deadline = time.monotonic() + min(timeout, 5.0)
        while True:
            self._arrived.clear()
            with self._lock:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]  # confirmed ones go
                pending = list(self._updates[: int(params.get("limit", 100) or 100)])
            remaining = deadline - time.monotonic()
            if pending or remaining <= 0 or self._closing:
                return pending
            with suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), remaining)

    def _answer(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in ("deleteWebhook", "setWebhook", "setMyCommands", "answerCallbackQuery"):
            if method == "answerCallbackQuery" and utf16_len(params.get("text", "")) > 200:
                raise BadRequest("MESSAGE_TOO_LONG")
            return True
        if method in ("sendMessage", "sendPhoto"):
            return self._new_message(params, photo=method == "sendPhoto")
        if method == "sendDocument":
            return self._new_message(params, photo=False, document=True)
        if method == "editMessageText":
            key = (int(params["chat_id"]), int(params["message_id"]))
            if key not in self.messages:
                raise BadRequest("message to edit not found")
            text = _checked_text(params, "text", 4096)
            if text == self.messages[key].get("text") and params.get("reply_markup") == self.messages[
                key
            ].get("reply_markup"):
                raise BadRequest("message is not modified")
            self.messages[key] = {**self.messages[key], "text": text, "edit_date": int(time.time())}
            _set_markup(self.messages[key], params)
            return self.messages[key]
        if method in ("pinChatMessage", "deleteMessage"):
            key = (int(params["chat_id"]), int(params["message_id"]))
            if key not in self.messages:
                raise BadRequest(
                    "message to delete not found" if method == "deleteMessage" else "message not found"
                )
            if method == "deleteMessage":
                del self.messages[key]
            return True
        return None

    def _new_message(self, params: dict[str, Any], *, photo: bool, document: bool = False) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        chat = self._chats.get(chat_id) or {"id": chat_id, "type": "private", "first_name": "p"}
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": BOT_USER,
        }
        if document:
            message["document"] = {"file_id": "d1", "file_unique_id": "du1"}
        elif photo:
            message["photo"] = [{"file_id": "f1", "file_unique_id": "u1", "width": 1, "height": 1}]
            if params.get("caption"):
                message["caption"] = _checked_text(params, "caption", 1024)
        else:
            message["text"] = _checked_text(params, "text", 4096)
        _set_markup(message, params)
        self.messages[(chat_id, message["message_id"])] = message
        return message


def _checked_text(params: dict[str, Any], name: str, limit: int) -> str:
    raw = params.get(name, "")
    try:
        text = parse_html(raw) if params.get("parse_mode") == "HTML" else raw
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    if not text.strip():
        raise BadRequest(f"{name} must be non-empty")
    if utf16_len(text) > limit:
        raise BadRequest("message is too long" if name == "text" else "message caption is too long")
    return text


def _set_markup(message: dict[str, Any], params: dict[str, Any]) -> None:
    markup = params.get("reply_markup")
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            if len(button.get("callback_data", "").encode()) > 64:
                raise BadRequest("BUTTON_DATA_INVALID")
    if markup:
        message["reply_markup"] = markup
    else:
        message.pop("reply_markup", None)


async def _read(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    """PTB sends form fields (objects JSON-encoded, strings as they are) or multipart with files."""
    params: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    if request.content_type == "application/json":
        return dict(await request.json()), files
    form = await request.post()
    for name, value in form.items():
        if isinstance(value, web.FileField):
            files[name] = value.file.read()
        elif name in _STRINGS:
            params[name] = str(value)
        else:
            try:
                params[name] = json.loads(str(value))
            except ValueError:
                params[name] = str(value)
    params.update(request.query)
    return params, files
