"""Which pasted links the hub may fetch, and why not when it may not.

The bot fetches pages on behalf of people in a chat, so a link is also an attack on the bot
(SSRF): `file:` and `javascript:` links, the cloud metadata service at 169.254.169.254,
loopback and private networks in any spelling a browser or resolver accepts (`2130706433`,
`0x7f.1`, `::ffff:127.0.0.1`, full-width digits). `refusal_reason` judges a URL before any DNS
look-up; `check_resolved_ip` judges each address a name resolves to, before connecting,
because a public name can point at a private address.

Look-alike hosts (Cyrillic `і` in `іnstagram.com`) are refused by default: the dev corpus
labels them must-not-fetch, and a brand imitation is a phishing page, not an ad. The wording
comes from `homoglyph_warning`, which callers may also show as a plain warning.
"""

from __future__ import annotations

import csv
import ipaddress
import re
import unicodedata
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

import idna

__all__ = ["check_resolved_ip", "homoglyph_warning", "refusal_reason"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_SCHEME_REASONS = {
    "javascript": "a javascript: link runs code in a browser; only http(s) pages are fetched",
    "vbscript": "a vbscript: link runs code in a browser; only http(s) pages are fetched",
    "data": "a data: link carries its content inline, it is not a page on a site",
    "file": "a file: link points at a file on the bot's own machine",
    "ftp": "ftp: is a file transfer, not a web page; only http(s) pages are fetched",
}
_LOCAL_NAMES = ("localhost", "localdomain", "local", "internal", "lan", "home.arpa", "intranet")
_CONFUSABLE_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE"})
_NUMERIC_LABEL = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)", re.IGNORECASE)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


@cache
def _homoglyphs() -> dict[str, str]:
    return {row["char"]: row["latin"] for row in _data_rows("homoglyphs.tsv")}


@cache
def _brand_hosts() -> frozenset[str]:
    return frozenset(row["host"] for row in _data_rows("brand_hosts.tsv"))


def _data_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("extraction").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def normalised_host(host: str) -> str:
    """The host as a browser would resolve it: IDNA-mapped (full-width digits, case), no root dot.

    The one host normalisation: the target guard and the proxy choice both read hosts through it,
    so `x.onion.` is `x.onion` everywhere."""
    host = host.strip().rstrip(".")
    try:
        return idna.uts46_remap(host, std3_rules=False, transitional=False).rstrip(".")
    except idna.IDNAError:
        return host.lower()


def is_onion(host: str) -> bool:
    """Whether `host` (any spelling: case, root dot) is a Tor .onion name."""
    return normalised_host(host).endswith(".onion")


def _ipv4_from_spelling(host: str) -> ipaddress.IPv4Address | None:
    """Read a host the way browsers and inet_aton do: 1-4 parts, decimal, 0-octal or 0x-hex.

    Raises ValueError when the host ends in a number but is no valid address (browsers refuse it).
    """
    labels = host.split(".")
    if not labels or not _NUMERIC_LABEL.fullmatch(labels[-1]):
        return None
    if len(labels) > 4 or not all(_NUMERIC_LABEL.fullmatch(label) for label in labels):
        raise ValueError(host)
    numbers: list[int] = []
    for label in labels:
        lowered = label.lower()
        if lowered.startswith("0x"):
            numbers.append(int(lowered[2:] or "0", 16))
        elif len(label) > 1 and label.startswith("0"):
            numbers.append(int(label, 8))  # raises ValueError on 8 or 9, as browsers refuse them
        else:
            numbers.append(int(label))
    *leading, last = numbers
    if any(number > 255 for number in leading) or last >= 256 ** (5 - len(numbers)):
        raise ValueError(host)
    value = last
    for index, number in enumerate(leading):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address tunnels to (mapped, 6to4, NAT64, IPv4-compatible)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or (int(address) >> 32 == 0 and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _address_reason(address: IPAddress, shown: str, *, allow_private: bool) -> str | None:
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return _address_reason(embedded, f"{shown} (IPv4 {embedded})", allow_private=allow_private)
    # These are never a web server, whatever the settings say.
    if address.is_unspecified:
        return f"{shown} is the unspecified address, which reaches the bot's own machine"
    if address.is_multicast:
        return f"{shown} is a multicast address, not a web server"
    if allow_private:
        return None
    if address.is_loopback:
        return f"{shown} is a loopback address: the bot's own machine"
    if address.is_link_local:
        return f"{shown} is link-local (169.254/16, fe80::/10), where cloud metadata services answer"
    if address.is_reserved:
        return f"{shown} is in a reserved address range"
    if address.is_private:
        return f"{shown} is a private-network address"
    if not address.is_global:
        return f"{shown} is not a public internet address"
    return None


def check_resolved_ip(ip: str, *, allow_private: bool) -> str | None:
    """Why the fetcher must not connect to `ip` (an address DNS returned), or None if it may."""
    try:
        address = ipaddress.ip_address(ip.strip().strip("[]"))
    except ValueError:
        return f"{ip!r} is not an IP address"
    return _address_reason(address, str(address), allow_private=allow_private)


def _script(char: str) -> str:
    return unicodedata.name(char, "UNKNOWN").split(" ")[0]


def _unicode_host(host: str) -> str:
    labels = []
    for label in normalised_host(host).split("."):
        try:
            labels.append(idna.decode(label) if label.startswith("xn--") else label)
        except idna.IDNAError:
            labels.append(label)
    return ".".join(labels)


def homoglyph_warning(host: str) -> str | None:
    """A warning when `host` (Unicode or punycode) imitates a known brand or mixes look-alike alphabets."""
    shown = _unicode_host(host)
    if shown.isascii():
        return None
    glyphs = _homoglyphs()
    skeleton = "".join(glyphs.get(char, char) for char in shown)
    foreign = sorted({char for char in shown if not char.isascii() and char.isalpha()})
    letters = ", ".join(f"{char} ({unicodedata.name(char, '?')})" for char in foreign)
    brand = next((b for b in _brand_hosts() if skeleton == b or skeleton.endswith("." + b)), None)
    if brand is not None:
        return f"look-alike host: {shown} imitates {brand} with {letters}"
    for label in shown.split("."):
        scripts = {_script(char) for char in label if char.isalpha()}
        if len(scripts & _CONFUSABLE_SCRIPTS) > 1:
            mixed = " and ".join(sorted(scripts & _CONFUSABLE_SCRIPTS)).lower()
            return f"look-alike host: {shown} mixes {mixed} letters in '{label}' ({letters})"
    return None


def _host_reason(host: str, *, allow_private: bool, tor_proxy: bool, allow_lookalike: bool) -> str | None:
    try:
        literal = ipaddress.ip_address(host)  # IPv6 literals, zone ids included
    except ValueError:
        pass
    else:
        return _address_reason(literal, host, allow_private=allow_private)
    mapped = normalised_host(host)
    if not mapped:
        return "the link has no host"
    if "%" in mapped or "\\" in mapped:
        return f"the host {host!r} is percent-encoded or escaped, a trick to hide its real address"
    try:
        address = _ipv4_from_spelling(mapped)
    except ValueError:
        return f"the host {host!r} ends in a number but is not a valid IP address"
    if address is not None:
        shown = host if str(address) == host else f"{host} (= {address})"
        return _address_reason(address, shown, allow_private=allow_private)
    if not allow_private and any(mapped == name or mapped.endswith("." + name) for name in _LOCAL_NAMES):
        return f"{host} names a machine on a local network, not a site on the internet"
    if not allow_private and "." not in mapped:
        # A one-label name is completed by the resolver's search domains: an intranet machine.
        return f"{host} is a one-label name, which only resolves on a local network"
    if is_onion(mapped) and not tor_proxy:
        return f"{host} is a Tor .onion site; it is fetched only through a Tor proxy (FETCH_TOR_PROXY)"
    if mapped.endswith(".i2p"):
        return f"{host} is an I2P site, which the hub cannot reach"
    if not allow_lookalike:
        return homoglyph_warning(mapped)
    return None


def refusal_reason(
    url: str, *, allow_private: bool = False, tor_proxy: bool = False, allow_lookalike: bool = False
) -> str | None:
    """Why the hub must not fetch `url` (a clear sentence for the chat), or None if it may."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - urlsplit checks the port only when asked
    except ValueError as error:
        return f"the link is malformed ({error})"
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        if not scheme:
            return "the link has no http:// or https:// scheme"
        return _SCHEME_REASONS.get(scheme, f"{scheme}: is not a web link; only http(s) pages are fetched")
    if "@" in parts.netloc:
        return "the link carries a user name or password (user:pass@host), a trick to disguise the real host"
    if "\\" in parts.netloc:
        return "the link has a backslash in its host part, which browsers read as a different host"
    return _host_reason(
        parts.hostname or "",
        allow_private=allow_private,
        tor_proxy=tor_proxy,
        allow_lookalike=allow_lookalike,
    )
