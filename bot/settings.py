"""The one settings class. Reads the environment and `.env`; names are a contract (contracts.md §3)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from commands.digest.schedule import parse_hhmm, parse_zone

# The platforms a chat id can name (`<platform>:<chat>`, as the adapters build them).
CHAT_PLATFORMS = ("telegram", "slack", "console")

PLACEHOLDERS = {"changeme", "change-me", "xxx", "your-token-here", "todo", "secret"}

CsvList = Annotated[list[str], NoDecode]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(default="sqlite:///data/hub.db")
    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str | None = None
    # Webhook mode (optional; long polling otherwise): Telegram POSTs updates to this public HTTPS
    # URL, which a reverse proxy forwards to TELEGRAM_WEBHOOK_LISTEN:TELEGRAM_WEBHOOK_PORT (plain
    # HTTP: loopback by default, so only a proxy on this machine reaches it).
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_webhook_listen: str = "127.0.0.1"
    telegram_webhook_port: int = 8443
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_mode: str = "socket"
    slack_http_port: int = 3000
    slack_http_listen: str = "127.0.0.1"  # HTTP mode's bind address; a proxy on this host forwards
    slack_api_url: str | None = None
    allowed_chats: CsvList = Field(default_factory=list)
    coordinators: CsvList = Field(default_factory=list)
    timezone: str = "Europe/Amsterdam"
    digest_morning: str = "08:00"
    digest_evening: str = "19:00"
    digest_grace_hours: float = Field(default=6.0, gt=0)  # a missed digest is posted late up to this
    fetch_proxy: str | None = None
    fetch_tor_proxy: str | None = None
    fetch_allow_private: bool = False
    fetch_max_bytes: int = 2_000_000
    fetch_timeout_s: float = 10.0
    evidence_warc: str | None = None
    llm_model: str | None = None
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_allow_remote: bool = False
    llm_timeout_s: float = Field(default=20.0, gt=0)
    llm_redact: bool = True
    # The read-only web view (venue screen, network view, /healthz): served when WEB_PORT is set,
    # on WEB_LISTEN (loopback by default); WEB_URL is the base of the links /screen hands out
    # (e.g. the https:// address of a reverse proxy), by default http://WEB_LISTEN:WEB_PORT.
    web_port: int | None = Field(default=None, ge=1, le=65535)
    web_listen: str = "127.0.0.1"
    web_url: str | None = None
    console_user: str = "console:me"
    console_name: str = "Console user"
    console_country: str | None = None

    @field_validator("allowed_chats", "coordinators", mode="before")
    @classmethod
    def _split_csv(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("allowed_chats")
    @classmethod
    def _platform_prefixed(cls, value: list[str]) -> list[str]:
        for chat in value:
            platform, _, rest = chat.partition(":")
            if platform not in CHAT_PLATFORMS or not rest:
                raise ValueError(
                    f"{chat!r} needs a platform prefix, e.g. telegram:{chat}"
                    if platform not in CHAT_PLATFORMS
                    else f"{chat!r} names no chat after the prefix, e.g. telegram:-100123"
                )
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return parse_zone(value)

    @field_validator("digest_morning", "digest_evening")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        parse_hhmm(value)
        return value

    @field_validator(
        "telegram_bot_token",
        "telegram_webhook_secret",
        "slack_bot_token",
        "slack_app_token",
        "slack_signing_secret",
        "llm_api_key",
        mode="before",
    )
    @classmethod
    def _empty_or_placeholder(cls, value: object) -> object:
        if isinstance(value, str):
            if not value.strip():
                return None
            if value.strip().lower() in PLACEHOLDERS:
                raise ValueError("is a placeholder from .env.example: set the real secret or leave it empty")
        return value

    @field_validator(
        "fetch_proxy",
        "fetch_tor_proxy",
        "telegram_base_url",
        "telegram_webhook_url",
        "slack_api_url",
        "evidence_warc",
        "llm_model",
        "llm_base_url",
        "console_country",
        "web_url",
        "web_port",
        mode="before",
    )
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def chat_enabled(self) -> bool:
        return self.telegram_bot_token is not None or self.slack_bot_token is not None

    def sqlite_path(self) -> Path | None:
        prefix = "sqlite:///"
        return Path(self.database_url[len(prefix) :]) if self.database_url.startswith(prefix) else None
