"""/lookup <phone|email|wallet|handle|url>: who reported it, when, in which findings and networks.

The query is read with the same extraction functions as pasted pages, so `06-12345678` from a
Dutch investigator, `+31 6 1234 5678` and `wa.me/31612345678` find the same phone.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from commands.core.context import Context
from commands.core.registry import command
from commands.core.seam import Invocation, Reply, refusal
from commands.findings import finding_label, network_of
from commands.markup import code
from commands.references import counted, who
from commands.wording import ago
from deconfliction.canonical import canonical_url
from deconfliction.memory import earlier_hits, history_line
from extraction.identifiers.kinds import KINDS, IdentifierKind, icon
from extraction.links import find_links
from extraction.refang import defang
from extraction.types import Identifier
from storage import findings as store
from storage import lookups
from storage.models import Finding, Participant

USAGE = (
    "Usage: /lookup <phone|email|wallet|handle|url> — e.g. /lookup +31612345678, /lookup @anna_vip, "
    "/lookup telegram:anna_vip, /lookup hxxps://example[.]nl/ad/1."
)
SHOWN = 10


@dataclass(frozen=True, slots=True)
class Query:
    """A query read as one identifier (kind, contract value) and/or a URL (canonical)."""

    kind: str | None = None
    value: str | None = None
    canonical: str | None = None
    url: str | None = None


def read_query(text: str, country: str | None) -> Query | None:
    """The identifier or URL a person typed, spelled as the hub stores it; None if unreadable.

    First a spelling only one kind has (`telegram:anna`, a checksum-valid wallet), then a link
    (a profile link names a handle, a WhatsApp link a phone: those are looked up too), then each
    kind's finder in the table's lookup order."""
    text = text.strip()
    if not text:
        return None
    kinds = KINDS.for_lookup()
    for kind in kinds:
        value = kind.read(text) if kind.read is not None else None
        if value:
            return Query(kind.name, value)
    regions = [country] if country else []
    links = find_links(text)
    if links:
        link = links[0]
        named = next(
            (
                found
                for kind in kinds
                if kind.from_link
                for found in kind.from_link(link.url, regions, "message")
            ),
            None,
        )
        try:
            canonical = canonical_url(link.url)
        except ValueError:
            canonical = None
        return Query(named.kind if named else None, named.value if named else None, canonical, link.url)
    for kind in kinds:
        found = kind.find(text, regions, "message")
        if found:
            return Query(kind.name, found[0].value)
    return None


def _from_link(kind: IdentifierKind, url: str, regions: list[str]) -> list[Identifier]:
    return kind.from_link(url, regions, "message") if kind.from_link is not None else []


def _finding_line(finding: Finding, inv: Invocation, *, session: Session) -> str:
    network = network_of(finding, session=session)
    return (
        f"• {finding_label(finding)} — reported by {who(finding.reporter_id, session=session)} "
        f"{ago(finding.reported_at, inv.ts)}" + (f" · network {network}" if network else "")
    )


def _identifier_lines(query: Query, inv: Invocation, *, session: Session) -> list[str]:
    assert query.kind and query.value
    row = lookups.identifier_row(query.kind, query.value, session=session)
    head = f"{query.kind} {code(query.value)}"
    if row is None or row.id is None:
        return [f"{head}: not seen in any finding or message yet."]
    carrying = lookups.findings_carrying(row.id, session=session)
    mentions = lookups.mentions_of(row.id, session=session)
    lines = [head + (" (ignored by coordinators: it links nothing)" if row.ignored else "")]
    if carrying:
        lines.append(f"In {counted(len(carrying), 'finding')}:")
        lines += [_finding_line(f, inv, session=session) for f in carrying[:SHOWN]]
        if len(carrying) > SHOWN:
            lines.append(f"• … and {len(carrying) - SHOWN} more")
    if mentions:
        people = ", ".join(f"{who(pid, session=session)} {ago(ts, inv.ts)}" for pid, ts in mentions[:5])
        lines.append(f"Typed in chat by {people}")
    if not carrying and not mentions:
        lines.append("Not in any finding yet.")
    return lines


@command("lookup", usage="<phone|email|wallet|handle|url>")
def lookup(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """Who reported a phone, e-mail, wallet, handle or URL, when, and what it links to."""
    query = read_query(inv.args, participant.country if participant else inv.country)
    if query is None:
        shown = defang(inv.args[:80]) if inv.args else ""
        problem = (
            f"I could not read {code(shown)} as a phone, e-mail, wallet, handle or URL. " if shown else ""
        )
        return refusal(f"{problem}{USAGE}")
    lines: list[str] = []
    with ctx.read() as session:
        if query.canonical:
            found = store.finding_for_url(query.canonical, session=session)
            shown = defang(query.url or query.canonical)
            if found is None and not query.kind:  # a profile or WhatsApp link: its identifier speaks
                lines.append(f"{shown}: not reported yet. Paste it to check it.")
            elif found is not None:
                reports = lookups.report_counts([found.id or 0], session=session).get(found.id or 0, 0)
                lines.append(f"{shown} is finding #{found.id} ({counted(reports, 'report')}):")
                lines.append(_finding_line(found, inv, session=session))
        if query.kind:
            lines += _identifier_lines(query, inv, session=session)
        # Earlier operations that allow matching: one line each, nothing else of theirs.
        asked = [(query.kind, query.value)] if query.kind and query.value else []
        for hit in earlier_hits(query.canonical, asked, session=session):
            lines.append(history_line(hit, icon(hit.kind)))
    return Reply("\n".join(lines))
