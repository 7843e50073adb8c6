"""The verdict on a pasted message, worded from what the record step just stored: no query.

One line (or a few) per link — refused, stopped under the CSAM policy, already reported, or
new with its identifiers, indicators, links and network — then the identifiers typed in the
message, and what was left unchecked.
"""

from __future__ import annotations

from commands.core.context import HubConfig
from commands.core.seam import Button, Invocation, Reply
from commands.markup import code
from commands.paste.plan import PastePlan
from commands.paste.record import FirstSeen, LinkRecord, PasteRecord
from commands.references import counted
from commands.wording import ago, ordinal, short, shown_link
from deconfliction.matching import Deconfliction
from deconfliction.memory import history_line
from extraction.identifiers.kinds import icon
from extraction.refang import defang
from storage.models import Finding, Participant

CSAM_STOP = (
    "stopped: this page may involve a minor. Nothing of it was stored or shown. "
    "Do not open it again; report it through your national police / Europol national unit "
    "or an INHOPE hotline, and tell a coordinator the finding number (they are not notified "
    "automatically yet)."
)
NOT_COUNTED = "could not open: no points and in no figure until it opens or a coordinator confirms it"
FETCH_REASONS = {
    "not_fetched": "page not fetched (not in the archive)",
    "not_html": "not a page (media is never downloaded)",
    "timeout": "the site did not answer in time",
    "too_large": "page too large to fetch",
}


def finding_buttons(finding_id: int) -> list[Button]:
    """Buttons under a finding summary; each is a command line, so the registry checks the caller."""
    return [
        Button(f"/victim {finding_id}", "potential victim"),
        Button(f"/perpetrator {finding_id}", "potential perpetrator"),
        Button(f"/finding {finding_id}", "details"),
        Button(f"/confirm {finding_id}", "confirm (coordinator)"),
        Button(f"/reject {finding_id}", "reject (coordinator)"),
    ]


def verdict(
    plan: PastePlan, record: PasteRecord, inv: Invocation, participant: Participant, config: HubConfig
) -> Reply:
    """The reply to a pasted message."""
    lines = [line for link in record.links for line in _link_lines(link, inv, participant)]
    if plan.unprocessed_links:
        lines.append(
            f"Only the first {config.max_links_per_message} links were processed; "
            f"paste the other {plan.unprocessed_links} again."
        )
    for typed in record.typed:
        seen = typed.findings
        where = ("also in " + ", ".join(f"#{n}" for n in seen[:8])) if seen else "not seen in any finding yet"
        lines.append(f"{icon(typed.identifier.kind)} {code(typed.identifier.value)} — {where}")
    if plan.note:
        lines.append(plan.note)
    if plan.truncated:
        lines.append(f"Only the first {config.max_message_chars} characters were checked.")
    buttons: list[Button] = []
    for link in record.links:
        if link.finding is not None and link.new and not link.finding.suppressed:
            buttons += finding_buttons(link.finding.id or 0)
    ids = tuple(
        link.finding.id for link in record.links if link.finding is not None and link.finding.id is not None
    )
    return Reply("\n".join(lines), buttons=tuple(buttons), thread_ref=inv.thread_ref, finding_ids=ids)


def _link_lines(link: LinkRecord, inv: Invocation, participant: Participant) -> list[str]:
    shown = defang(link.link.url) if link.finding is None else shown_link(link.link.url, link.finding)
    if link.refused is not None or link.finding is None:
        return [f"⛔ {shown} — not opened: {link.refused}"]
    finding = link.finding
    ref = f"#{finding.id}"
    if finding.suppressed:
        return [f"🛑 {ref} {CSAM_STOP}"]
    if not link.new:
        first = link.first
        if first is not None and first.participant_id == participant.id:
            who = "you"
        elif first is not None and first.name:
            who = f"{first.name} ({first.country})"
        else:
            who = finding.reporter_id
        return [
            f"🔁 {ref} already reported by {who} {ago(finding.reported_at, inv.ts)} — "
            f"{ordinal(link.report_number)} report. {shown}"
        ]
    lines = [f"🆕 {ref} new — {finding.platform or 'unknown site'} ({finding.platform_kind}) · {shown}"]
    lines += _fetch_line(finding)
    ids = link.identifiers
    if ids:
        lines.append(
            "   "
            + " · ".join(f"{icon(k)} {code(short(v, 40))}" for k, v in ids[:8])
            + (f" (+{len(ids) - 8})" if len(ids) > 8 else "")
        )
    codes = link.indicator_codes
    if finding.thb_suspect:
        lines.append(f"   ⚠ THB suspect (score {finding.thb_score:.1f}): {', '.join(codes)}")
    elif codes:
        lines.append(f"   indicators (weak): {', '.join(codes)}")
    if link.deconfliction is not None:
        lines += _link_to_earlier(link.deconfliction, link.earlier, inv, link.network_size)
    if link.history is not None:  # one line, whatever else an earlier operation knows
        lines.append("   " + history_line(link.history, icon(link.history.kind)))
    return lines


def _link_to_earlier(
    result: Deconfliction, earlier: dict[int, FirstSeen], inv: Invocation, size: tuple[int, int]
) -> list[str]:
    lines = []
    for shared in result.shared[:6]:
        places = []
        for n, fid in enumerate(shared.findings[:4]):
            first = earlier.get(fid)
            if n == 0 and first is not None:
                by = f"{first.name}, {first.country}" if first.name else first.participant_id
                places.append(f"#{fid} (reported by {by}, {ago(first.at, inv.ts)})")
            else:
                places.append(f"#{fid}")
        more = f" and {len(shared.findings) - 4} more" if len(shared.findings) > 4 else ""
        lines.append(f"   🔗 {shared.kind} {code(short(shared.value, 40))} also in {', '.join(places)}{more}")
    for copy in sorted(result.copies, key=lambda c: -c.similarity)[:3]:
        lines.append(f"   ≈ ad text {copy.similarity:.0%} like #{copy.finding} (copied template)")
    for kind, value, why in result.silenced[:3]:
        lines.append(f"   · {kind} {code(short(value, 30))} not linked: {why}")
    if result.network is not None:
        findings, suspects = size
        held = counted(findings, "finding")
        what = f"⚠ {suspects} of {held} THB-suspect" if suspects else f"{held}, none THB-suspect"
        lines.append(f"   → network N{result.network} ({what})")
    return lines


def _fetch_line(finding: Finding) -> list[str]:
    if finding.fetch_outcome == "ok":
        return []
    reasons = FETCH_REASONS | {
        "refused": f"page not fetched: {finding.fetch_error}",
        "http_error": f"site answered HTTP {finding.fetch_status}",
    }
    reason = reasons.get(finding.fetch_outcome, f"fetch failed: {finding.fetch_error}")
    return ["   " + reason, "   " + NOT_COUNTED]
