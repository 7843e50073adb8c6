"""One fetched page (or one chat message) → everything extraction can tell about it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from extraction import cities, indicators, page, places, platforms, safety, suspect
from extraction.identifiers import emails, handles
from extraction.identifiers.kinds import dedupe, identifiers_in
from extraction.identifiers.phones import RegionHint
from extraction.types import FetchResult, Identifier, Indicator

# Where a page's language hints at the countries whose national phone formats it uses, most
# likely first: a language spoken in several countries names the few where ads are written in it.
LANGUAGE_REGIONS: dict[str, tuple[str, ...]] = {
    "nl": ("NL", "BE"),
    "de": ("DE", "AT", "CH"),
    "fr": ("FR", "BE", "CH"),
    "es": ("ES",),
    "it": ("IT",),
    "ro": ("RO", "MD"),
    "pl": ("PL",),
    "pt": ("PT", "BR"),
    "el": ("GR", "CY"),
    "en": ("GB", "US"),
    "cs": ("CZ",),
    "sk": ("SK",),
    "hu": ("HU",),
    "bg": ("BG",),
    "hr": ("HR",),
    "sl": ("SI",),
    "sv": ("SE",),
    "da": ("DK",),
    "fi": ("FI",),
    "lt": ("LT",),
    "lv": ("LV",),
    "et": ("EE",),
    "uk": ("UA",),
    "ru": ("RU",),
}
# Text read for the places a page names: where an ad names its city, it does so early.
_PLACE_TEXT = 20_000


# A profile page carries its own handle as an identifier where the handle is how people reach
# the person (Telegram, Instagram); elsewhere the profile URL itself deconflicts the finding.
OWN_HANDLE_PLATFORMS = ("telegram:", "instagram:")


def own_handle(url: str) -> Identifier | None:
    found = handles.handle_from_url(url)
    return found if found is not None and found.value.startswith(OWN_HANDLE_PLATFORMS) else None


@dataclass(slots=True)
class PageAnalysis:
    platform: str
    platform_kind: str
    title: str = ""
    language: str | None = None
    city: str | None = None
    identifiers: list[Identifier] = field(default_factory=list)
    furniture: list[Identifier] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    thb_score: float = 0.0
    thb_suspect: bool = False
    suppressed: str | None = None  # CSAM policy: nothing of the page is kept
    body: str = ""


def region_hints(
    url: str, language: str | None, participant_country: str | None, texts: Sequence[str] = ()
) -> list[RegionHint]:
    """Countries to read national phone numbers in, strongest evidence first, each with its
    reason: the site's ccTLD, places its host and path name, places the page names, the page
    language, and the participant's country last."""
    hints: list[RegionHint] = []
    tld = platforms.site_country(url)
    if tld:
        hints.append(RegionHint(tld, f"tld .{url_tld(url)}"))
    if url:
        hints += [RegionHint(country, f"host {place}") for country, place in places.host_places(url)]
    if texts:
        named = places.text_places(text[:_PLACE_TEXT] for text in texts)
        hints += [RegionHint(country, f"city {place}") for country, place in named]
    spoken = LANGUAGE_REGIONS.get(language or "", ())
    hints += [RegionHint(code, f"page language {language}") for code in spoken]
    if participant_country:
        hints.append(RegionHint(participant_country, "participant"))
    out: list[RegionHint] = []
    for hint in hints:
        if hint not in out:
            out.append(hint)
    return out


def page_domains(url: str, links: Iterable[str]) -> set[str]:
    """The registrable domains a page vouches for: its own and those it links to."""
    return {domain for domain in map(platforms.registrable_domain, [url, *links]) if "." in domain}


def url_tld(url: str) -> str:
    """The last label of a URL's host ("nl" for https://x.nl/a)."""
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").rstrip(".")
    return host.rsplit(".", 1)[-1]


def csam_stop(fetched: FetchResult, url: str) -> str | None:
    """Why the CSAM policy stops this fetched page (then nothing of it may be kept), or None."""
    if fetched.body is None or fetched.outcome != "ok":
        return None
    parsed = page.parse_page(fetched.body, fetched.final_url or url, fetched.content_type)
    return safety.csam_suspected(f"{parsed.title}\n{parsed.meta_description}\n{parsed.body}")


def analyse_page(fetched: FetchResult, url: str, *, participant_country: str | None = None) -> PageAnalysis:
    """Platform, identifiers, indicators and suspicion for a fetched (or unfetched) link."""
    where = fetched.final_url or url
    result = PageAnalysis(
        platform=platforms.registrable_domain(where), platform_kind=platforms.platform_kind(where)
    )
    own = own_handle(where)
    if fetched.body is None or fetched.outcome != "ok":
        result.identifiers = [own] if own else []
        return result
    parsed = page.parse_page(fetched.body, where, fetched.content_type)
    whole = f"{parsed.title}\n{parsed.meta_description}\n{parsed.body}"
    reason = safety.csam_suspected(whole)
    if reason:
        result.suppressed = reason
        return result
    result.title, result.language, result.body = parsed.title, parsed.language, parsed.body
    result.city = cities.find_city(parsed.title, parsed.body)
    result.platform_kind = platforms.platform_kind(where, parsed)
    regions = region_hints(where, parsed.language, participant_country, (parsed.title, parsed.body))
    body_ids = identifiers_in(whole, parsed.links, regions)
    # Weakly obscured addresses ("hager at cs dot jhu dot edu") count on the page's own sites.
    body_ids = dedupe(
        [*body_ids, *emails.find_emails(whole, known_domains=page_domains(where, parsed.links))]
    )
    if own:
        body_ids = dedupe([own, *body_ids])
    furniture = identifiers_in(parsed.furniture, parsed.furniture_links, regions)
    # An ordinary site's own social accounts are furniture wherever the page prints them; on an
    # escort, dating or job site an account named like the site may be the advertiser's own.
    site_accounts = [
        i
        for i in body_ids
        if result.platform_kind == "other"
        and i.kind == "handle"
        and i is not own
        and handles.site_account(i.value, where)
    ]
    body_ids = [i for i in body_ids if i not in site_accounts]
    furniture += site_accounts
    body_values = {(i.kind, i.value) for i in body_ids}
    result.furniture = [i for i in furniture if (i.kind, i.value) not in body_values]
    result.identifiers = body_ids
    found = indicators.find_indicators(whole, parsed.language)
    found += safety.organ_trafficking(whole)
    # Research found an obscured *phone* predictive (JRSA/NIJ 2024); an obscured e-mail is common.
    obscured = [i for i in body_ids if i.obscured and i.kind == "phone"]
    if obscured:
        found.append(indicators.obscured_contact_indicator(obscured[0].raw))
    result.indicators = found
    result.thb_score = suspect.thb_score(
        found, obscured_contact=bool(obscured), platform_kind=result.platform_kind
    )
    result.thb_suspect = suspect.is_thb_suspect(result.thb_score)
    return result
