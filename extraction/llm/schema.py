"""What the optional LLM must answer about a page, and the checks its answer passes before use.

The schema is sent to the model as a JSON schema (structured output). Codes are plain strings
rather than an enum on purpose: one unknown code must cost that one indicator, not the whole
answer. Rules stay authoritative for identifiers, so the schema has no identifier field at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pydantic import BaseModel, Field

INDICATOR_CODES = (
    "third_party",
    "new_in_town",
    "youth_emphasis",
    "crypto_only",
    "restricted",
    "ai_generated",
    "job_lure",
    "debt",
    "multiple_cities",
    "obscured_contact",
)
PLATFORM_KINDS = ("escort", "dating", "job", "marketplace", "social", "messaging", "darkweb", "other")
# A quote of two letters matches almost any page; an emoji on its own is real evidence.
MIN_QUOTE_CHARS = 3


class QuotedIndicator(BaseModel):
    code: str = Field(description="one of: " + ", ".join(INDICATOR_CODES))
    evidence: str = Field(description="the exact words of the page that show it, copied verbatim")


class FindingExtraction(BaseModel):
    """The model's reading of one page."""

    language: str = Field(description="ISO 639-1 code of the page's main language, e.g. nl")
    summary: str = Field(description="one English sentence: what the page offers and who posts it")
    translation: str = Field(
        description="English translation of the key sentences; empty when the page is English"
    )
    indicators: list[QuotedIndicator] = Field(
        description="trafficking indicators, each with a verbatim quote; empty when none"
    )
    platform_kind: str = Field(description="one of: " + ", ".join(PLATFORM_KINDS))
    confidence: float = Field(description="0 to 1: how sure you are about the indicators")


@dataclass(frozen=True, slots=True)
class VettedIndicator:
    code: str
    evidence: str


@dataclass(frozen=True, slots=True)
class VettedExtraction:
    """An answer that passed the checks: only known codes, only quotes that are on the page."""

    language: str | None
    summary: str
    translation: str
    indicators: tuple[VettedIndicator, ...]
    platform_kind: str | None
    confidence: float | None
    dropped: tuple[str, ...]  # why each discarded indicator was discarded (for logs and eval)


def normalised(text: str) -> str:
    """Compatibility-folded, case-folded, whitespace-collapsed: how quotes are compared."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def quote_on_page(quote: str, page_text: str) -> bool:
    """Whether `quote` is really on the page (after normalising both), and long enough to mean it."""
    wanted = normalised(quote.strip().strip("\"'“”„«»‘’"))
    if len(wanted) < MIN_QUOTE_CHARS and wanted.isascii():
        return False
    return bool(wanted) and wanted in normalised(page_text)


_LANGUAGE = re.compile(r"^[a-z]{2}$")


def vet(
    answer: FindingExtraction, page_text: str, *, unmask: dict[str, str] | None = None
) -> VettedExtraction:
    """Keep what can be checked: known codes with a quote found in `page_text`, one per code.

    `unmask` maps redaction tokens back to what they hid, so a quote of masked text is checked
    (and stored) as the page wrote it.
    """
    kept: dict[str, VettedIndicator] = {}
    dropped: list[str] = []
    for item in answer.indicators:
        code = item.code.strip().lower()
        evidence = item.evidence
        for token, original in (unmask or {}).items():
            evidence = evidence.replace(token, original)
        if code not in INDICATOR_CODES:
            dropped.append(f"unknown code {code[:40]!r}")
        elif not quote_on_page(evidence, page_text):
            dropped.append(f"{code}: quote not on the page")
        elif code not in kept:
            kept[code] = VettedIndicator(code, " ".join(evidence.split())[:300])
    language = answer.language.strip().lower()
    kind = answer.platform_kind.strip().lower()
    return VettedExtraction(
        language=language if _LANGUAGE.match(language) else None,
        summary=" ".join(answer.summary.split())[:500],
        translation=answer.translation.strip()[:4000],
        indicators=tuple(kept.values()),
        platform_kind=kind if kind in PLATFORM_KINDS else None,
        confidence=min(1.0, max(0.0, answer.confidence)),
        dropped=tuple(dropped),
    )
