"""A fake OpenAI-compatible server on 127.0.0.1: `/v1/chat/completions` as ChatOpenAI calls it.

It answers in the form the request asks for: a `tool_calls` answer when the request carries
`tools`, the JSON document as message content when it asks for a `json_schema` response
format, and plain text otherwise. Every request body is kept for the test to inspect.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FakeOpenAI:
    structured: dict[str, Any] = field(default_factory=dict)  # the document for structured calls
    text: str = "A calm week so far."  # the answer to free-text calls
    status: int = 200
    hold: threading.Event | None = None  # when set, answers wait for it (a slow model)
    requests: list[dict[str, Any]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    url: str = ""

    def sent_text(self, role: str = "user") -> str:
        """What the hub sent to the model in `role` messages of every request, as one string."""
        return "\n".join(
            m.get("content") or "" for r in self.requests for m in r.get("messages", []) if m["role"] == role
        )

    def answer(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self.status != 200:
            return self.status, {"error": {"message": "the model fell over", "type": "server_error"}}
        document = json.dumps(self.structured)
        message: dict[str, Any] = {"role": "assistant", "content": self.text}
        if body.get("tools"):
            name = body["tools"][0]["function"]["name"]
            call = {"id": "call_1", "type": "function", "function": {"name": name, "arguments": document}}
            message = {"role": "assistant", "content": None, "tool_calls": [call]}
        elif (body.get("response_format") or {}).get("type") in ("json_schema", "json_object"):
            message = {"role": "assistant", "content": document}
        return 200, {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 0,
            "model": body.get("model", ""),
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }


@contextmanager
def fake_openai(fake: FakeOpenAI | None = None) -> Iterator[FakeOpenAI]:
    fake = fake or FakeOpenAI()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            fake.paths.append(self.path)
            fake.requests.append(body)
            if fake.hold is not None:
                fake.hold.wait(10)
            status, answer = (
                fake.answer(body) if self.path == "/v1/chat/completions" else (404, {"error": {}})
            )
            out = json.dumps(answer).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)
            except OSError:
                pass  # the client gave up (timeout test)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_port}/v1"
    try:
        yield fake
    finally:
        if fake.hold is not None:
            fake.hold.set()
        server.shutdown()
        server.server_close()
