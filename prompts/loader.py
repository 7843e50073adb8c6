"""Prompt templates are files (`name.vN.md`), read as data and loaded by name.

A file holds a `## system` and a `## user` section; the user section has `$placeholders`
(string.Template, so braces in page text or JSON examples need no escaping). A changed prompt
is a new file with the next version number, never an edit: every stored LLM output records the
version that produced it, and an old output must stay explainable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template

PROMPTS = Path(__file__).resolve().parent
_FILE = re.compile(r"^(?P<name>[a-z0-9_]+)\.v(?P<version>\d+)\.md$")
_SECTION = re.compile(r"^## (system|user)\s*$", re.M)


@dataclass(frozen=True, slots=True)
class Prompt:
    name: str
    version: int
    system: str
    user: Template

    @property
    def label(self) -> str:
        """What is stored with each output, e.g. "finding_extraction.v1"."""
        return f"{self.name}.v{self.version}"

    def render(self, **values: str) -> tuple[str, str]:
        """(system, user) messages; a missing placeholder is an error, not a silent "$x"."""
        return self.system, self.user.substitute(values)


def versions(name: str, folder: Path = PROMPTS) -> list[int]:
    found = (_FILE.match(p.name) for p in folder.glob(f"{name}.v*.md"))
    return sorted(int(m["version"]) for m in found if m and m["name"] == name)


@cache
def load_prompt(name: str, version: int | None = None, folder: Path = PROMPTS) -> Prompt:
    """The prompt `name` at `version` (default: the newest file)."""
    available = versions(name, folder)
    if not available:
        raise LookupError(f"no prompt named {name!r} in {folder}")
    chosen = available[-1] if version is None else version
    if chosen not in available:
        raise LookupError(f"prompt {name!r} has no version {chosen} (have {available})")
    text = (folder / f"{name}.v{chosen}.md").read_text(encoding="utf-8")
    parts = _SECTION.split(text)
    sections = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    if set(sections) != {"system", "user"}:
        raise ValueError(f"prompt {name}.v{chosen} needs a '## system' and a '## user' section")
    return Prompt(name=name, version=chosen, system=sections["system"], user=Template(sections["user"]))
