"""Deconfliction of a new finding: shared identifiers, copied ad text, networks — and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from deconfliction import neardup, noise
from deconfliction.history import flag_multiple_cities
from deconfliction.networks import join as join_networks
from storage import identifiers as id_store
from storage import networks

# Jaccard similarity of word bigrams (digits folded) above which two ad texts are copies of one
# template; tuned on the dev corpus: unrelated pairs reach 0.46, template copies at least 0.58.
NEAR_DUPLICATE = 0.52


@dataclass(frozen=True, slots=True)
class SharedValue:
    kind: str
    value: str
    findings: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Copy:
    finding: int
    similarity: float


@dataclass(slots=True)
class Deconfliction:
    shared: list[SharedValue] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)
    silenced: list[tuple[str, str, str]] = field(default_factory=list)  # kind, value, why
    network: int | None = None
    multiple_cities: list[int] = field(default_factory=list)  # findings that gained the indicator


def deconflict(
    finding_id: int, identifiers: list[tuple[str, str]], body: str, *, at: datetime, session: Session
) -> Deconfliction:
    """Link a freshly analysed finding to earlier ones and update networks."""
    result = Deconfliction()
    linked: set[int] = set()
    ids = {(kind, value): id_store.identifier_id(kind, value, session=session) for kind, value in identifiers}
    others = networks.other_findings_with(list(ids.values()), finding_id, session=session)
    for (kind, value), ident in ids.items():
        seen = others.get(ident, [])
        if not seen:
            continue
        why = noise.never_links(kind, value)
        if why is None and noise.over_correlated(networks.sites_with(ident, session=session)):
            why = f"seen on more than {noise.OVER_CORRELATION_SITES} sites"
        if why:
            result.silenced.append((kind, value, why))
            continue
        result.shared.append(SharedValue(kind, value, tuple(seen)))
        for other in seen:
            networks.add_link(other, finding_id, kind, value, at=at, session=session)
            linked.add(other)
    text = neardup.text_print(body) if body else None
    if text is not None:
        for other, their_shingles in networks.text_candidates(text.bands, finding_id, session=session):
            similarity = neardup.similarity(text.shingles, their_shingles)
            if similarity >= NEAR_DUPLICATE:
                result.copies.append(Copy(other, similarity))
                networks.add_link(other, finding_id, "text", f"{similarity:.2f}", at=at, session=session)
                linked.add(other)
        networks.store_text_print(finding_id, text.shingles, text.bands, session=session)
    if linked:
        result.network = join_networks([finding_id, *sorted(linked)], at=at, session=session)
    result.multiple_cities = flag_multiple_cities(finding_id, session=session)
    return result
