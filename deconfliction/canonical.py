"""The canonical URL of a finding: when two pasted links are the same finding.

The policy (docs/canonical-urls.md says why, and where it departs from Safe Browsing, w3lib,
url-normalize and the WHATWG parser):

- only absolute http(s) URLs; anything else raises ValueError. Scheme-insensitive: output is
  always `https`.
- leading/trailing spaces and control characters are stripped, tabs and newlines anywhere are
  removed, and `\\` counts as `/` before the query (as browsers do).
- user name and password are dropped: they never name a different page, and credentials
  must not be stored or echoed.
- host: percent-decoded, lower case, IDN → punycode, leading and trailing dots dropped, one
  leading `www.`/`m.`/`mobile.` dropped (repeatedly) while a registrable domain is left;
  numeric IPv4 spellings (`3279880203`, `0x7f.1`) written dotted-decimal; IPv6 compressed.
- port 80 and 443 dropped whatever the scheme (the output must be idempotent and is always
  `https`); any other port kept as a plain number.
- path (by url-normalize): unreserved characters decoded, hex upper case, what must be
  encoded is encoded, `%2F` and other encoded delimiters kept, dot segments resolved, runs of
  `/` collapsed; then a trailing `/` dropped, except the root `/`.
- fragment dropped, except a `#!` hash-bang, which names content and becomes
  `_escaped_fragment_`.
- query read as a form: `+` and `%20` are both a space; tracking parameters dropped; pairs
  sorted; an empty query disappears.
- platforms whose path is an identity (Instagram, Telegram, Facebook, TikTok, VK): see
  `deconfliction.platform_paths`.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from functools import cache
from urllib.parse import quote_plus, unquote_plus, unquote_to_bytes, urlsplit

import idna
import tldextract
from url_normalize import url_normalize

from deconfliction.platform_paths import QueryPairs, apply_platform_rule

__all__ = ["canonical_url", "same_finding"]

_SCHEME = re.compile(r"^(https?):", re.IGNORECASE)
# Characters a registered DNS name may hold once lower-cased; `_` occurs in real hosts.
_ASCII_LABEL = re.compile(r"^[a-z0-9_-]{1,63}$")
_IDEOGRAPHIC_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
_MOBILE_PREFIXES = ("www.", "m.", "mobile.")
_DEFAULT_PORTS = frozenset({80, 443})
# Exact parameter names that only say where a click came from, never what was shown.
_TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "gclsrc", "igshid", "igsh", "si", "ref",
        "ref_src", "ref_url", "_ga", "_gl", "yclid", "msclkid", "twclid", "ttclid", "li_fat_id",
        "mkt_tok", "_hsenc", "_hsmi", "oly_anon_id", "oly_enc_id", "vero_id", "rb_clickid",
        "wickedid", "s_cid", "sc_cid", "epik", "__s", "srsltid", "_openstat",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "mc_", "hsa_", "pk_", "mtm_")
# Kept readable in a canonical query: they carry no form syntax.
_QUERY_SAFE = "~:/?@!$'()*,;[]"


def canonical_url(url: str) -> str:
    """The canonical form of an absolute http(s) URL; two links are one finding iff equal.

    Raises ValueError, saying why, on anything that is not an absolute http(s) URL with a
    valid host and port.
    """
    scheme_match = _SCHEME.match(_strip_blanks(url))
    if scheme_match is None:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    rest = _strip_blanks(url)[scheme_match.end() :]
    before_fragment, _, fragment = rest.partition("#")
    before_query, has_query, query = before_fragment.partition("?")
    # Browsers treat `\` as `/` and ignore extra slashes after the scheme of http(s).
    before_query = before_query.replace("\\", "/").lstrip("/")
    authority, has_path, path = before_query.partition("/")
    host, port = _split_authority(authority, url)
    host = _platform_free_host(_canonical_host(host, url))
    netloc = host if port is None or port in _DEFAULT_PORTS else f"{host}:{port}"

    # url-normalize does the RFC 3986 path work: escapes, dot segments, repeated slashes.
    rebuilt = f"https://{netloc}/{path if has_path else ''}"
    if has_query:
        rebuilt += f"?{query}"
    if fragment.startswith("!"):
        rebuilt += f"#{fragment}"
    normalized = urlsplit(url_normalize(rebuilt) or rebuilt)
    path = normalized.path.rstrip("/") or "/"
    pairs = _query_pairs(normalized.query)

    host, path, pairs = apply_platform_rule(host, path, pairs)
    netloc = host if port is None or port in _DEFAULT_PORTS else f"{host}:{port}"
    query = "&".join(f"{key}={value}" if value else key for key, value in sorted(pairs))
    return f"https://{netloc}{path}" + (f"?{query}" if query else "")


def same_finding(a: str, b: str) -> bool:
    """Whether two pasted links are the same finding (ValueError if either is no http(s) URL)."""
    return canonical_url(a) == canonical_url(b)


def _strip_blanks(url: str) -> str:
    # WHATWG: C0 controls and spaces around a URL, and tabs/newlines inside it, are ignored.
    return url.strip("".join(map(chr, range(0x21)))).translate({9: None, 10: None, 13: None})


def _split_authority(authority: str, url: str) -> tuple[str, int | None]:
    """Host and port of `user:pass@host:port`; the user part is dropped."""
    host_port = authority.rpartition("@")[2]
    if host_port.startswith("["):
        host, bracket, after = host_port.partition("]")
        if not bracket or (after and not after.startswith(":")):
            raise ValueError(f"malformed IPv6 host in {url!r}")
        host, port_text = host + bracket, after.removeprefix(":")
    else:
        host, _, port_text = host_port.partition(":")
    if not port_text:
        return host, None
    if not port_text.isascii() or not port_text.isdigit() or int(port_text) > 65535:
        raise ValueError(f"invalid port {port_text!r} in {url!r}")
    return host, int(port_text)


def _canonical_host(raw_host: str, url: str) -> str:
    """Lower-case ASCII host: punycode labels, dotted-decimal IPv4 or bracketed IPv6."""
    if raw_host.startswith("["):
        try:
            return f"[{ipaddress.IPv6Address(raw_host[1:-1]).compressed}]"
        except ValueError:
            raise ValueError(f"invalid IPv6 host in {url!r}") from None
    try:
        host = unquote_to_bytes(raw_host).decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"host is not UTF-8 once percent-decoded in {url!r}") from None
    host = unicodedata.normalize("NFC", host).translate(_IDEOGRAPHIC_DOTS).strip(".")
    if not host:
        raise ValueError(f"no host in {url!r}")
    ipv4 = _ipv4(host, url)
    if ipv4 is not None:
        return ipv4
    labels = []
    for label in host.split("."):
        ascii_label = label.lower() if label.isascii() else _punycode(label, url)
        if not _ASCII_LABEL.match(ascii_label):
            raise ValueError(f"invalid host label {label!r} in {url!r}")
        labels.append(ascii_label)
    return ".".join(labels)


def _punycode(label: str, url: str) -> str:
    try:
        return idna.encode(label, uts46=True).decode("ascii")
    except idna.IDNAError as error:
        reason = str(error)
    try:
        # Browsers still resolve symbol and emoji labels that IDNA2008 forbids (`☃` → xn--n3h);
        # IDNA2003 gives them the same punycode as the browser did.
        return label.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(f"invalid international host label {label!r} in {url!r}: {reason}") from None


def _ipv4(host: str, url: str) -> str | None:
    """Dotted-decimal form of a numeric host, or None when the host is a name (WHATWG rules)."""
    parts = host.split(".")
    if not _is_ipv4_number(parts[-1]):
        return None
    if len(parts) > 4:
        raise ValueError(f"host ends in a number but is no IPv4 address: {url!r}")
    numbers = []
    for part in parts:
        if not _is_ipv4_number(part):
            raise ValueError(f"host ends in a number but is no IPv4 address: {url!r}")
        numbers.append(_ipv4_number(part))
    if any(number > 255 for number in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise ValueError(f"IPv4 address out of range in {url!r}")
    value = numbers[-1] + sum(number << (8 * (3 - index)) for index, number in enumerate(numbers[:-1]))
    return str(ipaddress.IPv4Address(value))


def _is_ipv4_number(part: str) -> bool:
    if part[:2].lower() == "0x":
        return all(char in "0123456789abcdefABCDEF" for char in part[2:])
    return part.isascii() and part.isdigit()


def _ipv4_number(part: str) -> int:
    if part[:2].lower() == "0x":
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        if any(char in "89" for char in part):
            raise ValueError(f"invalid octal IPv4 part {part!r}")
        return int(part, 8)
    return int(part)


@cache
def _suffix_list() -> tldextract.TLDExtract:
    # Offline: the bundled public-suffix snapshot, never a download.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _platform_free_host(host: str) -> str:
    """Drop `www.`/`m.`/`mobile.` while what is left still has a registrable domain (not `m.me`)."""
    if host.startswith("[") or host[-1].isdigit():
        return host
    while host.startswith(_MOBILE_PREFIXES) and _suffix_list()(host).subdomain:
        host = host.split(".", 1)[1]
    return host


def _query_pairs(query: str) -> QueryPairs:
    """Form-decoded, re-encoded (key, value) pairs without tracking parameters, in input order."""
    pairs = []
    for field in query.split("&"):
        raw_key, _, raw_value = field.partition("=")
        key = unquote_plus(raw_key, errors="surrogateescape")
        if not key and not raw_value:
            continue
        if key.lower() in _TRACKING_PARAMS or key.lower().startswith(_TRACKING_PREFIXES):
            continue
        value = unquote_plus(raw_value, errors="surrogateescape")
        pairs.append((_form_quote(key), _form_quote(value)))
    return pairs


def _form_quote(text: str) -> str:
    return quote_plus(unicodedata.normalize("NFC", text), safe=_QUERY_SAFE, errors="surrogateescape")
