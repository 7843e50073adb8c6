"""A pasted message: links become findings (new or duplicate), typed identifiers are looked up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session

from commands.core.seam import Button, Invocation, Reply
from commands.paste.enrich import EnrichmentRequest
from commands.wording import ago, ordinal, short
from deconfliction.canonical import canonical_url
from deconfliction.matching import Deconfliction, deconflict
from extraction.analyse import PageAnalysis, analyse_page, identifiers_in, region_hints
from extraction.links import find_links
from extraction.refang import defang
from extraction.types import FetchResult, Identifier, Link
from extraction.unicode_safety import clean_text
from storage import findings as store
from storage import identifiers as id_store
from storage.models import Finding, Participant

if TYPE_CHECKING:
    from commands.core.dispatcher import Hub

ICONS = {"phone": "☎", "email": "✉", "wallet": "₿", "handle": "@"}


def finding_buttons(finding_id: int) -> list[Button]:
    """Buttons under a finding summary; each is a command line, so the registry checks the caller."""
    return [
        Button(f"/victim {finding_id}", "potential victim"),
        Button(f"/perpetrator {finding_id}", "potential perpetrator"),
        Button(f"/finding {finding_id}", "details"),
        Button(f"/confirm {finding_id}", "confirm (coordinator)"),
        Button(f"/reject {finding_id}", "reject (coordinator)"),
    ]


def has_links(text: str) -> bool:
    return bool(find_links(text))


@dataclass(slots=True)
class Verdict:
    """What happened to one link of a message."""

    link: Link
    finding: Finding | None = None
    new: bool = False
    refused: str | None = None
    report_number: int = 0
    first_reporter: Participant | None = None
    analysis: PageAnalysis | None = None
    deconfliction: Deconfliction | None = None


def handle_paste(
    hub: Hub, inv: Invocation, participant: Participant, submission_id: int, *, session: Session
) -> Reply:
    """Every link in the message through fetch, extraction and deconfliction; one reply."""
    cleaned = clean_text(inv.text[: hub.config.max_message_chars])
    links = find_links(
        cleaned.text, allow_private=hub.config.allow_private_targets, tor_proxy=hub.config.tor_proxy
    )
    limit = hub.config.max_links_per_message
    verdicts = [
        _one_link(hub, inv, participant, submission_id, link, session=session) for link in links[:limit]
    ]
    typed = _typed_identifiers(cleaned.text, links, participant)
    if typed:
        id_store.attach_to_submission(submission_id, [(i.kind, i.value) for i in typed], session=session)
    lines = [line for verdict in verdicts for line in _render(verdict, inv, participant, session=session)]
    if len(links) > limit:
        lines.append(
            f"Only the first {limit} links were processed; paste the other {len(links) - limit} again."
        )
    lines += _render_typed(typed, session=session)
    if cleaned.note:
        lines.append(cleaned.note)
    if len(inv.text) > hub.config.max_message_chars:
        lines.append(f"Only the first {hub.config.max_message_chars} characters were checked.")
    buttons: list[Button] = []
    for verdict in verdicts:
        if verdict.finding is not None and verdict.new and not verdict.finding.suppressed:
            buttons += finding_buttons(verdict.finding.id or 0)
    ids = tuple(v.finding.id for v in verdicts if v.finding is not None and v.finding.id is not None)
    return Reply("\n".join(lines), buttons=tuple(buttons), thread_ref=inv.thread_ref, finding_ids=ids)


def _typed_identifiers(text: str, links: list[Link], participant: Participant) -> list[Identifier]:
    for link in links:
        text = text.replace(link.raw, " ")
    return identifiers_in(text, (), region_hints("", None, participant.country), source="message")


def _one_link(
    hub: Hub, inv: Invocation, participant: Participant, submission_id: int, link: Link, *, session: Session
) -> Verdict:
    verdict = Verdict(link=link)
    onion = (link.url.split("/")[2] if "//" in link.url else "").lower().endswith(".onion")
    if link.refusal and not onion:
        verdict.refused = link.refusal
        return verdict
    try:
        canonical = canonical_url(link.url)
    except ValueError as exc:
        verdict.refused = str(exc)
        return verdict
    finding = store.finding_for_url(canonical, session=session)
    if finding is None:
        fetched = (
            FetchResult(url=link.url, outcome="refused", error=link.refusal)
            if link.refusal
            else hub.fetcher.fetch(link.url)
        )
        final_canonical = canonical
        if fetched.final_url and fetched.outcome in ("ok", "http_error", "not_html"):
            try:
                final_canonical = canonical_url(fetched.final_url)
            except ValueError:
                final_canonical = canonical
        finding, verdict.new = store.claim_finding(
            canonical_url=final_canonical,
            url=link.url,
            platform="",
            reporter_id=participant.id,
            reported_at=inv.ts,
            created_at=hub.clock(),
            session=session,
        )
        if final_canonical != canonical:
            store.add_alias(canonical, finding.id or 0, session=session)
        if verdict.new:
            verdict.analysis = analyse_page(fetched, link.url, participant_country=participant.country)
            _store_analysis(finding, fetched, verdict.analysis, session=session)
            if verdict.analysis.suppressed is None:
                verdict.deconfliction = deconflict(
                    finding.id or 0,
                    [(i.kind, i.value) for i in verdict.analysis.identifiers],
                    verdict.analysis.body,
                    at=inv.ts,
                    session=session,
                )
                if hub.enricher is not None and fetched.outcome == "ok":
                    # Starts after this transaction commits; the verdict below never waits for it.
                    request = EnrichmentRequest.for_page(
                        finding.id or 0, link.url, verdict.analysis, inv.thread_ref, inv.chat_id
                    )
                    hub.enricher.submit(request, session=session)
    verdict.finding = finding
    store.add_report(
        finding,
        submission_id=submission_id,
        participant_id=participant.id,
        ts=inv.ts,
        url=link.url,
        session=session,
    )
    reports = store.reports_of(finding.id or 0, session=session)
    verdict.report_number = 1 + next(
        (n for n, r in enumerate(reports) if r.submission_id == submission_id), 0
    )
    verdict.new = verdict.report_number == 1
    verdict.first_reporter = session.get(Participant, finding.reporter_id)
    return verdict


def _store_analysis(
    finding: Finding, fetched: FetchResult, analysis: PageAnalysis, *, session: Session
) -> None:
    from datetime import datetime

    finding.platform, finding.platform_kind = analysis.platform, analysis.platform_kind
    finding.fetch_outcome, finding.fetch_status = fetched.outcome, fetched.status
    finding.final_url, finding.content_type = fetched.final_url, fetched.content_type
    finding.fetch_error = (fetched.error or None) and fetched.error[:500]  # type: ignore[index]
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


def _render(verdict: Verdict, inv: Invocation, participant: Participant, *, session: Session) -> list[str]:
    shown = defang(verdict.link.url)
    if verdict.refused:
        return [f"⛔ {shown} — not opened: {verdict.refused}"]
    finding = verdict.finding
    assert finding is not None
    ref = f"#{finding.id}"
    if finding.suppressed:
        return [
            f"🛑 {ref} stopped: this page may involve a minor. Nothing of it was stored or shown. "
            "Do not open it again; report it through your national police / Europol national unit "
            "or an INHOPE hotline. Coordinators have been alerted."
        ]
    if not verdict.new:
        first = verdict.first_reporter
        who = (
            "you"
            if first and first.id == participant.id
            else (f"{first.name} ({first.country})" if first else finding.reporter_id)
        )
        return [
            f"🔁 {ref} already reported by {who} {ago(finding.reported_at, inv.ts)} — "
            f"{ordinal(verdict.report_number)} report. {shown}"
        ]
    lines = [f"🆕 {ref} new — {finding.platform or 'unknown site'} ({finding.platform_kind}) · {shown}"]
    lines += _fetch_line(finding)
    ids = id_store.identifiers_by_finding_id(finding.id or 0, session=session)
    if ids:
        lines.append(
            "   "
            + " · ".join(f"{ICONS.get(k, '')} {short(v, 40)}" for k, v in ids[:8])
            + (f" (+{len(ids) - 8})" if len(ids) > 8 else "")
        )
    codes = [row.code for row in store.indicators_of(finding.id or 0, session=session)]
    if finding.thb_suspect:
        lines.append(f"   ⚠ THB suspect (score {finding.thb_score:.1f}): {', '.join(codes)}")
    elif codes:
        lines.append(f"   indicators (weak): {', '.join(codes)}")
    if verdict.deconfliction is not None:
        lines += _render_links(verdict.deconfliction, inv, session=session)
    return lines


def _render_links(result: Deconfliction, inv: Invocation, *, session: Session) -> list[str]:
    lines = []
    for shared in result.shared[:6]:
        places = []
        for n, fid in enumerate(shared.findings[:4]):
            other = session.get(Finding, fid)
            if n == 0 and other is not None:
                who = session.get(Participant, other.reporter_id)
                by = f"{who.name}, {who.country}" if who else other.reporter_id
                places.append(f"#{fid} (reported by {by}, {ago(other.reported_at, inv.ts)})")
            else:
                places.append(f"#{fid}")
        more = f" and {len(shared.findings) - 4} more" if len(shared.findings) > 4 else ""
        lines.append(f"   🔗 {shared.kind} {short(shared.value, 40)} also in {', '.join(places)}{more}")
    for copy in sorted(result.copies, key=lambda c: -c.similarity)[:3]:
        lines.append(f"   ≈ ad text {copy.similarity:.0%} like #{copy.finding} (copied template)")
    for kind, value, why in result.silenced[:3]:
        lines.append(f"   · {kind} {short(value, 30)} not linked: {why}")
    if result.network is not None:
        lines.append(f"   → network N{result.network}")
    return lines


def _fetch_line(finding: Finding) -> list[str]:
    if finding.fetch_outcome == "ok":
        return []
    reasons = {
        "not_fetched": "page not fetched (not in the archive)",
        "refused": f"page not fetched: {finding.fetch_error}",
        "not_html": "not a page (media is never downloaded)",
        "http_error": f"site answered HTTP {finding.fetch_status}",
        "timeout": "the site did not answer in time",
        "too_large": "page too large to fetch",
    }
    return ["   " + reasons.get(finding.fetch_outcome, f"fetch failed: {finding.fetch_error}")]


def _render_typed(typed: list[Identifier], *, session: Session) -> list[str]:
    lines = []
    for ident in typed[:10]:
        seen = id_store.findings_with_identifier(ident.kind, ident.value, session=session)
        where = ("also in " + ", ".join(f"#{n}" for n in seen[:8])) if seen else "not seen in any finding yet"
        lines.append(f"{ICONS.get(ident.kind, '')} {ident.value} — {where}")
    return lines
