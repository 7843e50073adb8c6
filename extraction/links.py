"""Every link in a chat message, refanged, with the reason it must not be fetched.

What counts as a link in chat text:
- anything with a scheme and `://` (`https://…`, `hxxps://…`, `ftp://…`), and the schemes that
  carry no host but must be refused loudly (`javascript:`, `vbscript:`, `data:`, `file:`);
- `www.host` without a scheme;
- a bare `host.tld` only with a path, query or fragment (`example.nl/ad/1`), or when it was
  defanged (`example[.]com`: defanging says "this is an indicator"), and only when the suffix is
  a real public suffix or the host is an IPv4 address. "e.g.", "file.txt", "12.30" and e-mail
  addresses are not links.

Around a link, trailing `.,;:!?`, quotes, emoji, symbols and closing brackets that have no
opening partner inside the link are dropped; a link that follows an opening quote ends at its
closing quote; `<…>` wrappers and Slack's `<url|label>` markup are
understood (the label is not searched). `Link.raw` is the link exactly as typed (defanged,
Unicode host); `Link.url` is refanged, gets `https://` when it had no scheme (HTTPS-first, as
browsers do; dedup treats http and https alike), has a Slack-escaped `&amp;` undone and an
IDN host in punycode.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from urllib.parse import urlsplit

import idna
import tldextract

from extraction.fetch.targets import refusal_reason
from extraction.refang import refang_mapped
from extraction.types import Link

__all__ = ["display_host", "find_links"]

# Characters a URL may contain in chat text; whitespace, <>, quotes and | end it.
_URL_CHAR = r"[^\s<>\"|`“”«»‹›„]"
_HOST = r"(?:[\w-]+\.)+[\w-]+(?::\d{1,5})?"
_LINK = re.compile(
    rf"(?P<scheme>(?<![^\W_])(?<![+.-])(?:[a-z][a-z0-9+.-]{{1,15}}://|(?:javascript|vbscript):(?=\S)"
    rf"|data:(?=[a-z-]+/[\w.+-]+[;,]|,)|file:(?=/)){_URL_CHAR}*)"
    rf"|(?P<www>(?<![\w@./:-])www\d{{0,3}}\.{_HOST}(?:[/?#]{_URL_CHAR}*)?)"
    rf"|(?P<bare>(?<![\w@./:-]){_HOST}(?:[/?#]{_URL_CHAR}*)?)",
    re.IGNORECASE,
)
_SLACK_LABEL = re.compile(r"<[^<>|\s]+\|(?P<label>[^<>]*)>")
# "_" is not here: Instagram names may end in one (instagram.com/anna_).
_TRAILING = set(".,;:!?'\"*…")
# Punctuation categories that end a sentence or close a quote, never a URL, except these
# characters, which do end URLs (`/`, `#frag`, `?a=`, `%20`).
_TRAILING_CATEGORIES = ("So", "Sk", "Sm", "Cf", "Pf", "Pi", "Ps", "Pe", "Po")
_URL_ENDINGS = set("/#%&-=@+~$")
_PAIRS = {")": "(", "]": "[", "}": "{"}
# A link right after one of these quotes ends at its closing partner: `('https://x.com/a.ps1');`.
_QUOTES = {"'": "'", "‘": "’", "`": "`"}
_OPENINGS = {opening: closing for closing, opening in _PAIRS.items()}


@cache
def _suffixes() -> tldextract.TLDExtract:
    # The snapshot shipped with tldextract: no network, no cache directory.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _trimmed(candidate: str) -> str:
    # Counted once and updated per dropped character: trimming stays linear on long junk.
    unmatched = {
        closing: candidate.count(closing) - candidate.count(opening) for closing, opening in _PAIRS.items()
    }
    end = len(candidate)
    while end:
        last = candidate[end - 1]
        if last in _PAIRS:
            # Keep a closing bracket only when the link itself opened it: wiki/Foo_(bar).
            if unmatched[last] <= 0:
                break
            unmatched[last] -= 1
        elif last in _TRAILING or (
            last not in _URL_ENDINGS and unicodedata.category(last) in _TRAILING_CATEGORIES
        ):
            if last in _OPENINGS:
                unmatched[_OPENINGS[last]] += 1
        else:
            break
        end -= 1
    return candidate[:end]


def _without_slack_labels(text: str) -> str:
    """Blank out the label of Slack's `<url|label>` so a URL-looking label is not a second link."""

    def blank(match: re.Match[str]) -> str:
        label_start, label_end = match.span("label")
        offset = match.start()
        whole = match.group(0)
        return whole[: label_start - offset] + " " * (label_end - label_start) + whole[label_end - offset :]

    return _SLACK_LABEL.sub(blank, text)


def _is_public_host(host: str) -> bool:
    parts = _suffixes()(host)
    return bool(parts.ipv4) or bool(parts.domain and parts.suffix)


def _ascii_host(host: str) -> str:
    if host.isascii():
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        pass
    try:
        return host.encode("idna").decode("ascii")  # IDNA 2003 accepts some names 2008 refuses
    except UnicodeError:
        return host


def _unicode_host(host: str) -> str:
    try:
        return idna.decode(host) if "xn--" in host.lower() else host
    except idna.IDNAError:
        return host


def _with_ascii_host(url: str) -> str:
    scheme, separator, rest = url.partition("://")
    if not separator:
        return url
    authority_end = min((i for i in (rest.find(c) for c in "/?#") if i != -1), default=len(rest))
    authority = rest[:authority_end]
    userinfo, at, host_port = authority.rpartition("@")
    if host_port.startswith("["):
        return url
    host, colon, port = host_port.partition(":")
    return f"{scheme}://{userinfo}{at}{_ascii_host(host)}{colon}{port}{rest[authority_end:]}"


def _absolute_url(candidate: str, kind: str) -> str:
    url = candidate if kind == "scheme" else "https://" + candidate
    return _with_ascii_host(url.replace("&amp;", "&"))


def _is_link(candidate: str, kind: str, changed: bool) -> bool:
    if kind == "scheme":
        return bool(candidate.partition(":")[2].strip("/"))  # a bare "http://" is not a link
    host_port = re.split(r"[/?#]", candidate, maxsplit=1)[0]
    has_path = len(host_port) < len(candidate)
    if kind == "bare" and not has_path and not changed:
        return False
    return _is_public_host(host_port.rsplit(":", 1)[0] if ":" in host_port else host_port)


def find_links(text: str, *, allow_private: bool = False, tor_proxy: bool = False) -> list[Link]:
    """Every link in a chat message, in order, refanged, each with its refusal reason (or None)."""
    refanged = refang_mapped(text)
    searchable = _without_slack_labels(refanged.text)
    links: list[Link] = []
    seen: set[str] = set()
    for match in _LINK.finditer(searchable):
        kind = match.lastgroup or "bare"
        candidate = match.group(0)
        closing = _QUOTES.get(searchable[match.start() - 1 : match.start()])
        if closing and (quote_end := candidate.find(closing)) > 0:
            candidate = candidate[:quote_end]
        candidate = _trimmed(candidate)
        if not candidate:
            continue
        end = match.start() + len(candidate)
        if kind != "scheme" and searchable[end : end + 1] == "@":
            continue  # the domain of an e-mail address
        source_start, source_end = refanged.source_span(match.start(), end)
        raw = text[source_start:source_end].strip()
        changed = raw != candidate
        if not _is_link(candidate, kind, changed):
            continue
        url = _absolute_url(candidate, kind)
        if url in seen:
            continue
        seen.add(url)
        refusal = refusal_reason(url, allow_private=allow_private, tor_proxy=tor_proxy)
        links.append(Link(raw=raw, url=url, refusal=refusal, defanged=changed))
    return links


def display_host(url: str) -> str:
    """The host of `url` for people: "unicode (punycode)" when the two spellings differ.

    Callers echoing it into a chat pass it through `refang.defang` like any URL.
    """
    host = urlsplit(url if "://" in url else "//" + url).hostname or ""
    unicode_host = _unicode_host(_ascii_host(host))
    ascii_host = _ascii_host(host)
    return f"{unicode_host} ({ascii_host})" if unicode_host != ascii_host else host
