"""/network N4: its findings, the links that make it, and whether it is a THB network."""

from __future__ import annotations

from commands.core.context import Context
from commands.core.registry import command
from commands.core.seam import Invocation, Reply, refusal
from commands.findings import finding_label
from commands.markup import code
from commands.references import counted, network_number, who
from commands.wording import short
from extraction.identifiers.kinds import icon
from storage import networks
from storage.models import Participant

SHOWN = 15


@command("network", usage="<N4>")
def network(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """A network's findings and the shared identifiers and copied ad texts that join them."""
    number = network_number(inv.args)
    if number is None:
        return refusal("Usage: /network <N4> — e.g. /network N4 or /network 4.")
    with ctx.read() as session:
        live = networks.resolve(number, session=session)
        members = networks.members(live, session=session) if live is not None else []
        if live is None or len(members) < 2:
            return Reply(f"N{number} does not exist.")
        links = networks.links_within([f.id or 0 for f in members], session=session)
        reporters = {f.reporter_id: who(f.reporter_id, session=session) for f in members}
    suspects = sum(1 for f in members if f.thb_suspect)
    head = f"Network N{live}" + (f" (N{number} was merged into it)" if live != number else "")
    verdict = (
        f"⚠ THB network: {suspects} of {counted(len(members), 'finding')} "
        + ("is" if suspects == 1 else "are")
        + " THB-suspect"
        if suspects
        else f"not a THB network: none of its {counted(len(members), 'finding')} is THB-suspect"
    )
    lines = [f"{head} — {verdict}; reported by {counted(len(reporters), 'participant')}."]
    lines.append("Findings:")
    lines += [f"• {finding_label(f)} — {reporters[f.reporter_id]}" for f in members[:SHOWN]]
    if len(members) > SHOWN:
        lines.append(f"• … and {len(members) - SHOWN} more")
    shared: dict[tuple[str, str], set[int]] = {}
    copies: list[tuple[int, int, str]] = []
    for link in links:
        if link.kind == "text":
            copies.append((link.finding_a, link.finding_b, link.value))
        else:
            shared.setdefault((link.kind, link.value), set()).update((link.finding_a, link.finding_b))
    if shared:
        lines.append("Linked by:")
        for (kind, value), ids in sorted(shared.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            where = ", ".join(f"#{n}" for n in sorted(ids))
            lines.append(f"• {icon(kind)} {kind} {code(short(value, 40))} — {where}")
    if copies:
        lines.append(f"Copied ad text ({counted(len(copies), 'pair')}):")
        lines += [f"• #{a} ≈ #{b} ({float(v):.0%})" for a, b, v in copies[:SHOWN]]
        if len(copies) > SHOWN:
            lines.append(f"• … and {len(copies) - SHOWN} more")
    return Reply("\n".join(lines), finding_ids=tuple(f.id or 0 for f in members))
