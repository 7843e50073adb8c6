"""Which platform a URL belongs to, which country its domain points at, and what kind of site it is.

The kind comes first from a table of real, well-known platforms, then — for the long tail of
local escort, dating, job and classifieds sites that no table will ever list — from a scored
classifier over the host name, the URL path, the site's navigation and the ad's own text
(lexicon in `data/platforms.json`).
"""

from __future__ import annotations

import ipaddress
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast
from urllib.parse import SplitResult, unquote, urlsplit

if TYPE_CHECKING:
    import tldextract

    from extraction.page import PageText

PlatformKind = Literal["escort", "dating", "job", "marketplace", "social", "messaging", "darkweb", "other"]
PLATFORM_KINDS: tuple[PlatformKind, ...] = (
    "escort", "dating", "job", "marketplace", "social", "messaging", "darkweb", "other",
)  # fmt: skip

_HOST_NAME = re.compile(r"[a-z0-9_]([a-z0-9_\-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_\-]*[a-z0-9_])?)*")
# `mailto:x`, `javascript:x` — but not `localhost:8000`, where digits (a port) follow the colon.
_OPAQUE_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:(?!\d)", re.IGNORECASE)
_FIELDS = ("host", "path", "furniture", "title", "description", "body")
# Host labels that name a server, not a site.
_SERVER_LABELS = frozenset({"www", "m", "mobile", "web", "en", "de", "fr", "nl", "es", "it", "pl", "ro"})


def registrable_domain(url: str) -> str:
    """The site a URL belongs to: `https://m.example.co.uk/x` → `example.co.uk`.

    `.onion` keeps its service name (`www.abc….onion` → `abc….onion`); IP hosts stay the IP;
    hosts without a public suffix (`localhost`) stay as they are. Internationalised names come
    back in their ASCII (punycode) spelling so one site is always spelled one way.
    """
    host = _host(url)
    if not host or _is_ip(host):
        return host
    labels = host.split(".")
    if labels[-1] == "onion":
        return ".".join(labels[-2:])
    parts = _extractor()(host)
    if not parts.suffix or not parts.domain:
        return host
    return f"{parts.domain}.{parts.suffix}"


def site_country(url: str) -> str | None:
    """ISO 3166-1 alpha-2 country of a country-code TLD (`.nl` → NL, `.co.uk` → GB), else None."""
    host = _host(url)
    if not host or _is_ip(host):
        return None
    tld = host.rsplit(".", 1)[-1]
    lexicon = _lexicon()
    if tld in lexicon.country_tlds:
        return lexicon.country_tlds[tld]
    if len(tld) != 2 or tld in lexicon.generic_cctlds:
        return None
    code = tld.upper()
    return code if code in _iso_regions() else None


def platform_kind(url: str, page: PageText | None = None) -> PlatformKind:
    """escort, dating, job, marketplace, social, messaging, darkweb or other."""
    host = _host(url)
    if host.endswith(".onion") or host == "onion":
        return "darkweb"
    known = _known_kind(host, _path(url))
    if known is not None:
        return known
    scores = platform_scores(url, page)
    best = max(scores, key=lambda kind: scores[kind])
    return best if scores[best] >= _lexicon().min_score else "other"


def platform_scores(url: str, page: PageText | None = None) -> dict[PlatformKind, float]:
    """Evidence for each kind of site, for sites not in the table (explains `platform_kind`).

    Weighted evidence, in three layers: the site's own name and the URL path; the page's own
    content (title, description, body) and its shape (an ad's age and hourly rate, a declared
    job posting); and the site's navigation, which only corroborates: one menu word ("Jobs",
    "Partnersuche", "Sex & Erotik" in a newspaper's menu) never decides a kind. On a page shaped
    like an article (paragraphs of prose, or declared as one) the words and the menu say what
    the article is about, not what the site is: only the host (at a share) and the shape count
    there. Each term counts once per
    field: a long ad repeating "massage" ten times is still one hint. A kind whose own evidence
    (everything but the navigation) stays under `min_own` scores 0.
    """
    lexicon = _lexicon()
    fields = _fields(url, page)
    article = page is not None and _article_shaped(page)
    shape = _shape_evidence(page) if page is not None else {}
    evidence: dict[PlatformKind, dict[str, float]] = {}
    for kind, signals in lexicon.signals.items():
        by_field = evidence[kind] = {}
        for field, text in fields.items():
            if not text:
                continue
            patterns = signals.host if field == "host" else signals.path if field == "path" else signals.text
            by_field[field] = lexicon.field_weights[field] * sum(
                weight for pattern, weight in patterns if pattern.search(text)
            )
    scores: dict[PlatformKind, float] = {}
    for kind, by_field in evidence.items():
        shaped = shape.get(kind, 0.0)
        # A marketplace takes ads of every kind: its name or path contradicts no ad's shape.
        named_elsewhere = any(
            other not in {kind, "marketplace"} and (e.get("host") or e.get("path"))
            for other, e in evidence.items()
        )
        if named_elsewhere and not any(by_field.get(field) for field in ("host", "path", "furniture")):
            # The site's name or path names another kind and nothing of the site names this one:
            # an ad's shape posted there (an escort text on a dating site) says less about the
            # site than the site itself.
            shaped *= lexicon.shape_share_elsewhere
        content = sum(by_field.get(field, 0.0) for field in ("title", "description", "body"))
        host, path = by_field.get("host", 0.0), by_field.get("path", 0.0)
        if article:
            # An article's slug, words and menu say what it is about, not what the site is: only
            # the site's name (at a share: `datev` is no date site) and the page's shape count.
            own = lexicon.article_host_share * host + shaped
            scores[kind] = own if own >= lexicon.min_own else 0.0
            continue
        own = host + path + content + shaped
        if own < lexicon.min_own:
            scores[kind] = 0.0
            continue
        scores[kind] = own + min(by_field.get("furniture", 0.0), own)
    return scores


def _article_shaped(page: PageText) -> bool:
    """Whether the page reads as an article: paragraphs of prose, or it declares itself one."""
    lexicon = _lexicon()
    prose = 0
    for line in page.body.split("\n"):
        if len(line.split()) >= lexicon.prose_line_words:
            prose += 1
            if prose >= lexicon.article_prose_lines:
                return True
    declared = set(page.declared_type.split())
    return bool(declared & lexicon.article_types) and len(page.body.split()) >= lexicon.article_min_words


def _shape_evidence(page: PageText) -> dict[PlatformKind, float]:
    """What the page's shape says, language-blind: an escort ad's age with an hourly rate, a job posting."""
    lexicon = _lexicon()
    text = f"{page.title}\n{page.meta_description}\n{page.body}"
    found: dict[PlatformKind, float] = {}
    declared = set(page.declared_type.split())
    for kind, types in lexicon.declared_kinds.items():
        if declared & types:
            found[kind] = found.get(kind, 0.0) + lexicon.shape_weights["declared"]
    age = _shapes().age.search(text) is not None or _shapes().named_age.search(text) is not None
    rate = any(_priced_rate(match) for match in _shapes().rate.finditer(text))
    escort = (lexicon.shape_weights["age"] if age else 0.0) + (lexicon.shape_weights["rate"] if rate else 0.0)
    if age and rate:
        escort += lexicon.shape_weights["age_and_rate"]
    if escort:
        found["escort"] = found.get("escort", 0.0) + escort
    return found


def _priced_rate(match: re.Match[str]) -> bool:
    # A wage is a rate too: an hourly price counts as an ad's rate only from the escort range up.
    # The price is the largest number of the match ("1h 280 €": 280).
    return max(int(n[:6]) for n in re.findall(r"\d+", match.group())) >= _lexicon().min_rate


@dataclass(frozen=True, slots=True)
class _Shapes:
    age: re.Pattern[str]
    named_age: re.Pattern[str]
    rate: re.Pattern[str]


@cache
def _shapes() -> _Shapes:
    raw = json.loads((Path(__file__).parent / "data" / "platforms.json").read_text("utf-8"))["shapes"]
    units = "|".join(raw["age_units"])
    money = "|".join(raw["currencies"])
    per = "|".join(raw["per"])
    times = "|".join(raw["time_units"])
    amount = r"\d{2,5}(?:[.,]\d{2})?"
    price = rf"(?:(?:{money})\s?{amount}|{amount}\s?(?:{money}))"
    duration = rf"(?:\d{{1,2}}\s?|half\s)?(?:{times})"
    return _Shapes(
        # "23 years old", "23yo", "23 ans", "23 Jahre", "age: 23"; ages 18-69 only (an adult's ad).
        age=re.compile(rf"(?i)(?<![\w.,])(?:[1][89]|[2-6]\d)\s?(?:{units})(?!\w)"),
        # "Anna 21 · Utrecht", "Eva, 23 - Lyon", "Mila (22) | Praha", "Klara (30) empfängt":
        # a name and an age, then a separator or the line's end (bracketed: anything).
        named_age=re.compile(
            r"(?m)(?<!\w)[A-ZÀ-Þ][a-zß-ÿ]+(?:,?\s(?:1[89]|[2-4]\d)\s?(?:[|·•–—/-]|$)|\s\((?:1[89]|[2-4]\d)\))"
        ),
        # "150€ per hour", "€150/h", "200 roses hh", "1h 280 €", "30min 100$".
        rate=re.compile(
            rf"(?i)(?<![\w.,])(?:{price}\s?(?:(?:{per})\s?)?{duration}|{duration}\s?[:=-]?\s?{price})(?!\w)"
        ),
    )


def fold(text: str) -> str:
    """Lower case without accents, so `Muncă`, `OFERTĂ` and `oferta` meet the same lexicon term."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ł", "l").replace("ß", "ss"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _fields(url: str, page: PageText | None) -> dict[str, str]:
    host = _host(url)
    # The site's name and its sub-domains, without server labels (`www`, `m`, `en`) and without
    # the public suffix, which is not evidence (`escort-amsterdam.nl` reads as `escort-amsterdam`
    # like its `.com` twin; `.jobs` aside, which the path of a real site shows anyway).
    parts = _extractor()(host) if host and not _is_ip(host) else None
    if parts is not None and parts.suffix and parts.domain:
        labels = [*parts.subdomain.split("."), parts.domain]
    else:
        labels = host.split(".")
    name = " ".join(label for label in labels if label and label not in _SERVER_LABELS)
    fields = {"host": fold(name), "path": fold(_path_words(_path(url)))}
    if page is not None:
        fields.update(
            furniture=fold(page.furniture),
            title=fold(page.title),
            description=fold(page.meta_description),
            body=fold(page.body),
        )
    return fields


def _path_words(path: str) -> str:
    """Path and query as words, segments apart: `/FemaleEscorts/1-x?c=a` → `Female Escorts / 1 x / c a`."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", unquote(path))
    segments = (
        " ".join(part for part in re.split(r"[^\w]+", segment) if part)
        for segment in re.split(r"[/?&]", spaced)
    )
    return " / ".join(segment for segment in segments if segment)


def _known_kind(host: str, path: str) -> PlatformKind | None:
    if not host:
        return None
    domain_label = _extractor()(host).domain if not _is_ip(host) else ""
    best: tuple[int, int, PlatformKind] | None = None
    for pattern, prefix, kind in _lexicon().known:
        if prefix and not (path == prefix or path.startswith(prefix + "/") or path.startswith(prefix + "?")):
            continue
        if pattern.endswith(".*"):
            matched = domain_label == pattern[:-2]
        else:
            matched = host == pattern or host.endswith("." + pattern)
        if matched and (best is None or (len(prefix), len(pattern)) > best[:2]):
            best = (len(prefix), len(pattern), kind)
    return best[2] if best else None


def _host(url: str) -> str:
    parts = _split(url)
    try:
        host = (parts.hostname or "") if parts is not None else ""
    except ValueError:
        return ""
    host = host.rstrip(".").lower()
    if not host or _is_ip(host):
        return host
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return ""
    return host if _HOST_NAME.fullmatch(host) else ""


def _path(url: str) -> str:
    parts = _split(url)
    if parts is None:
        return ""
    return parts.path + ("?" + parts.query if parts.query else "")


def _split(url: str) -> SplitResult | None:
    """URL parts; a bare `example.nl/ad` counts as a web address, `mailto:`/`javascript:` as none."""
    text = url.strip()
    if "://" not in text:
        if _OPAQUE_SCHEME.match(text):
            return None
        text = "//" + text
    try:
        return urlsplit(text)
    except ValueError:
        return None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class _Signals:
    host: tuple[tuple[re.Pattern[str], float], ...]
    path: tuple[tuple[re.Pattern[str], float], ...]
    text: tuple[tuple[re.Pattern[str], float], ...]


@dataclass(frozen=True, slots=True)
class _Lexicon:
    known: tuple[tuple[str, str, PlatformKind], ...]
    signals: Mapping[PlatformKind, _Signals]
    field_weights: Mapping[str, float]
    min_score: float
    country_tlds: Mapping[str, str]
    generic_cctlds: frozenset[str]
    min_own: float
    article_host_share: float
    prose_line_words: int
    article_prose_lines: int
    article_min_words: int
    article_types: frozenset[str]
    declared_kinds: Mapping[PlatformKind, frozenset[str]]
    shape_weights: Mapping[str, float]
    min_rate: int
    shape_share_elsewhere: float


@cache
def _lexicon() -> _Lexicon:
    raw = json.loads((Path(__file__).parent / "data" / "platforms.json").read_text("utf-8"))
    known: list[tuple[str, str, PlatformKind]] = []
    for key, kind in raw["known"].items():
        host, _, rest = key.partition("/")
        known.append((host.lower(), "/" + rest if rest else "", _kind(kind)))
    signals = {
        _kind(kind): _Signals(
            host=tuple((re.compile(re.escape(stem)), 1.0) for stem in entry["host"]),
            path=tuple((_path_term(term), 1.0) for term in entry["path"]),
            text=tuple((_word_start(term), float(weight)) for term, weight in entry["text"].items()),
        )
        for kind, entry in raw["signals"].items()
    }
    weights = {field: float(raw["field_weights"][field]) for field in _FIELDS}
    article = raw["article"]
    return _Lexicon(
        known=tuple(known),
        signals=signals,
        field_weights=weights,
        min_score=float(raw["min_score"]),
        country_tlds=dict(raw["country_tlds"]),
        generic_cctlds=frozenset(raw["generic_cctlds"]),
        min_own=float(raw["min_own"]),
        article_host_share=float(article["host_share"]),
        prose_line_words=int(article["prose_line_words"]),
        article_prose_lines=int(article["prose_lines"]),
        article_min_words=int(article["declared_min_words"]),
        article_types=frozenset(article["declared_types"]),
        declared_kinds={_kind(k): frozenset(v) for k, v in raw["shapes"]["declared_kinds"].items()},
        shape_weights={k: float(v) for k, v in raw["shapes"]["weights"].items()},
        min_rate=int(raw["shapes"]["min_rate"]),
        shape_share_elsewhere=float(raw["shapes"]["share_when_the_site_names_another_kind"]),
    )


def _word_start(term: str) -> re.Pattern[str]:
    # Terms are stems: they must start a word but may run on (`vacanc` → vacancy, vacancies).
    return re.compile(r"(?<![\w])" + term.replace(" ", r"\s+"))


def _path_term(term: str) -> re.Pattern[str]:
    # One- and two-letter segment names (`/u/anna`, `/a/123`) count only as a whole segment:
    # the `u` of a slug `…-u-s-emissions` is no user profile.
    if len(re.sub(r"\\b|\W", "", term)) <= 2:
        return re.compile(r"(?:^|/ )" + term.removesuffix(r"\b") + r"(?= /|$)")
    return _word_start(term)


def _kind(value: str) -> PlatformKind:
    if value not in PLATFORM_KINDS:
        raise ValueError(f"unknown platform kind in platforms.json: {value!r}")
    return cast(PlatformKind, value)


@cache
def _extractor() -> tldextract.TLDExtract:
    # Offline: the suffix list bundled with tldextract, never a download at run time.
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@cache
def _iso_regions() -> frozenset[str]:
    # phonenumbers already ships the ISO region list; no second copy to maintain.
    import phonenumbers

    return frozenset(phonenumbers.SUPPORTED_REGIONS)
