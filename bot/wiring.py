"""Builds the hub from settings: engine (migrated), fetcher, registry."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from bot.logsafe import redact_url
from bot.settings import Settings
from bot.startup import StartupError
from commands.core.context import HubConfig
from commands.core.dispatcher import Dispatcher, utc_now
from commands.core.registry import load_registry
from commands.paste.enrich import Enricher
from extraction.fetch.archive import WarcArchive
from extraction.fetch.evidence import EvidenceWarc
from extraction.fetch.fetcher import Fetcher, FetchPolicy, NetworkFetcher
from extraction.llm.client import ChatLlm, LlmConfig, LlmRefused, endpoint
from storage import operations
from storage.engine import make_engine, upgrade


def hub_config(settings: Settings) -> HubConfig:
    return HubConfig(
        coordinators=frozenset(settings.coordinators),
        allowed_chats=frozenset(settings.allowed_chats),
        allow_private_targets=settings.fetch_allow_private,
        tor_proxy=settings.fetch_tor_proxy is not None,
        timezone=settings.timezone,
        web_url=web_base_url(settings),
    )


def web_base_url(settings: Settings) -> str | None:
    """The base of the web view's links: WEB_URL, else http://WEB_LISTEN:WEB_PORT (None: not served)."""
    if settings.web_url:
        return settings.web_url.rstrip("/")
    if settings.web_port is None:
        return None
    host = settings.web_listen
    if host in ("0.0.0.0", "::", ""):
        host = socket.gethostname()
    return f"http://{'[' + host + ']' if ':' in host else host}:{settings.web_port}"


def network_fetcher(settings: Settings) -> NetworkFetcher:
    return NetworkFetcher(
        FetchPolicy(
            max_bytes=settings.fetch_max_bytes,
            timeout_s=settings.fetch_timeout_s,
            allow_private=settings.fetch_allow_private,
            proxy=settings.fetch_proxy,
            tor_proxy=settings.fetch_tor_proxy,
        ),
        evidence=EvidenceWarc(Path(settings.evidence_warc)) if settings.evidence_warc else None,
    )


def build_hub(
    settings: Settings,
    *,
    warcs: Sequence[Path] = (),
    database_url: str | None = None,
) -> Dispatcher:
    """A ready hub: migrations applied; pages from WARC files when given, else the network."""
    url = database_url or settings.database_url
    engine = make_engine(url)
    try:
        upgrade(engine)
    except OperationalError as exc:  # refused, unknown host, bad login, unwritable file
        said = str(exc.orig).strip().splitlines()
        reason = redact_url(said[0]) if said else "no answer"
        raise StartupError(
            f"DATABASE_URL: cannot reach the database at {redact_url(url)} ({reason})"
        ) from None
    describe_default_operation(engine, settings)
    fetcher: Fetcher = WarcArchive(warcs) if warcs else network_fetcher(settings)
    return Dispatcher(
        engine=engine,
        fetcher=fetcher,
        registry=load_registry(),
        config=hub_config(settings),
        enricher=llm_enricher(settings, engine),
    )


def describe_default_operation(engine: Engine, settings: Settings) -> None:
    """While the default operation is the only one, the settings describe it (the quick start)."""
    with Session(engine) as session:
        operations.describe_default(
            chats=settings.allowed_chats,
            coordinators=settings.coordinators,
            timezone=settings.timezone,
            morning=settings.digest_morning,
            evening=settings.digest_evening,
            session=session,
        )
        session.commit()


def llm_config(settings: Settings) -> LlmConfig | None:
    """The LLM settings as plain values, or None when no model is configured."""
    if not settings.llm_model:
        return None
    return LlmConfig(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        api_key=settings.llm_api_key.get_secret_value() if settings.llm_api_key else None,
        allow_remote=settings.llm_allow_remote,
        timeout_s=settings.llm_timeout_s,
    )


def llm_enricher(settings: Settings, engine: Engine) -> Enricher | None:
    """The optional LLM's enricher; a refused endpoint stops the start with a clear message
    rather than quietly running without the model someone configured."""
    config = llm_config(settings)
    if config is None:
        return None
    try:
        llm = ChatLlm(config)
    except LlmRefused as exc:
        raise SystemExit(f"hub: bad settings — LLM: {exc}") from None
    return Enricher(engine, llm, clock=utc_now, redact_identifiers=settings.llm_redact)


def llm_addresses(settings: Settings) -> set[tuple[str, int]]:
    """The configured LLM endpoint as (address, port) pairs, resolved now: what `hub replay --warc`
    and `hub eval-llm` let through their network block, and nothing else."""
    config = llm_config(settings)
    if config is None:
        return set()
    parts = urlsplit(endpoint(config))
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    found = {(host, port)}
    with contextlib.suppress(OSError):  # unresolvable: the enrichments fail and say so, the replay goes on
        found |= {(str(info[4][0]), port) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    return found
