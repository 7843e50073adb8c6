"""The digest's optional narrative: a short paragraph from the LLM over the digest's facts.

`build_digest(..., narrative=fn)`: `fn` receives the `DigestFacts` and returns a paragraph or
None; it runs in a daemon thread and the digest waits at most `NARRATIVE_BUDGET_S` for it — a
slow or failing narrative is dropped, never a reason to post late or not at all.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from commands.digest.facts import DigestFacts
from commands.digest.text import render

if TYPE_CHECKING:
    from commands.paste.enrich import Enricher

log = logging.getLogger(__name__)

Narrative = Callable[[DigestFacts], str | None]
NARRATIVE_BUDGET_S = 2.0


def digest_narrative(enricher: Enricher | None, facts_text: str) -> str | None:
    """Model text over `facts_text`, or None (no LLM, slow, failing)."""
    return enricher.digest_narrative(facts_text) if enricher is not None else None


def digest_narrator(enricher: Enricher | None, write: Callable[[DigestFacts], str]) -> Narrative | None:
    """For `build_digest(narrative=...)`: the facts as `write` words them, narrated by the model;
    None when no LLM is configured."""
    if enricher is None:
        return None
    return lambda facts: enricher.digest_narrative(write(facts))


def llm_narrative(enricher: Enricher | None) -> Narrative | None:
    """The LLM paragraph over the digest's own text when a model is configured, else None."""
    return digest_narrator(enricher, lambda facts: render(facts))


def narrated_digest(enricher: Enricher | None, facts_text: str) -> str:
    """The digest text with the model's narrative on top when there is one, the template alone otherwise."""
    narrative = digest_narrative(enricher, facts_text)
    return f"🤖 {narrative}\n\n{facts_text}" if narrative else facts_text


def narrate(narrative: Narrative | None, facts: DigestFacts) -> str | None:
    """Run the narrative hook within the budget; None when absent, failing or late."""
    if narrative is None:
        return None
    result: list[str | None] = []

    def run() -> None:
        try:
            result.append(narrative(facts))
        except Exception:  # the narrative is decoration: the digest goes out without it
            log.exception("digest narrative failed")

    worker = threading.Thread(target=run, name="digest-narrative", daemon=True)
    worker.start()
    worker.join(NARRATIVE_BUDGET_S)
    if not result:
        log.warning("digest narrative not ready within %.1f s; posting without it", NARRATIVE_BUDGET_S)
        return None
    return result[0]
