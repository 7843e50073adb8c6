"""What the MISP and STIX exports carry beyond the JSON document: titles, indicator evidence,
the pairwise links of networks, reporters' countries.

Nothing of a finding suppressed under the CSAM policy is gathered here: no title, no
indicator evidence, no link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from storage import networks
from storage.models import Finding, FindingIndicator, Participant


@dataclass(frozen=True, slots=True)
class NetworkLink:
    """Why two exported findings belong together: a shared identifier or copied ad text."""

    finding_a: int
    finding_b: int
    kind: str  # phone | email | wallet | handle | text
    value: str  # the shared identifier, or the text similarity


@dataclass(frozen=True, slots=True)
class ExportDetails:
    titles: dict[int, str] = field(default_factory=dict)
    evidence: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # (indicator code, quote)
    links: list[NetworkLink] = field(default_factory=list)
    countries: dict[str, str] = field(default_factory=dict)  # participant id → country


def export_details(document: dict[str, Any], *, session: Session) -> ExportDetails:
    """Details of the findings in `document` (the JSON export), suppressed ones left out."""
    shown = {f["id"] for f in document["findings"] if not f.get("suppressed")}
    titles: dict[int, str] = {}
    if shown:
        stmt = select(Finding.id, Finding.title).where(
            col(Finding.id).in_(shown), col(Finding.suppressed).is_(None)
        )
        titles = {fid: title for fid, title in session.exec(stmt) if fid is not None and title}
    evidence: dict[int, list[tuple[str, str]]] = {}
    stmt_ind = select(FindingIndicator).order_by(col(FindingIndicator.finding_id), col(FindingIndicator.code))
    for row in session.exec(stmt_ind):
        if row.finding_id in shown:
            evidence.setdefault(row.finding_id, []).append((row.code, row.evidence))
    links = [
        NetworkLink(link.finding_a, link.finding_b, link.kind, link.value)
        for link in networks.links_within(sorted(shown), session=session)
    ]
    countries = {p.id: p.country for p in session.exec(select(Participant))}
    return ExportDetails(titles=titles, evidence=evidence, links=links, countries=countries)
