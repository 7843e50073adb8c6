"""Builds the hub from settings: engine (migrated), fetcher, registry."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot.settings import Settings
from commands.catalog import load_registry
from commands.hub import Hub, HubConfig
from extraction.archive import WarcArchive
from extraction.fetch import Fetcher, FetchPolicy, NetworkFetcher
from storage.engine import make_engine, upgrade


def hub_config(settings: Settings, *, operator_vouches: bool = False) -> HubConfig:
    return HubConfig(
        coordinators=frozenset(settings.coordinators),
        allowed_chats=frozenset(settings.allowed_chats),
        allow_private_targets=settings.fetch_allow_private,
        tor_proxy=settings.fetch_tor_proxy is not None,
        timezone=settings.timezone,
        operator_vouches=operator_vouches,
    )


def network_fetcher(settings: Settings) -> NetworkFetcher:
    return NetworkFetcher(
        FetchPolicy(
            max_bytes=settings.fetch_max_bytes,
            timeout_s=settings.fetch_timeout_s,
            allow_private=settings.fetch_allow_private,
            proxy=settings.fetch_proxy,
            tor_proxy=settings.fetch_tor_proxy,
        )
    )


def build_hub(
    settings: Settings,
    *,
    warcs: Sequence[Path] = (),
    database_url: str | None = None,
    operator_vouches: bool = False,
) -> Hub:
    """A ready hub: migrations applied; pages from WARC files when given, else the network."""
    engine = make_engine(database_url or settings.database_url)
    upgrade(engine)
    fetcher: Fetcher = WarcArchive(warcs) if warcs else network_fetcher(settings)
    return Hub(
        engine=engine,
        fetcher=fetcher,
        registry=load_registry(),
        config=hub_config(settings, operator_vouches=operator_vouches),
    )
