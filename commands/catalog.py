"""Loads every command module into the registry (registration happens on first import)."""

from __future__ import annotations

from commands.registry import REGISTRY, Registry


def load_registry() -> Registry:
    import commands.basics
    import commands.coordination
    import commands.digest
    import commands.export_command
    import commands.findings_view
    import commands.freeze
    import commands.judging
    import commands.leaderboard
    import commands.lookup
    import commands.networks_view
    import commands.tags
    import commands.undo  # noqa: F401

    return REGISTRY
