"""The app manifest people paste into api.slack.com matches what the adapter listens for."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.slack.adapter import SLASH_COMMAND

MANIFEST = Path(__file__).resolve().parents[2] / "bot" / "slack" / "manifest.yaml"


def test_the_manifest_grants_what_the_adapter_uses_and_nothing_that_unfurls() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert commands == [SLASH_COMMAND]
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    needed = {"channels:history", "chat:write", "commands", "pins:write", "files:write", "im:write"}
    assert needed <= scopes
    assert not scopes & {"links:read", "links:write", "files:read"}  # no unfurling, no media downloads
    settings = manifest["settings"]
    assert "message.channels" in settings["event_subscriptions"]["bot_events"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True
