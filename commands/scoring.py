"""Scoring, documented in one place (dedup-aware). Computed in SQL by `storage/tallies.py`.

Points are counted per participant and finding, from live (not retracted) reports:

* The owner of a finding — the participant whose report came first by message time; after an
  /undo of the first report, the next report's participant — scores NEW_FINDING for it,
  once, however often they paste it again (self-corroboration scores nothing).
* If the hub judges the finding THB-suspect, SUSPECT_BONUS more; if a coordinator confirms it,
  CONFIRMED_BONUS more.
* LINK_BONUS more when the finding, at the moment it was reported, shared an identifier
  (phone, e-mail, wallet, handle — not mere copied ad text) with an earlier finding: a
  `finding_links` row whose `finding_b` (the later finding) is this one. It is paid once per
  finding, however many identifiers or earlier findings it links to, and it disappears when a
  coordinator /ignores the identifier (noise never pays).
* Corroborating someone else's finding (reporting it after them) scores CORROBORATION, once
  per finding: useful, but finding the same ad five times must not pay five times.
* A rejected finding scores nothing, for its owner and its corroborators alike.
* Ties are broken by who reached the score first: the earliest time of the participant's
  last point-scoring report wins.
* A country's total is the sum of its participants' points; ties go to the country whose
  last scoring report came first.
* During a leaderboard freeze, participants see the standings captured when /freeze was given
  (judgements, undos and reports after it show only to coordinators until /unfreeze).
* Standings as of a past moment (a digest's movers "since the last digest") count the reports
  and links made by then and the judgements given by then (`findings.judged_at`).
* Every weight is positive, so a pair scores exactly when its finding is not rejected (the
  tie-break time counts scoring pairs only).

Kept live per participant by storage/live_tallies.py (the flags per participant and finding),
so reading the standings costs one row per participant; the weights are applied on reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from storage.tallies import queries as tallies

NEW_FINDING = 10.0
SUSPECT_BONUS = 5.0
CONFIRMED_BONUS = 10.0
LINK_BONUS = 3.0
CORROBORATION = 1.0

WEIGHTS = tallies.Weights(
    new_finding=NEW_FINDING,
    suspect_bonus=SUSPECT_BONUS,
    confirmed_bonus=CONFIRMED_BONUS,
    corroboration=CORROBORATION,
    link_bonus=LINK_BONUS,
)


@dataclass(frozen=True, slots=True)
class CountryTotal:
    country: str
    points: float
    participants: int
    findings: int


def standings(*, session: Session, as_of: datetime | None = None) -> list[tallies.Standing]:
    """Every participant, best first; `as_of` recomputes them from what was reported by then."""
    return tallies.standings(WEIGHTS, session=session, as_of=as_of)


def frozen_standings(*, session: Session) -> list[tallies.Standing]:
    """The standings captured by /freeze, best first."""
    return tallies.frozen_standings(WEIGHTS, session=session)


def country_totals(rows: list[tallies.Standing]) -> list[tuple[str, float, int]]:
    """(country, points, participants), best first — the shape the digest reads."""
    return [(c.country, c.points, c.participants) for c in country_standings(rows)]


def country_standings(rows: list[tallies.Standing]) -> list[CountryTotal]:
    """Countries best first, from the participants' standings (one row per participant)."""
    points: dict[str, float] = {}
    members: dict[str, int] = {}
    findings: dict[str, int] = {}
    reached: dict[str, str] = {}
    for row in rows:
        points[row.country] = points.get(row.country, 0.0) + row.points
        members[row.country] = members.get(row.country, 0) + 1
        findings[row.country] = findings.get(row.country, 0) + row.findings
        if row.points > 0:
            reached[row.country] = max(reached.get(row.country, ""), row.reached_at)
    order = sorted(points, key=lambda c: (-points[c], reached.get(c, "9999"), c))
    return [CountryTotal(c, points[c], members[c], findings[c]) for c in order]
