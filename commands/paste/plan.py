"""Plan a pasted message: its links, refused or canonical, and the pages of the new ones fetched
and analysed — with no database session open while a page is on its way.

The store is read once, briefly, to skip fetching a link that is already a finding. Pages of
one message are fetched side by side (`HubConfig.fetches_at_once`), each URL once however many
spellings of it the message holds. The record step (commands/paste/record.py) decides, in one
short write transaction, what each link turned out to be: a race with another paste of the
same page is settled there by the database, and a plan's analysis it does not need is dropped.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from commands.core.context import Context
from commands.core.seam import Invocation
from deconfliction.canonical import canonical_url
from extraction.analyse import PageAnalysis, analyse_page, region_hints
from extraction.fetch.targets import is_onion
from extraction.identifiers.kinds import identifiers_in
from extraction.links import find_links
from extraction.types import FetchResult, Identifier, Link
from extraction.unicode_safety import clean_text
from storage import findings as store
from storage.models import Participant


@dataclass(frozen=True, slots=True)
class LinkPlan:
    """One link of the message, as planned."""

    link: Link
    refused: str | None = None  # never opened, and no finding: why
    canonical: str | None = None
    fetched: FetchResult | None = None  # None: the link was a finding already when planned
    final_canonical: str | None = None  # where the fetch ended (a redirect's target)
    analysis: PageAnalysis | None = None


@dataclass(frozen=True, slots=True)
class PastePlan:
    links: list[LinkPlan]
    unprocessed_links: int  # beyond `max_links_per_message`
    typed: list[Identifier]  # identifiers typed in the message itself, outside its links
    note: str | None  # what cleaning the text said (invisible characters, bidi overrides)
    truncated: bool  # the message was longer than `max_message_chars`


def plan_paste(ctx: Context, inv: Invocation, participant: Participant) -> PastePlan:
    """Read the message, look up which links are known, fetch and analyse the new ones."""
    config = ctx.config
    cleaned = clean_text(inv.text[: config.max_message_chars])
    links = find_links(cleaned.text, allow_private=config.allow_private_targets, tor_proxy=config.tor_proxy)
    limit = config.max_links_per_message
    planned = _first_of_each_page([_read_link(link) for link in links[:limit]])
    candidates = {p.canonical for p in planned if p.canonical is not None}
    with ctx.read() as session:
        known = {c for c in candidates if store.finding_for_url(c, session=session) is not None}
    wanted: dict[str, Link] = {}
    for plan in planned:
        if plan.canonical is not None and plan.canonical not in known:
            wanted.setdefault(plan.canonical, plan.link)
    pages = _fetch_all(ctx, wanted, participant.country)
    return PastePlan(
        links=[
            _with_page(plan, pages[plan.canonical]) if plan.canonical in pages else plan for plan in planned
        ],
        unprocessed_links=max(0, len(links) - limit),
        typed=_typed_identifiers(cleaned.text, links, participant),
        note=cleaned.note,
        truncated=len(inv.text) > config.max_message_chars,
    )


def _first_of_each_page(planned: list[LinkPlan]) -> list[LinkPlan]:
    """Two spellings of one page in one message are one report, answered once."""
    seen: set[str] = set()
    kept: list[LinkPlan] = []
    for plan in planned:
        if plan.canonical is not None:
            if plan.canonical in seen:
                continue
            seen.add(plan.canonical)
        kept.append(plan)
    return kept


def _read_link(link: Link) -> LinkPlan:
    # An .onion link without a Tor proxy is still a finding (the address is the evidence); it is
    # just never opened. Every other refusal means no finding at all.
    try:
        onion = is_onion(urlsplit(link.url).hostname or "")
        if link.refusal and not onion:
            return LinkPlan(link, refused=link.refusal)
        return LinkPlan(link, canonical=canonical_url(link.url))
    except ValueError as exc:  # urlsplit too: "Invalid IPv6 URL" for a stray "["
        return LinkPlan(link, refused=link.refusal or str(exc))


def _fetch_all(
    ctx: Context, wanted: dict[str, Link], country: str
) -> dict[str, tuple[FetchResult, str, PageAnalysis]]:
    if not wanted:
        return {}
    workers = max(1, min(ctx.config.fetches_at_once, len(wanted)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch") as pool:
        results = pool.map(lambda item: _fetch_one(ctx, item[0], item[1], country), wanted.items())
        return dict(zip(wanted, results, strict=True))


def _fetch_one(
    ctx: Context, canonical: str, link: Link, country: str
) -> tuple[FetchResult, str, PageAnalysis]:
    fetched = (
        FetchResult(url=link.url, outcome="refused", error=link.refusal)
        if link.refusal
        else ctx.fetcher.fetch(link.url)
    )
    final = final_canonical(fetched, canonical)
    return fetched, final, analyse_page(fetched, link.url, participant_country=country)


def final_canonical(fetched: FetchResult, canonical: str) -> str:
    """Where a fetch ended, canonical: a redirect's target names the page, the pasted link is an alias."""
    if fetched.final_url and fetched.outcome in ("ok", "http_error", "not_html"):
        try:
            return canonical_url(fetched.final_url)
        except ValueError:
            return canonical
    return canonical


def _with_page(plan: LinkPlan, page: tuple[FetchResult, str, PageAnalysis]) -> LinkPlan:
    fetched, final, analysis = page
    return LinkPlan(plan.link, plan.refused, plan.canonical, fetched, final, analysis)


def _typed_identifiers(text: str, links: list[Link], participant: Participant) -> list[Identifier]:
    for link in links:
        text = text.replace(link.raw, " ")
    return identifiers_in(text, (), region_hints("", None, participant.country), source="message")
