"""How Telegram updates reach the hub: long polling (default, no public URL) or a webhook.

Webhook mode (TELEGRAM_WEBHOOK_URL) runs PTB's webhook server on TELEGRAM_WEBHOOK_LISTEN:PORT
behind the operation's HTTPS reverse proxy; Telegram sends TELEGRAM_WEBHOOK_SECRET with every
update and PTB refuses a request without it, so knowing the URL is not enough to inject one.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from telegram.ext import Updater

from bot.settings import Settings


def check_webhook(settings: Settings) -> None:
    """Webhook mode needs a secret: without one anybody who learns the URL could inject updates."""
    if settings.telegram_webhook_url is None:
        return
    if not settings.telegram_webhook_url.startswith("https://"):
        raise ValueError("TELEGRAM_WEBHOOK_URL must be an https:// URL (Telegram posts only to HTTPS)")
    secret = settings.telegram_webhook_secret
    if secret is None or not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret.get_secret_value()):
        raise ValueError("TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET (1-256 of A-Z a-z 0-9 _ -)")


async def receive_updates(updater: Updater, settings: Settings, allowed: list[str]) -> str:
    """Long polling by default; webhook mode when TELEGRAM_WEBHOOK_URL is set. Says which."""
    if settings.telegram_webhook_url is None:
        await updater.start_polling(allowed_updates=allowed, bootstrap_retries=5)
        return "polling"
    assert settings.telegram_webhook_secret is not None
    await updater.start_webhook(
        listen=settings.telegram_webhook_listen,
        port=settings.telegram_webhook_port,
        url_path=urlsplit(settings.telegram_webhook_url).path.lstrip("/"),
        webhook_url=settings.telegram_webhook_url,
        secret_token=settings.telegram_webhook_secret.get_secret_value(),
        allowed_updates=allowed,
        bootstrap_retries=5,
    )
    return f"receiving webhooks on port {settings.telegram_webhook_port}"
