"""Indicators that need history: one phone in THB-suspect ads for different cities.

Truth of the research (domain.md): a controller moves the same women, or the same number, from
city to city. When a finding shares a phone with a suspect finding placed for another city, both
get `multiple_cities`, and their scores are raised accordingly — which can make a finding suspect
that was not, and so the check repeats until nothing changes.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from extraction.indicators import multiple_cities_indicator
from extraction.suspect import is_thb_suspect, score_with
from storage.models import Finding, FindingIdentifier, FindingIndicator, Identifier

CODE = "multiple_cities"


def _phone_groups(finding_ids: set[int], *, session: Session) -> dict[int, list[Finding]]:
    """phone identifier id → every finding carrying it, for the phones of `finding_ids`."""
    phones = (
        select(FindingIdentifier.identifier_id)
        .join(Identifier, col(Identifier.id) == col(FindingIdentifier.identifier_id))
        .where(
            col(FindingIdentifier.finding_id).in_(finding_ids),
            Identifier.kind == "phone",
            col(Identifier.ignored).is_(False),
        )
    )
    stmt = (
        select(FindingIdentifier.identifier_id, Finding)
        .join(Finding, col(Finding.id) == col(FindingIdentifier.finding_id))
        .where(col(FindingIdentifier.identifier_id).in_(phones))
    )
    groups: dict[int, list[Finding]] = {}
    for phone_id, finding in session.exec(stmt):
        groups.setdefault(phone_id, []).append(finding)
    return groups


def flag_multiple_cities(finding_id: int, *, session: Session) -> list[int]:
    """Add `multiple_cities` where the rule now holds; returns the findings that gained it."""
    flagged: list[int] = []
    frontier = {finding_id}
    for _ in range(3):  # a newly suspect finding can flag its partners; the chain is short
        changed: set[int] = set()
        for group in _phone_groups(frontier, session=session).values():
            for member in group:
                if member.id is None or member.city is None or member.suppressed:
                    continue
                elsewhere = {g.city for g in group if g.thb_suspect and g.city and g.city != member.city}
                if not elsewhere or session.get(FindingIndicator, (member.id, CODE)) is not None:
                    continue
                indicator = multiple_cities_indicator({member.city, *elsewhere})
                if indicator is None:
                    continue
                session.add(
                    FindingIndicator(
                        finding_id=member.id,
                        code=CODE,
                        weight=indicator.weight,
                        evidence=indicator.evidence[:300],
                        source=indicator.source,
                    )
                )
                member.thb_score = score_with(member.thb_score, indicator, platform_kind=member.platform_kind)
                member.thb_suspect = member.thb_suspect or is_thb_suspect(member.thb_score)
                session.add(member)
                changed.add(member.id)
        session.flush()
        if not changed:
            break
        flagged += sorted(changed)
        frontier = changed
    return flagged
