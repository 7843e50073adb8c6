"""The outcome categories an action week reports (Europol's figures), computed live."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlmodel import Session

from storage import tallies, tally_cache


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
            )
        }


def outcomes(*, session: Session) -> Outcomes:
    """Potential victims/perpetrators are human tags; platforms checked include sweeps with no hit;
    social profiles are findings on social platforms; THB URLs are suspect or confirmed findings
    that were not rejected. Reused while the store is unchanged (storage/tally_cache.py)."""
    return tally_cache.remembered("outcomes", lambda: _outcomes(session=session), session=session)


def _outcomes(*, session: Session) -> Outcomes:
    from storage.findings import count_findings
    from storage.networks import count_networks

    return Outcomes(
        potential_victims=tallies.tag_count("potential_victim", session=session),
        potential_perpetrators=tallies.tag_count("potential_perpetrator", session=session),
        platforms_checked=tallies.platforms_checked(session=session),
        thb_urls=tallies.thb_urls(session=session),
        social_profiles=tallies.findings_of_kind("social", session=session),
        networks=count_networks(session=session),
        findings=count_findings(session=session),
        platforms_with_indications=tallies.platforms_with_indications(session=session),
    )
