"""The one import rule (architecture.md): imports point down the layer table, never up or sideways."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LAYERS = ("bot", "web", "commands", "extraction", "deconfliction", "storage", "prompts")
MAY_IMPORT = {
    "bot": {"bot", "web", "commands", "extraction", "deconfliction", "storage", "prompts"},
    # The read-only web view: reads through commands' and storage's functions, knows no settings.
    "web": {"web", "commands", "extraction", "storage"},
    "commands": {"commands", "extraction", "deconfliction", "storage", "prompts"},
    "extraction": {"extraction"},
    "deconfliction": {"deconfliction", "extraction", "storage"},
    "storage": {"storage"},
    "prompts": {"prompts"},
}
PLATFORM_SDKS = ("telegram", "slack_bolt", "slack_sdk", "apscheduler")


def imported_modules(source: str) -> list[str]:
    """Modules a source imports; `from pkg import sub` counts as `pkg.sub` when sub is a module."""
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            package = REPO / node.module.replace(".", "/")
            for alias in node.names:
                is_module = (package / f"{alias.name}.py").is_file() or (package / alias.name).is_dir()
                names.append(f"{node.module}.{alias.name}" if is_module else node.module)
    return names


def breaches(layer: str, source: str) -> list[str]:
    """Imports in a module of `layer` that the rule forbids."""
    found = []
    for name in imported_modules(source):
        top = name.split(".")[0]
        if top in PLATFORM_SDKS and layer != "bot":
            found.append(f"{name} (platform SDKs only in bot/)")
        elif top.startswith("langchain") and layer != "extraction":
            found.append(f"{name} (langchain only in extraction/llm.py)")
        elif top in LAYERS and not any(name == a or name.startswith(a + ".") for a in MAY_IMPORT[layer]):
            found.append(name)
    return sorted(set(found))


def modules() -> list[tuple[str, Path]]:
    return [(layer, path) for layer in LAYERS for path in sorted((REPO / layer).rglob("*.py"))]


@pytest.mark.parametrize(("layer", "path"), modules(), ids=lambda v: str(v).replace(str(REPO) + "/", ""))
def test_module_respects_the_layer_rule(layer: str, path: Path) -> None:
    assert breaches(layer, path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("layer", "source", "expected"),
    [
        ("storage", "from commands.core.dispatcher import Hub", ["commands.core.dispatcher"]),
        ("extraction", "import storage.models", ["storage.models"]),
        ("commands", "from bot.settings import Settings", ["bot.settings"]),
        ("web", "from bot.settings import Settings", ["bot.settings"]),
        ("commands", "from web.app import build_app", ["web.app"]),
        ("deconfliction", "from commands.scoring import LINK_BONUS", ["commands.scoring"]),
        ("deconfliction", "from extraction import analyse", []),
        ("storage", "from extraction import types", ["extraction.types"]),
        ("commands", "import telegram", ["telegram (platform SDKs only in bot/)"]),
        ("deconfliction", "from storage.models import Finding", []),
        ("bot", "from commands.core.dispatcher import Hub\nimport telegram", []),
    ],
)
def test_the_check_catches_breaches(layer: str, source: str, expected: list[str]) -> None:
    assert breaches(layer, source) == expected


def project_modules() -> dict[str, Path]:
    """Every module of the layers, by dotted name (a package is its __init__)."""
    found = {}
    for _layer, path in modules():
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def import_graph() -> dict[str, set[str]]:
    """module → the project modules it imports anywhere in its file: at the top, inside a
    function, or only for type checking (a cycle closed by a local import is still a cycle)."""
    known = project_modules()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        targets = set()
        for imported in imported_modules(path.read_text(encoding="utf-8")):
            while imported and imported not in known:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_a_module_that_imports_it_back() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_check_finds_a_cycle_through_a_local_import() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


IMPORT_EVERYTHING = """
import importlib, json, logging, os, sys
before = dict(os.environ)
names = sys.argv[1:]
for name in names:
    importlib.import_module(name)
from sqlalchemy import event
from sqlalchemy.orm import Session
from stix2.registry import STIX2_OBJ_MAPS
from storage.tallies import live
print(json.dumps({
    "session_hooks": event.contains(Session, "after_flush", live._collect),
    "stix_types": sorted(t for t in STIX2_OBJ_MAPS["2.1"]["observables"] if t.startswith("x-")),
    "log_handlers": len(logging.getLogger().handlers),
    "environment_changed": dict(os.environ) != before,
}))
"""


def test_importing_every_module_does_nothing() -> None:
    """No engine, hook, registration, logging or environment change happens on import: they
    happen where `main()` and `make_engine` build things."""
    import json
    import subprocess
    import sys

    names = sorted(name for name in project_modules() if not name.startswith("storage.migrations"))
    run = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING, *names],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(run.stdout) == {
        "session_hooks": False,
        "stix_types": [],
        "log_handlers": 0,
        "environment_changed": False,
    }
