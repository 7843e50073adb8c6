"""Value types that extraction hands to the layers above.

Deconfliction may import these (and only these) from extraction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Source = Literal["page", "message"]  # where an identifier was written: the fetched page or the chat


@dataclass(frozen=True, slots=True)
class Identifier:
    """A contact or payment identifier, spelled as contracts.md says.

    `value` is the contract spelling (E.164 phone, lower-case e-mail, `btc:…` wallet,
    `telegram:name` handle); `raw` is how it was written; `source` says whether it came from
    the page or from the chat message; `furniture` marks a site's own header/footer contact;
    `region_reason` says why a phone was read in its country.
    """

    kind: str  # a name in the identifier kinds table (extraction/identifiers/kinds.py)
    value: str
    raw: str = ""
    source: Source = "page"
    furniture: bool = False
    obscured: bool = False
    # Phones: which evidence chose the number's region ("international prefix", "tld .nl",
    # "city Frankfurt", "page language de", "participant"); "" for other kinds.
    region_reason: str = ""


@dataclass(frozen=True, slots=True)
class Link:
    """One URL-like token found in free text.

    `url` is the refanged, absolute URL (scheme added for bare domains); `refusal` is the
    reason it must never be fetched, or None when it may be.
    """

    raw: str
    url: str
    refusal: str | None = None
    defanged: bool = False


@dataclass(frozen=True, slots=True)
class Indicator:
    """A weighted flag with its evidence — never a verdict."""

    code: str
    weight: float
    evidence: str = ""
    source: str = "lexicon"


@dataclass(slots=True)
class FetchResult:
    """What one fetch (network or WARC) gave.

    outcome: ok | http_error | timeout | too_large | not_html | refused | not_fetched | error
    """

    url: str
    outcome: str
    status: int | None = None
    final_url: str | None = None
    content_type: str | None = None
    body: bytes | None = None
    sha256: str | None = None
    fetched_at: str | None = None
    error: str | None = None
    hops: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"
