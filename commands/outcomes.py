"""The outcome categories an action week reports (Europol's figures), computed live; /counts."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlmodel import Session

from commands.core.context import Context
from commands.core.registry import command
from commands.core.seam import Invocation, Reply
from storage.models import Participant
from storage.tallies import queries as tallies


@dataclass(frozen=True, slots=True)
class Outcomes:
    potential_victims: int
    potential_perpetrators: int
    platforms_checked: int
    thb_urls: int
    social_profiles: int
    networks: int
    findings: int
    platforms_with_indications: int
    could_not_open: int  # pasted links whose page could not be opened: in none of the figures above

    def contract_counts(self) -> dict[str, int]:
        """The `counts` object of the JSON export (contracts.md)."""
        data = asdict(self)
        return {
            k: data[k]
            for k in (
                "potential_victims",
                "potential_perpetrators",
                "platforms_checked",
                "thb_urls",
                "social_profiles",
                "networks",
                "could_not_open",
            )
        }


def outcomes(*, session: Session) -> Outcomes:
    """Potential victims/perpetrators are human tags; platforms checked include sweeps with no hit;
    social profiles are findings on social platforms; THB URLs are suspect or confirmed findings
    that were not rejected. Read from the tallies the store keeps (storage/live_tallies.py): a
    few hundred rows whatever the number of findings, so always fresh."""
    from storage.networks import count_networks

    totals = tallies.finding_totals(session=session)
    return Outcomes(
        potential_victims=tallies.tag_count("potential_victim", session=session),
        potential_perpetrators=tallies.tag_count("potential_perpetrator", session=session),
        platforms_checked=tallies.platforms_checked(session=session),
        thb_urls=totals.thb_urls,
        social_profiles=totals.social,
        networks=count_networks(session=session),
        findings=totals.findings,
        platforms_with_indications=tallies.platforms_with_indications(session=session),
        could_not_open=tallies.could_not_open(session=session),
    )


@command("counts")
def counts(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """The operation's outcome figures, live."""
    with ctx.read() as session:
        o = outcomes(session=session)
    return Reply(
        "\n".join(
            [
                "Outcome figures so far:",
                f"• potential victims: {o.potential_victims}",
                f"• potential perpetrators: {o.potential_perpetrators}",
                f"• platforms checked: {o.platforms_checked} "
                f"(with indications: {o.platforms_with_indications})",
                f"• THB URLs: {o.thb_urls}",
                f"• social profiles: {o.social_profiles}",
                f"• networks: {o.networks}",
                f"• findings: {o.findings}",
                f"• could not open: {o.could_not_open} (links whose page was not read: no points, "
                "in none of the figures above)",
            ]
        )
    )
