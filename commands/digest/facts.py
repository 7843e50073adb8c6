"""The figures of one digest, gathered in one read: totals (the very queries of /counts and the
export) and what is new since the last digest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session

from commands.outcomes import Outcomes, outcomes
from commands.scoring import CountryTotal, country_standings, standings
from extraction.refang import defang
from storage import networks, recent
from storage.models import Finding
from storage.recent import Recent
from storage.tallies.queries import Standing

# Before the first digest, "since the last digest" means since the start of the operation.
BEGINNING = datetime(1970, 1, 1, tzinfo=UTC)
LIST_LIMIT = 5


@dataclass(frozen=True, slots=True)
class NetworkNews:
    """A network that appeared or grew since the last digest, and what links it."""

    id: int
    findings: int
    new_findings: int
    created: bool  # appeared since the last digest (else: grew)
    via: tuple[tuple[str, str], ...]  # shared identifiers (kind, value)
    text_links: int  # copied ad texts


@dataclass(frozen=True, slots=True)
class Mover:
    """A participant (or a country) that scored since the last digest."""

    name: str  # participant name, or the country code for a country
    country: str
    gained: float
    rank: int  # now
    rank_before: int | None  # at the last digest; None when it had no points then


@dataclass(frozen=True, slots=True)
class Pending:
    """A finding someone should look at: awaiting judgement, or a fetch to retry by hand."""

    finding_id: int
    platform: str
    url: str  # defanged
    why: str


@dataclass(frozen=True, slots=True)
class DigestFacts:
    """Everything a digest says; the narrative hook receives exactly this."""

    slot: str  # morning | evening
    now: datetime
    since: datetime | None  # None: since the start of the operation
    timezone: str
    totals: Outcomes
    new: Recent
    new_networks: int
    network_news: tuple[NetworkNews, ...]
    top_participants: tuple[Standing, ...]
    participants: int
    top_countries: tuple[CountryTotal, ...]
    movers: tuple[Mover, ...]
    country_movers: tuple[Mover, ...]
    platforms_indicated: tuple[tuple[str, int], ...]
    awaiting: tuple[Pending, ...]
    awaiting_total: int
    retry: tuple[Pending, ...]
    retry_total: int


def gather(
    *, slot: str, now: datetime, since: datetime | None, timezone: str, session: Session
) -> DigestFacts:
    """Read the digest's figures. Totals come from `outcomes()`, as /counts and the export."""
    start = since or BEGINNING
    totals = outcomes(session=session)
    rows = standings(session=session)
    before = standings(session=session, as_of=start) if since is not None else []
    movers = _movers([(r.participant_id, r.name, r.country, r.points) for r in rows], before)
    country_movers = _movers(
        [(c.country, c.country, c.country, c.points) for c in country_standings(rows)],
        [_as_standing(c) for c in country_standings(before)],
    )
    live = networks.network_ids(session=session, suspect_only=True)
    created = recent.networks_created_since(live, start, session=session)
    awaiting = recent.awaiting_judgement(session=session)
    failures = recent.fetch_failures(session=session)
    return DigestFacts(
        slot=slot,
        now=now,
        since=since,
        timezone=timezone,
        totals=totals,
        new=recent.recent(start, session=session),
        new_networks=len(created),
        network_news=tuple(_network_news(live, created, start, session=session)),
        top_participants=tuple(row for row in rows[:LIST_LIMIT] if row.points > 0),
        participants=len(rows),
        top_countries=tuple(c for c in country_standings(rows) if c.points > 0)[:LIST_LIMIT],
        movers=movers[:LIST_LIMIT],
        country_movers=country_movers[:LIST_LIMIT],
        platforms_indicated=tuple(recent.suspect_by_platform(LIST_LIMIT, session=session)),
        awaiting=tuple(_pending(f, f"score {f.thb_score:.1f}") for f in awaiting[:LIST_LIMIT]),
        awaiting_total=len(awaiting),
        retry=tuple(_pending(f, _failure(f)) for f in failures[:LIST_LIMIT]),
        retry_total=len(failures),
    )


def _network_news(
    live: list[int], created: set[int], since: datetime, *, session: Session
) -> list[NetworkNews]:
    news = []
    for network_id in live:
        members = networks.members(network_id, session=session)
        fresh = sum(1 for f in members if _aware(f.reported_at) >= since)
        if network_id not in created and not fresh:
            continue
        links = networks.links_within([f.id or 0 for f in members], session=session)
        via = sorted({(link.kind, link.value) for link in links if link.kind != "text"})
        news.append(
            NetworkNews(
                id=network_id,
                findings=len(members),
                new_findings=fresh,
                created=network_id in created,
                via=tuple(via),
                text_links=sum(1 for link in links if link.kind == "text"),
            )
        )
    # New networks first, then the ones that grew most.
    return sorted(news, key=lambda n: (not n.created, -n.new_findings, n.id))


def _movers(now: list[tuple[str, str, str, float]], before: list[Standing]) -> tuple[Mover, ...]:
    """Who gained points between the two standings (best first, in the order of `now`)."""
    then = {row.participant_id: (rank, row.points) for rank, row in enumerate(before, 1) if row.points > 0}
    movers = []
    for rank, (key, name, country, points) in enumerate(now, 1):
        rank_before, points_before = then.get(key, (None, 0.0))
        if points > points_before:
            movers.append(Mover(name, country, points - points_before, rank, rank_before))
    return tuple(sorted(movers, key=lambda m: (-m.gained, m.rank)))


def _as_standing(country: CountryTotal) -> Standing:
    return Standing(country.country, country.country, country.country, country.points, 0, 0, "")


def _pending(finding: Finding, why: str) -> Pending:
    return Pending(finding.id or 0, finding.platform or "unknown site", defang(finding.url), why)


def _failure(finding: Finding) -> str:
    if finding.fetch_outcome == "http_error":
        return f"HTTP {finding.fetch_status}"
    return {
        "timeout": "timed out",
        "not_fetched": "not fetched",
        "too_large": "page too large",
    }.get(finding.fetch_outcome, "fetch error")


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
