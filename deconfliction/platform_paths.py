"""Platforms whose URL path is an identity: one profile, one canonical URL.

On these platforms a user name is case-insensitive and the query, and on Instagram and
Facebook the profile tab, only change the view of the same profile, so they are dropped.
Invite codes, post short codes and anything we do not recognise keep their case and query:
merging two different findings is worse than missing a duplicate.
"""

from __future__ import annotations

import re
from collections.abc import Callable

QueryPairs = list[tuple[str, str]]
PlatformRule = Callable[[list[str], QueryPairs], tuple[list[str], QueryPairs]]

__all__ = ["QueryPairs", "apply_platform_rule"]

# Hosts that serve the same profiles as the canonical host (after www./m. were dropped).
_HOST_ALIASES = {
    "telegram.me": "t.me",
    "telegram.dog": "t.me",
    "instagr.am": "instagram.com",
    "fb.com": "facebook.com",
    "web.facebook.com": "facebook.com",
    "mbasic.facebook.com": "facebook.com",
    "touch.facebook.com": "facebook.com",
}

_INSTAGRAM_USER = re.compile(r"^[A-Za-z0-9._]{1,30}$")
# First path segments that are Instagram pages, not user names.
_INSTAGRAM_RESERVED = frozenset(
    {"p", "reel", "reels", "tv", "explore", "stories", "accounts", "direct", "about", "legal",
     "developer", "web", "challenge", "emails", "privacy", "session", "oauth", "api", "static"}
)  # fmt: skip
_INSTAGRAM_POSTS = frozenset({"p", "reel", "reels", "tv"})
# Profile tabs: another view of the same profile.
_PROFILE_TABS = frozenset(
    {"tagged", "reels", "saved", "guides", "followers", "following", "channel", "feed", "about",
     "photos", "videos", "friends", "posts", "likes", "mentions"}
)  # fmt: skip

_TELEGRAM_USER = re.compile(r"^[A-Za-z][A-Za-z0-9_]{2,31}$")
_TELEGRAM_RESERVED = frozenset(
    {"joinchat", "addstickers", "addemoji", "addlist", "addtheme", "share", "proxy", "socks", "c",
     "iv", "login", "setlanguage", "confirmphone", "boost", "bg", "invoice", "contact", "m"}
)  # fmt: skip

_FACEBOOK_NAME = re.compile(r"^[A-Za-z0-9._-]{1,80}$")
_FACEBOOK_RESERVED = frozenset(
    {"pages", "groups", "events", "watch", "marketplace", "gaming", "photo", "photos", "share",
     "sharer", "login", "help", "privacy", "policies", "settings", "notifications", "messages",
     "friends", "reel", "reels", "stories", "bookmarks", "saved", "memories", "search", "hashtag",
     "business", "ads", "legal", "dialog", "plugins", "tr", "media", "people", "story", "l"}
)  # fmt: skip

_TIKTOK_USER = re.compile(r"^@[A-Za-z0-9._]{1,32}$")

_VK_NAME = re.compile(r"^[A-Za-z0-9_.]{2,64}$")
_VK_RESERVED = frozenset(
    {"feed", "im", "search", "friends", "groups", "video", "music", "audio", "photos", "login",
     "settings", "apps", "support", "docs", "market", "away", "services", "clips", "dev", "faq"}
)  # fmt: skip


def apply_platform_rule(host: str, path: str, pairs: QueryPairs) -> tuple[str, str, QueryPairs]:
    """(host, path, query pairs) with the rule of the host's platform applied, if it has one.

    `host` is already lower case without www./m.; `path` is normalised, starts with `/` and
    has no trailing `/` except the root.
    """
    host = _HOST_ALIASES.get(host, host)
    rule = _RULES.get(host)
    segments = [segment for segment in path.split("/") if segment]
    if rule is None or not segments:
        return host, path, pairs
    segments, pairs = rule(segments, pairs)
    return host, "/" + "/".join(segments), pairs


def _instagram(segments: list[str], pairs: QueryPairs) -> tuple[list[str], QueryPairs]:
    first = segments[0]
    if first.lower() in _INSTAGRAM_POSTS and len(segments) == 2:
        # Post short codes are case-sensitive; the query (igsh, img_index) is only the view.
        return [first.lower(), segments[1]], []
    if first.lower() in _INSTAGRAM_RESERVED or not _INSTAGRAM_USER.match(first):
        return segments, pairs
    if len(segments) == 1 or (len(segments) == 2 and segments[1].lower() in _PROFILE_TABS):
        return [first.lower()], []
    return segments, pairs


def _telegram(segments: list[str], pairs: QueryPairs) -> tuple[list[str], QueryPairs]:
    if segments[0] == "s" and len(segments) > 1:
        # t.me/s/<name> is the web preview of t.me/<name>.
        segments = segments[1:]
    first = segments[0]
    if first.lower() in _TELEGRAM_RESERVED or not _TELEGRAM_USER.match(first):
        return segments, pairs  # invites (+code, joinchat) are case-sensitive
    if len(segments) == 1:
        return [first.lower()], []
    if len(segments) == 2 and segments[1].isdigit():
        return [first.lower(), segments[1]], []  # one post of the channel
    return segments, pairs


def _facebook(segments: list[str], pairs: QueryPairs) -> tuple[list[str], QueryPairs]:
    if segments == ["profile.php"]:
        return segments, [(key, value) for key, value in pairs if key == "id"]
    first = segments[0]
    if (
        first.lower() in _FACEBOOK_RESERVED
        or first.lower().endswith(".php")
        or not _FACEBOOK_NAME.match(first)
    ):
        return segments, pairs
    if len(segments) == 1 or (len(segments) == 2 and segments[1].lower() in _PROFILE_TABS):
        return [first.lower()], []
    return segments, pairs


def _tiktok(segments: list[str], pairs: QueryPairs) -> tuple[list[str], QueryPairs]:
    first = segments[0]
    if not _TIKTOK_USER.match(first):
        return segments, pairs
    if len(segments) == 1:
        return [first.lower()], []
    if len(segments) == 3 and segments[1] in {"video", "photo"} and segments[2].isdigit():
        return [first.lower(), *segments[1:]], []
    return segments, pairs


def _vk(segments: list[str], pairs: QueryPairs) -> tuple[list[str], QueryPairs]:
    first = segments[0]
    if (
        len(segments) != 1
        or first.lower() in _VK_RESERVED
        or first.lower().endswith(".php")  # away.php?to=… is a redirect, not a page
        or not _VK_NAME.match(first)
    ):
        return segments, pairs
    return [first.lower()], []


_RULES: dict[str, PlatformRule] = {
    "instagram.com": _instagram,
    "t.me": _telegram,
    "facebook.com": _facebook,
    "tiktok.com": _tiktok,
    "vk.com": _vk,
}
