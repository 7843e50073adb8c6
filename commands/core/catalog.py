"""Loads every command module into the registry (registration happens on first import)."""

from __future__ import annotations

from commands.core.registry import REGISTRY, Registry


def load_registry() -> Registry:
    import commands.coordination
    import commands.digest.command
    import commands.export.command
    import commands.findings
    import commands.freeze
    import commands.judging
    import commands.leaderboard
    import commands.lookup
    import commands.networks
    import commands.participants
    import commands.tags
    import commands.undo  # noqa: F401

    return REGISTRY
