"""Messenger and social-network handles: `platform:name`, lower case.

Three ways a handle is written, all handled here:
1. A profile URL: `t.me/x`, `instagram.com/x`, `tiktok.com/@x`, `snapchat.com/add/x`,
   `signal.me/#p/+…`, `facebook.com/profile.php?id=N`, `facebook.com/x`, `vk.com/x`,
   `onlyfans.com/x`. Site pages that are not profiles (`instagram.com/explore`,
   `t.me/joinchat/…`, `facebook.com/help`, a bare `t.me/s/`) give nothing. `t.me/s/x` is the
   web preview of channel x and gives `telegram:x`.
2. A platform label before the name: "TG: x", "Telegram: @x", "IG ➜ x", "Insta: @x",
   "👻 x", "Snap: x", "Signal: x" (Signal only for usernames of the `name.NN` form; a number
   after "Signal:" is a phone, another module's job).
3. A bare "@x" — Telegram, by this rule: in a chat message (source="message") investigators
   write Telegram usernames as @x, so it counts; on a page it counts only when a Telegram cue
   ("Telegram", "TG", ✈) stands earlier on the same line, within 40 characters, with no other
   platform's label in between. An e-mail's or URL's "@" is never a handle.

WhatsApp links are phones and are left to the phone module.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from urllib.parse import parse_qs, unquote, urlsplit

from extraction.types import Identifier, Source

# Usernames as each platform allows them; anything else after a label is prose.
_NAME_RULES = {
    "telegram": r"[A-Za-z][A-Za-z0-9_]{3,30}[A-Za-z0-9]",
    "instagram": r"[A-Za-z0-9_](?:[A-Za-z0-9._]{0,28}[A-Za-z0-9_])?",
    "tiktok": r"[A-Za-z0-9_](?:[A-Za-z0-9._]{0,22}[A-Za-z0-9_])?",
    "snapchat": r"[A-Za-z][A-Za-z0-9._\-]{1,13}[A-Za-z0-9]",
    "signal": r"[A-Za-z_][A-Za-z0-9_]{2,31}\.[0-9]{2,9}",
    "facebook": r"[A-Za-z0-9.]{5,50}",
    "vk": r"[A-Za-z0-9_.]{2,32}",
    "onlyfans": r"[A-Za-z0-9_.\-]{1,50}",
}
# Mobile and web variants of a platform's host name the same profiles.
_HOST_PREFIXES = ("www.", "m.", "mobile.", "mbasic.", "web.")
_NAME_END = r"(?![A-Za-z0-9_/@]|[.\-][A-Za-z0-9_])"
_SEPARATOR = r"\s*(?:[:：=]|=>|->|[-–—>»➜➡→➔⇒]\ufe0f?)\s*@?|\s+@"
_EMOJI_SEPARATOR = r"\s*[:：]?\s*@?"
_BARE_AT = re.compile(rf"(?<![A-Za-z0-9_@./:<\-])@(?P<name>{_NAME_RULES['telegram']}){_NAME_END}")
_TELEGRAM_CUE = re.compile(r"(?<![A-Za-z0-9_])(?:telegram|tg)(?![A-Za-z0-9_])|✈", re.IGNORECASE)
_CUE_WINDOW = 40
_URL_TAIL = r"[/?#][^\s<>\"'()\[\]{}|\\^`]*"
_URL_TRAILING_PUNCTUATION = ".,;:!?"
# `t.me/s/x` is channel x's web preview, `instagram.com/stories/x/…` is x's story.
_WRAPPER_SEGMENTS = {"telegram": "s", "instagram": "stories"}


@dataclass(frozen=True, slots=True)
class _Platforms:
    host_to_platform: dict[str, str]
    reserved: dict[str, frozenset[str]]
    labels: dict[str, tuple[str, ...]]
    not_names: frozenset[str]


_QUALIFIED = re.compile(r"(telegram|instagram|tiktok|snapchat|signal|facebook|vk|onlyfans):@?(\S+)", re.I)


def qualified_handle(text: str) -> str | None:
    """The contract spelling typed back ("telegram:anna_vip", "Telegram:@Anna_VIP") as stored."""
    found = _QUALIFIED.fullmatch(text.strip())
    return f"{found.group(1).lower()}:{found.group(2).lower()}" if found else None


def handle_from_url(url: str, *, source: Source = "page") -> Identifier | None:
    """The handle a profile URL names, or None when the URL is no profile of a known platform."""
    name = _profile_of(url.strip())
    if name is None:
        return None
    return Identifier(kind="handle", value=name.lower(), raw=url, source=source)


def find_handles(text: str, *, source: Source = "page") -> list[Identifier]:
    """Every handle in the text (URLs, labels, bare @ by the module's rule), once each, in order."""
    found: list[tuple[int, Identifier]] = []
    for match in _url_pattern().finditer(text):
        raw = match.group().rstrip(_URL_TRAILING_PUNCTUATION)
        identifier = handle_from_url(raw, source=source)
        if identifier is not None:
            found.append((match.start(), identifier))
    for platform, pattern in _label_patterns().items():
        position = 0
        while (labelled := pattern.search(text, position)) is not None:
            # A rejected name may itself be the next label ("Instagram: IG ➜ x"): look again from there.
            if not _is_name(platform, labelled.group("name")) or _prose_after_label(text, labelled):
                position = labelled.start("name")
                continue
            value = f"{platform}:{labelled.group('name').lower()}"
            found.append((labelled.start(), Identifier("handle", value, labelled.group(), source)))
            position = labelled.end()
    for match in _BARE_AT.finditer(text):
        if source == "message" or _telegram_cue_before(text, match.start()):
            value = "telegram:" + match.group("name").lower()
            found.append((match.start(), Identifier("handle", value, match.group(), source)))
    unique: dict[str, Identifier] = {}
    for _, identifier in sorted(found, key=lambda pair: pair[0]):
        unique.setdefault(identifier.value, identifier)
    return list(unique.values())


_MIN_SITE_NAME = 4
_MIN_SHORT_SITE_NAME = 3


def site_account(value: str, url: str) -> bool:
    """Whether a handle is the site's own account (`facebook:latimes` on latimes.com): furniture.

    The handle's name and the site's name (its registrable domain without the suffix) are
    compared as letters and digits: one holds the other (`watson.news` on watson.ch,
    `sportnewsbz` on sportnews.bz). On the platforms themselves a profile's handle is the page's.
    """
    try:
        host = (urlsplit(url if "://" in url else "https://" + url).hostname or "").lower()
    except ValueError:
        return False
    for prefix in _HOST_PREFIXES:
        host = host.removeprefix(prefix)
    if not host or host in _platforms().host_to_platform:
        return False
    from extraction.platforms import registrable_domain

    domain = registrable_domain(url)
    site = re.sub(r"[^a-z0-9]", "", domain.split(".", 1)[0])
    name = re.sub(r"[^a-z0-9]", "", value.partition(":")[2].lower())
    if len(site) < _MIN_SITE_NAME:
        # A short name (`thw.de`, `psl.eu`) must open the handle: `thw.de`, `psluniv`.
        return len(site) >= _MIN_SHORT_SITE_NAME and name.startswith(site)
    return len(name) >= _MIN_SITE_NAME and (site in name or name in re.sub(r"[^a-z0-9]", "", domain))


def _prose_after_label(text: str, labelled: re.Match[str]) -> bool:
    """Whether the word after a platform label is prose, not a username.

    A label joined by a bare hyphen to a plain word is a compound noun (`Instagram-Seite`,
    `TikTok-Video`, `Telegram-Kanal`, `Instagram-compte`, `Instagram-konto`); a capitalised
    plain word after a label is a title or a noun (`Snapchat - Android App`, `Instagram:
    Werbung`), where usernames are typed as they are. A name with handle syntax (a digit, `_`
    or `.`), or one written with `@`, still reads as one: `IG-anna.vip`, `Instagram-@anna`.
    """
    joint = text[labelled.start() : labelled.start("name")]
    name = labelled.group("name")
    if "@" in joint or re.search(r"[0-9_.]", name):
        return False
    return bool(re.search(r"\w[-‐‑–]$", joint)) or re.fullmatch(r"[A-ZÀ-Þ][a-zß-ÿ]+", name) is not None


def _profile_of(url: str) -> str | None:
    """`platform:name` (original case) for a profile URL, else None."""
    try:
        parts = urlsplit(url if "://" in url else "https://" + url)
    except ValueError:  # e.g. an unbalanced "[" in the host: not a URL anyone can open
        return None
    if parts.scheme.lower() == "tg":
        domain = parse_qs(parts.query).get("domain", [""])[0]
        return _named("telegram", domain)
    host = (parts.hostname or "").lower()
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix):
            host = host[len(prefix) :]
            break
    platform = _platforms().host_to_platform.get(host)
    if platform is None:
        return None
    segments = [segment for segment in unquote(parts.path).split("/") if segment]
    if platform == "signal":
        return _signal_profile(parts.fragment)
    if platform == "facebook":
        return _facebook_profile(segments, parts.query)
    if not segments:
        return None
    first = segments[0]
    if first == _WRAPPER_SEGMENTS.get(platform) and len(segments) > 1:
        first = segments[1]
    elif platform == "tiktok":
        # Only `/@name` is a profile; `/tag/…`, `/discover`, `/t/short` are not.
        first = first[1:] if first.startswith("@") else ""
    elif platform == "snapchat":
        if first == "add" and len(segments) > 1:
            first = segments[1]
        else:
            first = first[1:] if first.startswith("@") else ""
    return _named(platform, first)


def _signal_profile(fragment: str) -> str | None:
    # `#p/+31…` is a phone-number link; `#eu/…` hides an encrypted username and names no one readable.
    if not fragment.startswith("p/"):
        return None
    digits = re.sub(r"[^0-9]", "", fragment[2:])
    return f"signal:+{digits}" if 7 <= len(digits) <= 15 else None


def _facebook_profile(segments: list[str], query: str) -> str | None:
    if segments == ["profile.php"]:
        profile_id = parse_qs(query).get("id", [""])[0]
        return f"facebook:{profile_id}" if profile_id.isdigit() else None
    # `/people/Display-Name/<id>` is how Facebook links profiles without a username.
    if len(segments) >= 3 and segments[0] == "people" and segments[2].isdigit():
        return f"facebook:{segments[2]}"
    if not segments or segments[0].lower().endswith(".php"):
        return None
    return _named("facebook", segments[0])


def _named(platform: str, name: str) -> str | None:
    return f"{platform}:{name}" if _is_name(platform, name) else None


def _is_name(platform: str, name: str) -> bool:
    platforms = _platforms()
    lowered = name.lower()
    if lowered in platforms.reserved[platform] or lowered in platforms.not_names:
        return False
    if any(lowered in labels for labels in platforms.labels.values()):
        return False
    return re.fullmatch(_NAME_RULES[platform], name) is not None


def _telegram_cue_before(text: str, start: int) -> bool:
    window = text[max(0, start - _CUE_WINDOW) : start]
    window = window[window.rfind("\n") + 1 :]
    cues = list(_TELEGRAM_CUE.finditer(window))
    if not cues:
        return False
    after_cue = window[cues[-1].end() :].lower()
    other_labels = (
        label
        for platform, labels in _platforms().labels.items()
        if platform != "telegram"
        for label in labels
    )
    return not any(
        re.search(rf"(?<![a-z0-9_]){re.escape(label)}(?![a-z0-9_])", after_cue) for label in other_labels
    )


@functools.cache
def _platforms() -> _Platforms:
    data = json.loads(
        resources.files("extraction").joinpath("data", "handle_platforms.json").read_text("utf-8")
    )
    platforms: dict[str, dict[str, list[str]]] = data["platforms"]
    return _Platforms(
        host_to_platform={host: name for name, spec in platforms.items() for host in spec["hosts"]},
        reserved={name: frozenset(spec["reserved"]) for name, spec in platforms.items()},
        labels={name: tuple(spec["labels"]) for name, spec in platforms.items()},
        not_names=frozenset(data["not_names"]),
    )


@functools.cache
def _url_pattern() -> re.Pattern[str]:
    hosts = sorted(_platforms().host_to_platform, key=len, reverse=True)
    host_group = "|".join(re.escape(host) for host in hosts)
    prefixes = "|".join(re.escape(prefix) for prefix in _HOST_PREFIXES)
    return re.compile(
        rf"(?<![A-Za-z0-9_.\-@/])(?:https?://)?(?:{prefixes})?(?:{host_group})(?::[0-9]+)?{_URL_TAIL}",
        re.IGNORECASE,
    )


@functools.cache
def _label_patterns() -> dict[str, re.Pattern[str]]:
    patterns: dict[str, re.Pattern[str]] = {}
    for platform, labels in _platforms().labels.items():
        alternatives = []
        for label in sorted(labels, key=len, reverse=True):
            if label.isalpha():
                alternatives.append(rf"(?<![A-Za-z0-9_]){re.escape(label)}(?:{_SEPARATOR})")
            else:
                alternatives.append(rf"{re.escape(label)}\ufe0f?(?:{_EMOJI_SEPARATOR})")
        if alternatives:
            prefix = "|".join(alternatives)
            patterns[platform] = re.compile(
                rf"(?:{prefix})(?P<name>{_NAME_RULES[platform]}){_NAME_END}", re.IGNORECASE
            )
    return patterns
