"""The optional LLM, behind one door: the only module that imports langchain.

Local first: the endpoint must be loopback, a private (RFC 1918 / ULA) or link-local address,
`localhost` or a `.local` name unless remote use is explicitly allowed, because what goes to the
model is case material. Identifiers can be masked before anything is sent.

The model comes from the provider packages directly (`ChatOpenAI` for any OpenAI-compatible
server — llama.cpp, vLLM, LM Studio, LocalAI, OpenAI itself — and `ChatOllama`), not from
`init_chat_model`: that helper lives in the full `langchain` bundle, which would add a large
dependency tree for a ten-line switch on the provider name. langchain is imported only when a
model is built, so a hub without an LLM never loads it.
"""

from __future__ import annotations

import ipaddress
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from extraction.identifiers.kinds import KINDS
from extraction.llm.schema import FindingExtraction

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

PROVIDERS = {"openai": "https://api.openai.com/v1", "ollama": "http://127.0.0.1:11434"}
LOCAL_NETWORKS = tuple(
    ipaddress.ip_network(net)
    for net in (
        "127.0.0.0/8",
        "::1/128",
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "169.254.0.0/16",
        "fe80::/10",
        "fc00::/7",
    )
)
T = TypeVar("T")


class LlmError(Exception):
    """The model could not give an answer (refused endpoint, HTTP error, unparsable answer)."""


class LlmTimeout(LlmError):
    """The model did not answer within the deadline."""


class LlmRefused(LlmError, ValueError):
    """The configuration is not acceptable (remote endpoint without permission, unknown provider)."""


@dataclass(frozen=True, slots=True)
class LlmConfig:
    """Plain values from settings (extraction never reads settings itself)."""

    model: str  # "provider:model", e.g. "ollama:qwen2.5:7b", "openai:gpt-4o-mini"
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    allow_remote: bool = False
    timeout_s: float = 20.0


def parse_model(spec: str) -> tuple[str, str]:
    """("provider", "model") from "provider:model"; the model part may itself contain colons."""
    provider, _, model = spec.strip().partition(":")
    provider = provider.lower()
    if provider not in PROVIDERS or not model:
        raise LlmRefused(
            f"LLM_MODEL must be provider:model with provider one of {', '.join(sorted(PROVIDERS))} "
            f"(got {spec!r})"
        )
    return provider, model


def is_local_host(host: str) -> bool:
    """Loopback, private or link-local address, `localhost`, or an mDNS `.local` name."""
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith((".localhost", ".local")):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False  # a DNS name could resolve anywhere: it counts as remote
    return any(address in net for net in LOCAL_NETWORKS)


def endpoint(config: LlmConfig) -> str:
    """The base URL that will be used, after the local-only check."""
    provider, _ = parse_model(config.model)
    url = config.base_url or PROVIDERS[provider]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LlmRefused(f"LLM_BASE_URL must be an http(s) URL (got {url!r})")
    if not config.allow_remote and not is_local_host(parts.hostname):
        raise LlmRefused(
            f"LLM endpoint {parts.hostname} is not local (loopback, private, link-local, localhost "
            "or .local): page text would leave the team's network. Set LLM_ALLOW_REMOTE=true to allow it."
        )
    return url


def build_chat_model(config: LlmConfig) -> BaseChatModel:
    """A langchain chat model for `config`; no network traffic happens here."""
    provider, model = parse_model(config.model)
    url = endpoint(config)
    # Environment proxies are ignored: a local model must not be reached through a proxy.
    if provider == "ollama":
        from langchain_ollama import ChatOllama

        headers = {"Authorization": f"Bearer {config.api_key}"} if config.api_key else {}
        return ChatOllama(
            model=model,
            base_url=url,
            temperature=0,
            client_kwargs={"timeout": config.timeout_s, "trust_env": False, "headers": headers},
        )
    import httpx
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=model,
        base_url=url,
        api_key=config.api_key or "not-needed-for-a-local-server",  # type: ignore[arg-type]
        temperature=0,
        timeout=config.timeout_s,
        max_retries=0,  # a retry would double the deadline; the verdict never waits anyway
        http_client=httpx.Client(trust_env=False, timeout=config.timeout_s),
    )


class ChatLlm:
    """One configured model: structured page extraction and free-text narration, both bounded."""

    def __init__(self, config: LlmConfig) -> None:
        self.config = config
        self.model_name = config.model
        self._model = build_chat_model(config)

    def extract(self, system: str, user: str) -> FindingExtraction:
        """The model's structured reading of a page; LlmTimeout or LlmError when there is none."""
        structured = self._model.with_structured_output(FindingExtraction, include_raw=True)
        answer = self._call(lambda: structured.invoke([("system", system), ("human", user)]))
        if not isinstance(answer, dict) or not isinstance(answer.get("parsed"), FindingExtraction):
            problem = answer.get("parsing_error") if isinstance(answer, dict) else None
            raise LlmError(f"unparsable answer: {str(problem or 'no structured output')[:200]}")
        return answer["parsed"]

    def narrate(self, system: str, user: str) -> str:
        """Free text from the model; LlmTimeout or LlmError when there is none."""
        message = self._call(lambda: self._model.invoke([("system", system), ("human", user)]))
        text = str(message.text).strip()  # langchain-core 1.x: the text parts of the answer
        if not text:
            raise LlmError("empty answer")
        return text

    def _call(self, work: Callable[[], T]) -> T:
        """Run `work` with a hard deadline: HTTP timeouts bound each read, not the whole answer."""
        from langsmith import tracing_context

        outcome: list[T] = []
        failure: list[BaseException] = []

        def run() -> None:
            try:
                # Tracing would ship page text to LangSmith if someone's environment enables it.
                with tracing_context(enabled=False):
                    outcome.append(work())
            except BaseException as exc:
                failure.append(exc)

        worker = threading.Thread(target=run, name="llm-call", daemon=True)
        worker.start()
        worker.join(self.config.timeout_s)
        if worker.is_alive():
            raise LlmTimeout(f"no answer within {self.config.timeout_s:g} s")
        if failure:
            exc = failure[0]
            if "timeout" in type(exc).__name__.lower() or "timed out" in str(exc).lower():
                raise LlmTimeout(f"{type(exc).__name__}: {str(exc)[:200]}") from exc
            raise LlmError(f"{type(exc).__name__}: {str(exc)[:300]}") from exc
        return outcome[0]


@dataclass(frozen=True, slots=True)
class Redacted:
    """Text with identifiers replaced by tokens like "[phone 1]", and the way back."""

    text: str
    masks: dict[str, str]  # token -> the text it replaced (first spelling seen)


_DIGIT_RUN = re.compile(r"\+?\d[\d\s().\-/]{5,}\d")


def redact(text: str, identifiers: Sequence[tuple[str, str, str]]) -> Redacted:
    """Mask each (kind, value, raw) identifier wherever it appears: as written, as normalised,
    and for phones any digit run that ends in the same subscriber number."""
    masks: dict[str, str] = {}
    numbers: dict[str, int] = {}
    for kind, value, raw in identifiers:
        numbers[kind] = numbers.get(kind, 0) + 1
        token = KINDS.get(kind).mask(numbers[kind])
        spellings = {raw.strip(), value.strip()}
        if ":" in value:  # a qualified value (`telegram:anna`, `btc:…`) is also written bare
            spellings.add(value.split(":", 1)[1])
        for spelling in sorted((s for s in spellings if len(s) >= 3), key=len, reverse=True):
            pattern = re.compile(re.escape(spelling), re.IGNORECASE)
            found = pattern.search(text)
            if found:
                masks.setdefault(token, found.group())
                text = pattern.sub(token, text)
        if kind == "phone":  # ads write a number in many ways: any digit run ending in it
            tail = re.sub(r"\D", "", value)[-8:]

            def mask_run(match: re.Match[str], tail: str = tail, token: str = token) -> str:
                if len(tail) == 8 and re.sub(r"\D", "", match.group()).endswith(tail):
                    masks.setdefault(token, match.group())
                    return token
                return match.group()

            text = _DIGIT_RUN.sub(mask_run, text)
    return Redacted(text=text, masks=masks)
