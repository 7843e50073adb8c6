"""The digest's words. Morning: what to work on today (judgements pending, fetches to retry,
where the indications are, the rules). Evening: the day's results (figures new and total,
networks, who and which countries moved)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from commands.digest.facts import DigestFacts, Mover, NetworkNews, Pending
from commands.markup import code
from commands.references import counted
from commands.wording import short

RULES = (
    "Rules of engagement: no contact with subjects, no purchases, no accounts in a subject's name; "
    "media and law-enforcement sites are not findings. Child sexual abuse material: never open or share "
    "it; report it through your national police, Europol national unit or an INHOPE hotline."
)

FIGURES = (
    ("potential_victims", "potential victims"),
    ("potential_perpetrators", "potential perpetrators"),
    ("platforms_checked", "platforms checked"),
    ("platforms_with_indications", "platforms with indications"),
    ("thb_urls", "THB URLs"),
    ("social_profiles", "social profiles"),
    ("networks", "networks"),
    ("findings", "findings"),
    ("could_not_open", "could not open (in no figure)"),
)


def render(facts: DigestFacts, narrative: str | None = None) -> str:
    """The digest as Reply text (plain text, "• " list items, *emphasis*)."""
    zone = ZoneInfo(facts.timezone)
    lines = [_heading(facts, zone), _since_line(facts, zone)]
    if narrative:
        lines += ["", narrative.strip()]
    if facts.slot == "morning":
        lines += _work(facts) + _networks(facts) + _figures(facts, compact=True) + _people(facts)
        lines += ["", RULES]
    else:
        lines += _figures(facts, compact=False) + _networks(facts) + _people(facts) + _work(facts)
    return "\n".join(lines).strip()


def _heading(facts: DigestFacts, zone: ZoneInfo) -> str:
    local = facts.now.astimezone(zone)
    icon, name = ("☀️", "Morning digest") if facts.slot == "morning" else ("🌙", "Evening digest")
    return f"{icon} *{name}* — {local:%a %d %b %H:%M} ({facts.timezone})"


def _since_line(facts: DigestFacts, zone: ZoneInfo) -> str:
    new = facts.new
    when = "Since the start" if facts.since is None else f"Since {_local(facts.since, zone)}"
    return (
        f"{when}: {counted(new.findings, 'new finding')}, {new.thb_urls} THB URLs, "
        f"{counted(facts.new_networks, 'new network')}."
    )


def _figures(facts: DigestFacts, *, compact: bool) -> list[str]:
    totals = facts.totals
    if compact:
        parts = [f"{label} {getattr(totals, key)}" for key, label in FIGURES]
        return ["", "*Totals:* " + " · ".join(parts)]
    lines = ["", "*Outcome figures* (new · total):"]
    for key, label in FIGURES:
        fresh = facts.new_networks if key == "networks" else getattr(facts.new, key)
        lines.append(f"• {label}: +{fresh} · {getattr(totals, key)}")
    return lines


def _networks(facts: DigestFacts) -> list[str]:
    if not facts.network_news:
        return []
    lines = ["", "*Networks new and grown:*"]
    for news in facts.network_news[:6]:
        lines.append("• " + _network_line(news))
    if len(facts.network_news) > 6:
        lines.append(f"• … and {len(facts.network_news) - 6} more (/network N<id> for details)")
    return lines


def _network_line(news: NetworkNews) -> str:
    what = "new" if news.created else f"grew by {news.new_findings}"
    via = [f"{kind} {code(short(value, 32))}" for kind, value in news.via[:3]]
    if len(news.via) > 3:
        via.append(f"+{len(news.via) - 3} more")
    if news.text_links:
        via.append(counted(news.text_links, "copied-text link"))
    joined = f" via {', '.join(via)}" if via else ""
    return f"N{news.id} {what}: {counted(news.findings, 'finding')}{joined}"


def _people(facts: DigestFacts) -> list[str]:
    lines: list[str] = []
    if facts.top_participants:
        ranked = [
            f"{n}. {row.name} ({row.country}) {row.points:g}"
            for n, row in enumerate(facts.top_participants, 1)
        ]
        lines += ["", f"*Top participants* (of {facts.participants}): " + " · ".join(ranked)]
    if facts.top_countries:
        countries = " · ".join(f"{c.country} {c.points:g}" for c in facts.top_countries)
        lines.append(f"*Top countries:* {countries}")
    if facts.movers:
        lines.append("*Movers since the last digest:* " + _movers(facts.movers, people=True))
    if facts.country_movers:
        lines.append("*Countries moving:* " + _movers(facts.country_movers, people=False))
    return lines


def _movers(movers: tuple[Mover, ...], *, people: bool) -> str:
    return " · ".join((f"{m.name} ({m.country})" if people else m.name) + _move(m) for m in movers)


def _move(mover: Mover) -> str:
    if mover.rank_before is None:
        climb = f"new at {mover.rank}"
    elif mover.rank_before > mover.rank:
        climb = f"{mover.rank_before}→{mover.rank}"
    else:
        climb = f"holds {mover.rank}"
    return f" +{mover.gained:g} ({climb})"


def _work(facts: DigestFacts) -> list[str]:
    lines: list[str] = []
    if facts.platforms_indicated:
        where = ", ".join(f"{p} ({n})" for p, n in facts.platforms_indicated)
        lines += ["", f"*Platforms with most indications:* {where}"]
    lines += ["", f"*Awaiting coordinator judgement:* {facts.awaiting_total}"]
    lines += [_pending_line(p) for p in facts.awaiting]
    if facts.awaiting_total > len(facts.awaiting):
        lines.append(f"• … and {facts.awaiting_total - len(facts.awaiting)} more")
    lines.append(f"*Fetch failures to retry by hand:* {facts.retry_total}")
    lines += [_pending_line(p) for p in facts.retry]
    if facts.retry_total > len(facts.retry):
        lines.append(f"• … and {facts.retry_total - len(facts.retry)} more")
    return lines


def _pending_line(pending: Pending) -> str:
    return f"• #{pending.finding_id} {pending.platform} ({pending.why}) {short(pending.url, 60)}"


def _local(value: datetime, zone: ZoneInfo) -> str:
    return f"{value.astimezone(zone):%a %d %b %H:%M}"
