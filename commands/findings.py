"""One finding and your findings: /finding N (everything the hub knows), /mine, /undo N (withdraw
your own report shortly after making it: a wrong paste)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from commands.core.context import Context
from commands.core.registry import command
from commands.core.seam import Invocation, Reply, refusal
from commands.markup import code
from commands.paste.verdict import finding_buttons
from commands.references import counted, finding_number, get_finding, local_time, who
from commands.wording import ago, short, shown_link
from extraction.identifiers.kinds import icon
from storage import audit, lookups, networks, retractions, tags
from storage import findings as store
from storage import identifiers as id_store
from storage.models import Finding, Participant

MINE_LIMIT = 15


def finding_label(finding: Finding) -> str:
    """'#12 rozenkamer.nl (escort) ⚠' — one line about a finding in lists."""
    marks = " ⚠" if finding.thb_suspect else ""
    if finding.judgement:
        marks += f" [{finding.judgement}]"
    return f"#{finding.id} {finding.platform or 'unknown site'} ({finding.platform_kind}){marks}"


def network_of(finding: Finding, *, session: Session) -> str | None:
    """'N4' when the finding belongs to a network (two or more findings), else None."""
    if finding.network_id is None:
        return None
    return (
        f"N{finding.network_id}" if len(networks.members(finding.network_id, session=session)) > 1 else None
    )


def finding_details(
    number: int, *, now: datetime, timezone: str, session: Session
) -> tuple[Finding, list[str]] | None:
    """The lines /finding shows about #number (the web view's finding page shows the same), or None."""
    found = get_finding(number, session=session)
    if found is None:
        return None
    reports = store.reports_of(number, session=session)
    lines = [f"{finding_label(found)} · {shown_link(found.url, found)}"]
    if found.suppressed:
        lines.append("🛑 Stopped under the child-protection policy: nothing of the page is kept or shown.")
    first = who(found.reporter_id, session=session)
    when = f"{local_time(found.reported_at, timezone)} ({ago(found.reported_at, now)})"
    lines.append(f"• first reported by {first}, {when}")
    later = [r for r in reports if not (r.participant_id == found.reporter_id and r.ts == found.reported_at)]
    if later:
        lines.append(
            f"• {counted(len(later), 'more report')}: "
            + ", ".join(f"{who(r.participant_id, session=session)} {ago(r.ts, now)}" for r in later[:8])
        )
    if found.fetch_outcome != "ok":
        lines.append(f"• page: {found.fetch_outcome.replace('_', ' ')}")
    if not found.suppressed:
        ids = id_store.identifiers_by_finding_id(number, session=session)
        if ids:
            lines.append("• identifiers: " + " · ".join(f"{icon(k)} {code(short(v, 40))}" for k, v in ids))
        indicators = store.indicators_of(number, session=session)
        for row in indicators[:6]:
            evidence = f" — “{short(row.evidence, 60)}”" if row.evidence else ""
            lines.append(f"• indicator {row.code} ({row.weight:.1f}){evidence}")
        if found.thb_suspect:
            lines.append(f"• ⚠ THB suspect (score {found.thb_score:.1f})")
    for tag in tags.tags_of(number, session=session):
        note = f": {short(tag.note, 80)}" if tag.note else ""
        lines.append(f"• 🏷 {tag.tag.replace('_', ' ')} — {who(tag.participant_id, session=session)}{note}")
    if found.judgement:
        lines.append(f"• judged {found.judgement} by a coordinator")
    network = network_of(found, session=session)
    if network:
        lines.append(f"• part of network {network} (/network {network})")
    return found, lines


@command("finding", usage="<#N>")
def finding(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """Everything about finding #N: reports, identifiers, indicators, tags, network."""
    number = finding_number(inv.args)
    if number is None:
        return refusal("Usage: /finding <#N> — e.g. /finding 12.")
    with ctx.read() as session:
        details = finding_details(number, now=inv.ts, timezone=ctx.config.timezone, session=session)
    if details is None:
        return Reply(f"#{number} does not exist.")
    found, lines = details
    buttons = () if found.suppressed else tuple(b for b in finding_buttons(number) if b.label != "details")
    return Reply("\n".join(lines), buttons=buttons, finding_ids=(number,))


@command("mine")
def mine(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """Your findings and the findings you corroborated, newest first."""
    assert participant is not None
    with ctx.read() as session:
        owned = lookups.findings_owned_by(participant.id, limit=MINE_LIMIT, session=session)
        corroborated = lookups.findings_corroborated_by(participant.id, limit=MINE_LIMIT, session=session)
        counts = lookups.report_counts([f.id or 0 for f in owned], session=session)
    if not owned and not corroborated:
        return Reply("You have no findings yet: paste a link to check it.")
    lines = [f"Your findings ({len(owned)}{'+' if len(owned) == MINE_LIMIT else ''}):"]
    for f in owned:
        others = counts.get(f.id or 0, 1) - 1
        seen = f" · {counted(others, 'more report')}" if others > 0 else ""
        lines.append(f"• {finding_label(f)} {ago(f.reported_at, inv.ts)}{seen}")
    if corroborated:
        lines.append(f"Corroborated by you ({len(corroborated)}):")
        lines += [f"• {finding_label(f)}" for f in corroborated]
    return Reply("\n".join(lines))


@command("undo", usage="<#N>")
def undo(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """Withdraw your latest report of #N, within the undo window (ownership passes to the next report)."""
    assert participant is not None
    reporter = participant
    number = finding_number(inv.args)
    if number is None:
        return refusal("Usage: /undo <#N> — e.g. /undo 12.")
    window = ctx.config.undo_window
    minutes = int(window.total_seconds() // 60)

    def write(session: Session) -> Reply:
        found = get_finding(number, session=session)
        if found is None:
            return refusal(f"#{number} does not exist.")
        report = lookups.latest_report(number, reporter.id, session=session)
        if report is None:
            return refusal(f"#{number} is not yours: you have no report of it to withdraw.")
        if inv.ts - report.ts > window or inv.ts < report.ts:
            return refusal(
                f"The undo window has passed: reports can be withdrawn within {minutes} min. "
                f"Ask a coordinator to /reject #{number} instead."
            )
        owned_before = found.reporter_id
        found = retractions.retract(report, session=session)
        audit.record(
            reporter.id,
            "report.retracted",
            f"#{number}",
            at=inv.ts,
            detail={"report": report.id, "owner_before": owned_before, "owner_after": found.reporter_id},
            session=session,
        )
        successor = who(found.reporter_id, session=session) if found.reporter_id != owned_before else None
        remaining = lookups.report_counts([number], session=session).get(number, 0)
        after = f" #{number} now belongs to {successor}." if successor else ""
        if not remaining:
            after = (
                f" Nobody else reported #{number}: it scores nobody and no longer counts as a finding, "
                "THB URL, social profile or checked site in /counts (it stays on record and in its "
                "network; exports mark it withdrawn)."
            )
        return Reply(f"↩ Your report of #{number} is withdrawn.{after}")

    return ctx.record(write)
