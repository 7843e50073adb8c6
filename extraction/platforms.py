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

    Each term counts once per field: a long ad repeating "massage" ten times is still one hint.
    """
    lexicon = _lexicon()
    fields = _fields(url, page)
    scores: dict[PlatformKind, float] = {}
    for kind, signals in lexicon.signals.items():
        total = 0.0
        for field, text in fields.items():
            if not text:
                continue
            patterns = signals.host if field == "host" else signals.path if field == "path" else signals.text
            total += lexicon.field_weights[field] * sum(
                weight for pattern, weight in patterns if pattern.search(text)
            )
        scores[kind] = total
    return scores


def fold(text: str) -> str:
    """Lower case without accents, so `Muncă`, `OFERTĂ` and `oferta` meet the same lexicon term."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ł", "l").replace("ß", "ss"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _fields(url: str, page: PageText | None) -> dict[str, str]:
    host = _host(url)
    labels = [label for label in host.split(".") if label not in _SERVER_LABELS]
    # The public suffix is not evidence (`.jobs` aside, which the path of a real site shows anyway).
    parts = _extractor()(host) if host and not _is_ip(host) else None
    name = " ".join(labels[: -len(parts.suffix.split("."))] if parts and parts.suffix else labels)
    fields = {"host": fold(name), "path": fold(_words(_path(url)))}
    if page is not None:
        fields.update(
            furniture=fold(page.furniture),
            title=fold(page.title),
            description=fold(page.meta_description),
            body=fold(page.body),
        )
    return fields


def _words(path: str) -> str:
    """URL path and query as words: `/jobs/123-forklift?cat=home` → `jobs 123 forklift cat home`."""
    return " ".join(part for part in re.split(r"[^\w]+", unquote(path)) if part)


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
            path=tuple((_word_start(term), 1.0) for term in entry["path"]),
            text=tuple((_word_start(term), float(weight)) for term, weight in entry["text"].items()),
        )
        for kind, entry in raw["signals"].items()
    }
    weights = {field: float(raw["field_weights"][field]) for field in _FIELDS}
    return _Lexicon(
        known=tuple(known),
        signals=signals,
        field_weights=weights,
        min_score=float(raw["min_score"]),
        country_tlds=dict(raw["country_tlds"]),
        generic_cctlds=frozenset(raw["generic_cctlds"]),
    )


def _word_start(term: str) -> re.Pattern[str]:
    # Terms are stems: they must start a word but may run on (`vacanc` → vacancy, vacancies).
    return re.compile(r"(?<![\w])" + term.replace(" ", r"\s+"))


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
