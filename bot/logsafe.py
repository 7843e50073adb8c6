"""Logging that never shows a secret: every record is scrubbed of the configured tokens.

python-telegram-bot and httpx log request URLs, and a Telegram request URL contains the bot
token (`…/bot<TOKEN>/getUpdates`); a filter on the handlers replaces each secret with `***`.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from collections.abc import Iterable
from types import TracebackType
from urllib.parse import urlsplit

from bot.settings import Settings

# `scheme://user:password@host`: the password part of any URL (database, proxy, LLM endpoint).
_URL_PASSWORD = re.compile(r"(\b[a-zA-Z][\w+.-]*://[^\s:/@]*:)[^\s@/]+@")


def redact_url(text: str) -> str:
    """`postgresql://user:pw@host/db` → `postgresql://user:***@host/db` (anywhere in `text`)."""
    return _URL_PASSWORD.sub(r"\1***@", text)


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return redact_url(text)

    def excepthook(self, kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        """`sys.excepthook`: an uncaught exception's traceback, scrubbed, on standard error."""
        sys.stderr.write(self.scrub("".join(traceback.format_exception(kind, error, tb))))

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.scrub(message)
        if clean != message or record.exc_info:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self.scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def secrets_of(settings: Settings) -> list[str]:
    values = [
        settings.telegram_bot_token,
        settings.telegram_webhook_secret,
        settings.slack_bot_token,
        settings.slack_app_token,
        settings.slack_signing_secret,
        settings.llm_api_key,
    ]
    secrets = [v.get_secret_value() for v in values if v is not None]
    for url in (settings.database_url, settings.fetch_proxy, settings.fetch_tor_proxy, settings.llm_base_url):
        password = urlsplit(url).password if url else None
        if password:
            secrets.append(password)
    return secrets


def configure_logging(settings: Settings, level: int = logging.INFO) -> RedactSecrets:
    """Root logging with the secret filter on every handler and on uncaught tracebacks; chatty
    HTTP loggers kept at WARNING."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    redact = RedactSecrets(secrets_of(settings))
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    sys.excepthook = redact.excepthook
    for noisy in ("httpx", "httpcore", "telegram.ext.Updater", "apscheduler.executors.default"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return redact
