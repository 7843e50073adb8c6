"""Scoring, documented in one place (dedup-aware).

* A new finding (the first report of a canonical URL) scores NEW_FINDING.
* If the hub judges it THB-suspect, SUSPECT_BONUS more; if a coordinator confirms it,
  CONFIRMED_BONUS more; a rejected finding scores nothing.
* Corroborating someone else's finding (a duplicate report) scores CORROBORATION: it is
  useful, but finding the same ad five times must not pay five times.
* Ties are broken by who reached the score first (the time of their last scoring report).
"""

from __future__ import annotations

from sqlmodel import Session

from storage import tallies

NEW_FINDING = 10.0
SUSPECT_BONUS = 5.0
CONFIRMED_BONUS = 10.0
CORROBORATION = 1.0

WEIGHTS = tallies.Weights(
    new_finding=NEW_FINDING,
    suspect_bonus=SUSPECT_BONUS,
    confirmed_bonus=CONFIRMED_BONUS,
    corroboration=CORROBORATION,
)


def standings(*, session: Session) -> list[tallies.Standing]:
    return tallies.standings(WEIGHTS, session=session)


def country_totals(rows: list[tallies.Standing]) -> list[tuple[str, float, int]]:
    """(country, points, participants) ordered by points."""
    totals: dict[str, list[float]] = {}
    for row in rows:
        entry = totals.setdefault(row.country, [0.0, 0.0])
        entry[0] += row.points
        entry[1] += 1
    ordered = sorted(totals.items(), key=lambda kv: (-kv[1][0], kv[0]))
    return [(country, pts, int(n)) for country, (pts, n) in ordered]
