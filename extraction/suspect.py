"""The THB-suspect score: indicators weighed into one number, with one threshold.

A high score asks an investigator to look; it is never a verdict (docs/indicators.md explains
each weight). The score is, per indicator code, the strongest piece of evidence plus a quarter of
the rest (capped at 1.25 times the strongest, so a weak code stays weak however often it is
repeated); plus the obscured-contact weight; plus a small prior for platforms where sex ads
live, added only when the page shows at least one indicator of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from extraction.indicators import OBSCURED_CONTACT_WEIGHT
from extraction.types import Indicator

THB_SUSPECT_THRESHOLD = 1.0
# Extra evidence of the same code adds a quarter of its weight: three lure phrases in one job ad
# say more than one, but not three times as much.
SAME_CODE_SHARE = 0.25
SAME_CODE_CAP = 1.25
# The kind of platform is context, not evidence: it can tip a page that already shows an
# indicator, never make one suspect on its own.
PLATFORM_PRIOR = {"escort": 0.3, "darkweb": 0.3, "dating": 0.1}
_OBSCURED = "obscured_contact"


def code_scores(indicators: Sequence[Indicator]) -> dict[str, float]:
    """Each code's contribution: strongest weight plus SAME_CODE_SHARE of the others, capped."""
    weights: dict[str, list[float]] = defaultdict(list)
    for indicator in indicators:
        weights[indicator.code].append(indicator.weight)
    scores: dict[str, float] = {}
    for code, found in weights.items():
        strongest, *rest = sorted(found, reverse=True)
        scores[code] = min(SAME_CODE_CAP * strongest, strongest + SAME_CODE_SHARE * sum(rest))
    return scores


def thb_score(indicators: Sequence[Indicator], *, obscured_contact: bool, platform_kind: str) -> float:
    """How strongly the page's indicators point at trafficking (THB_SUSPECT_THRESHOLD = look).

    `obscured_contact` and an `obscured_contact` indicator in `indicators` count once together.
    """
    scores = code_scores(indicators)
    if obscured_contact:
        scores[_OBSCURED] = max(scores.get(_OBSCURED, 0.0), OBSCURED_CONTACT_WEIGHT)
    total = sum(scores.values())
    if total > 0:
        total += PLATFORM_PRIOR.get(platform_kind, 0.0)
    return round(total, 3)


def is_thb_suspect(score: float) -> bool:
    """Whether a score is high enough to flag the finding as THB-suspect."""
    return score >= THB_SUSPECT_THRESHOLD


def score_with(score: float, extra: Indicator, *, platform_kind: str) -> float:
    """A stored score with one more indicator of a code it did not have (history adds these).

    Codes add up independently, so the new code's contribution is simply added; the platform
    prior is added only if the page had no indicator before (as thb_score would have done).
    """
    added = code_scores([extra])[extra.code]
    if score <= 0:
        added += PLATFORM_PRIOR.get(platform_kind, 0.0)
    return round(score + added, 3)
