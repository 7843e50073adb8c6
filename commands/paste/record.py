"""Record a planned paste in one short write transaction: findings (new or not), reports,
identifiers, indicators, links and networks — and keep what the verdict will say.

Runs inside `ctx.record` (commands/core/context.py), so nothing here waits on the network, and
the whole function may run again if the database aborts the transaction for a transient
conflict: it only writes through the session it is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from commands.core.seam import Invocation
from commands.paste.enrich import Enricher, EnrichmentRequest
from commands.paste.plan import LinkPlan, PastePlan
from deconfliction.matching import Deconfliction, deconflict
from deconfliction.memory import EarlierHit, earlier_hits
from extraction.analyse import PageAnalysis
from extraction.types import FetchResult, Identifier, Link
from storage import findings as store
from storage import identifiers as id_store
from storage import networks
from storage.models import Finding, Participant


@dataclass(frozen=True, slots=True)
class FirstSeen:
    """Who reported a finding first, and when: "reported by Anna, NL, 2 h ago"."""

    participant_id: str
    name: str  # "" when the participant is unknown
    country: str
    at: datetime


@dataclass(slots=True)
class LinkRecord:
    """What one link of the message turned out to be."""

    link: Link
    refused: str | None = None
    finding: Finding | None = None  # as stored by this transaction (detached after it)
    new: bool = False
    report_number: int = 0
    first: FirstSeen | None = None
    identifiers: list[tuple[str, str]] = field(default_factory=list)  # (kind, value), of a new finding
    indicator_codes: list[str] = field(default_factory=list)  # of a new finding, strongest first
    deconfliction: Deconfliction | None = None
    earlier: dict[int, FirstSeen] = field(default_factory=dict)  # findings it links to
    network_size: tuple[int, int] = (0, 0)  # findings in the network it joined, THB-suspect among them
    history: EarlierHit | None = None  # the same URL or identifier in an earlier operation


@dataclass(frozen=True, slots=True)
class TypedRecord:
    """An identifier typed in the message itself, and the findings that carry it."""

    identifier: Identifier
    findings: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PasteRecord:
    links: list[LinkRecord]
    typed: list[TypedRecord]


def record_paste(
    plan: PastePlan,
    inv: Invocation,
    participant: Participant,
    *,
    submission_id: int,
    now: datetime,
    enricher: Enricher | None,
    session: Session,
) -> PasteRecord:
    """Store every planned link and the typed identifiers; returns what happened to each."""
    links = [
        _record_link(plan_, inv, participant, submission_id, now, enricher, session=session)
        for plan_ in plan.links
    ]
    if plan.typed:
        id_store.attach_to_submission(submission_id, [(i.kind, i.value) for i in plan.typed], session=session)
    typed = [
        TypedRecord(i, tuple(id_store.findings_with_identifier(i.kind, i.value, session=session)))
        for i in plan.typed[:10]
    ]
    return PasteRecord(links, typed)


def _record_link(
    plan: LinkPlan,
    inv: Invocation,
    participant: Participant,
    submission_id: int,
    now: datetime,
    enricher: Enricher | None,
    *,
    session: Session,
) -> LinkRecord:
    result = LinkRecord(link=plan.link)
    if plan.refused is not None or plan.canonical is None:
        result.refused = plan.refused
        return result
    finding = store.finding_for_url(plan.canonical, session=session)
    if finding is None:
        fetched = plan.fetched or FetchResult(
            url=plan.link.url, outcome="not_fetched", error="the link changed while it was checked"
        )
        final = plan.final_canonical or plan.canonical
        finding, created = store.claim_finding(
            canonical_url=final,
            url=plan.link.url,
            platform="",
            reporter_id=participant.id,
            reported_at=inv.ts,
            created_at=now,
            session=session,
        )
        if final != plan.canonical:
            store.add_alias(plan.canonical, finding.id or 0, session=session)
        if created and plan.analysis is not None:
            store_analysis(finding, fetched, plan.analysis, session=session)
            if plan.analysis.suppressed is None:
                result.deconfliction = deconflict(
                    finding.id or 0,
                    [(i.kind, i.value) for i in plan.analysis.identifiers],
                    plan.analysis.body,
                    at=inv.ts,
                    session=session,
                )
                if result.deconfliction.network is not None:
                    result.network_size = networks.size_and_suspects(
                        result.deconfliction.network, session=session
                    )
                result.earlier = _first_seen(
                    [s.findings[0] for s in result.deconfliction.shared if s.findings], session=session
                )
                if enricher is not None and fetched.outcome == "ok":
                    # Starts after this transaction commits; the verdict never waits for it.
                    request = EnrichmentRequest.for_page(
                        finding.id or 0, plan.link.url, plan.analysis, inv.thread_ref, inv.chat_id
                    )
                    enricher.submit(request, session=session)
    store.add_report(
        finding,
        submission_id=submission_id,
        participant_id=participant.id,
        ts=inv.ts,
        url=plan.link.url,
        session=session,
    )
    reports = store.reports_of(finding.id or 0, session=session)
    result.report_number = 1 + next((n for n, r in enumerate(reports) if r.submission_id == submission_id), 0)
    result.new = result.report_number == 1
    result.finding = finding
    result.first = _first_seen([finding.id or 0], session=session).get(finding.id or 0)
    if result.new:  # the verdict shows what is stored, history's additions included
        result.identifiers = id_store.identifiers_by_finding_id(finding.id or 0, session=session)
        result.indicator_codes = [row.code for row in store.indicators_of(finding.id or 0, session=session)]
        if not finding.suppressed:
            hits = earlier_hits(finding.canonical_url, result.identifiers, session=session)
            result.history = hits[0] if hits else None
    return result


def store_analysis(
    finding: Finding, fetched: FetchResult, analysis: PageAnalysis, *, session: Session
) -> None:
    """Write a fetched page's analysis onto its finding: fetch outcome, title, identifiers, indicators."""
    finding.platform, finding.platform_kind = analysis.platform, analysis.platform_kind
    finding.fetch_outcome, finding.fetch_status = fetched.outcome, fetched.status
    finding.final_url, finding.content_type = fetched.final_url, fetched.content_type
    finding.fetch_error = fetched.error[:500] if fetched.error else None
    finding.fetched_at = datetime.fromisoformat(fetched.fetched_at) if fetched.fetched_at else None
    finding.sha256 = fetched.sha256
    finding.suppressed = analysis.suppressed
    if analysis.suppressed is None:
        finding.title, finding.language = analysis.title[:500] or None, analysis.language
        finding.city = analysis.city
        finding.thb_score, finding.thb_suspect = analysis.thb_score, analysis.thb_suspect
    else:
        finding.sha256 = None  # nothing of a suppressed page is kept, not even its fingerprint
    session.add(finding)
    session.flush()
    fid = finding.id or 0
    id_store.attach_to_finding(
        fid, [(i.kind, i.value, i.source, i.obscured) for i in analysis.identifiers], session=session
    )
    store.set_indicators(
        fid, [(i.code, i.weight, i.evidence, i.source) for i in analysis.indicators], session=session
    )


def _first_seen(finding_ids: list[int], *, session: Session) -> dict[int, FirstSeen]:
    seen = {}
    for fid in finding_ids:
        finding = session.get(Finding, fid)
        if finding is None:
            continue
        person = session.get(Participant, finding.reporter_id)
        seen[fid] = FirstSeen(
            finding.reporter_id,
            person.name if person else "",
            person.country if person else "",
            finding.reported_at,
        )
    return seen
