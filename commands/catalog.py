"""Loads every command module into the registry (registration happens on first import)."""

from __future__ import annotations

from commands.registry import REGISTRY, Registry


def load_registry() -> Registry:
    import commands.basics  # noqa: F401

    return REGISTRY
