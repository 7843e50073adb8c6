"""Phone numbers in text and in links, spelled E.164.

libphonenumber finds and validates; this module decides which region hints to trust, reads
the text a second time after `deobfuscate` (an ad that hides its number is itself a signal,
hence `obscured`), and throws away ids, prices and dates that happen to be valid numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from urllib.parse import parse_qs, unquote, urlsplit

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

from extraction.identifiers.deobfuscate import deobfuscate_with_offsets
from extraction.types import Identifier, Source

# ccTLDs and habits that are not ISO 3166 codes.
_REGION_ALIASES = {"UK": "GB", "EL": "GR"}
_NO_REGION = "ZZ"  # libphonenumber's "unknown": only numbers written with + or 00 are read
_CONTEXT = 16
_KEYCAP_TAIL = frozenset("\ufe0f\u20e3")
# A number right after these is an ad id, a URL path or a query value, not a phone.
_ID_BEFORE = re.compile(r"(?:\b(?:id|ref|sku|order)\b\.?|[#№=/?&_])\s*[:#]?\s*$", re.IGNORECASE)
_MONEY_BEFORE = re.compile(r"[€$£¥]\s*$")
_UNIT_AFTER = re.compile(
    r"^\s*(?:[€$£¥%]|(?:eur|euro|euros|usd|gbp|chf|pln|ron|lei|zł|zl|kr|views|followers|posts"
    r"|subscribers|members|likes|km|kg|cm|gb|mb)\b)",
    re.IGNORECASE,
)
_DATE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
_YEAR_RANGE = re.compile(r"^(?:19|20)\d\d\s*[-–—/]\s*(?:19|20)?\d\d$")
# The word a number sits in looks like a URL (also defanged): a path segment or slug.
_URL_PREFIX = re.compile(r"(?:://|www\.|[.\]][a-z]{2,}/|\[\.\]|\(\.\)|\[:\])", re.IGNORECASE)
_WHATSAPP_IN_TEXT = re.compile(
    r"(?:https?://)?(?:www\.)?(?:wa\.me/\+?\d{6,16}|(?:api|web)\.whatsapp\.com/send/?\?\S*?phone=[+\d%]{6,24}"
    r"|whatsapp://send/?\?\S*?phone=[+\d%]{6,24})",
    re.IGNORECASE,
)
_WA_HOSTS = frozenset({"wa.me", "www.wa.me"})
_WA_SEND_HOSTS = frozenset({"api.whatsapp.com", "web.whatsapp.com", "whatsapp.com", "www.whatsapp.com"})


def find_phones(text: str, regions: Sequence[str] = (), *, source: Source = "page") -> list[Identifier]:
    """All phone numbers in `text`, in order of appearance, once per E.164 value.

    `regions` (ISO 3166 codes, most trusted first: site ccTLD, page language, participant)
    decide how national numbers are read; a national number is kept only when it is valid
    under one of them. Numbers found only after de-obfuscation are marked `obscured`.
    """
    hints = _regions(regions)
    found: list[tuple[int, str, str, bool]] = []  # (position, E.164, raw, obscured)
    plain = list(_matches(text, hints))
    found += [(start, e164, raw, False) for start, e164, raw in plain]
    plain_values = {e164 for _, e164, _ in plain}
    readable, offsets = deobfuscate_with_offsets(text)
    if readable != text:
        for start, e164, rewritten in _matches(readable, hints):
            # Quote the number as the ad wrote it, not as the de-obfuscation spelled it.
            begin, end = offsets[start], offsets[start + len(rewritten) - 1] + 1
            while end < len(text) and text[end] in _KEYCAP_TAIL:
                end += 1
            # The original spelling gets the same checks: "15/09/2025" must stay a date.
            if not _looks_like_something_else(text, begin, end):
                found.append((begin, e164, text[begin:end], e164 not in plain_values))
    for match in _WHATSAPP_IN_TEXT.finditer(text):
        link = match.group()
        identifier = phone_from_href(link if "://" in link else f"https://{link}", source=source)
        if identifier is not None:
            found.append((match.start(), identifier.value, link, False))
    seen: set[str] = set()
    phones: list[Identifier] = []
    for _, e164, raw, obscured in sorted(found, key=lambda item: (item[0], item[3])):
        if e164 not in seen:
            seen.add(e164)
            phones.append(Identifier(kind="phone", value=e164, raw=raw, source=source, obscured=obscured))
    return phones


def phone_from_href(href: str, regions: Sequence[str] = (), *, source: Source = "page") -> Identifier | None:
    """The phone number a `tel:` or WhatsApp click-to-chat link points at, or None.

    WhatsApp links always carry the full international number without "+"; a `tel:` link
    without "+" is read under `regions`.
    """
    parts = urlsplit(href.strip())
    scheme, host = parts.scheme.lower(), parts.netloc.lower()
    if scheme == "tel":
        number, _, params = unquote(parts.path or parts.netloc).partition(";")
        context = re.search(r"phone-context=(\+[\d\-.()]+)", params)
        if not number.startswith("+") and context:
            number = context.group(1) + number
        return _from_digits(number, href, _regions(regions), source=source)
    if scheme in ("http", "https") and host in _WA_HOSTS:
        digits = parts.path.strip("/")
    elif (scheme in ("http", "https") and host in _WA_SEND_HOSTS and parts.path.rstrip("/") == "/send") or (
        scheme == "whatsapp" and host == "send"
    ):
        digits = parse_qs(parts.query).get("phone", [""])[0]
    else:
        return None
    digits = re.sub(r"[\s\-.()]", "", unquote(digits))
    if not re.fullmatch(r"(?:\+|00)?\d{6,16}", digits):
        return None
    return _from_digits("+" + digits.lstrip("+").removeprefix("00"), href, (), source=source)


def _from_digits(number: str, raw: str, regions: Sequence[str], *, source: Source) -> Identifier | None:
    for region in regions or (_NO_REGION,):
        try:
            parsed = phonenumbers.parse(number, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            e164 = phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
            return Identifier(kind="phone", value=e164, raw=raw, source=source)
    return None


def _regions(regions: Sequence[str]) -> tuple[str, ...]:
    hints: list[str] = []
    for region in regions:
        code = _REGION_ALIASES.get(region.strip().upper(), region.strip().upper())
        if code in phonenumbers.SUPPORTED_REGIONS and code not in hints:
            hints.append(code)
    return tuple(hints)


def _matches(text: str, regions: Sequence[str]) -> Iterator[tuple[int, str, str]]:
    """(start, E.164, raw) per number; the first region that reads a span wins it."""
    taken: list[tuple[int, int]] = []
    for region in regions or (_NO_REGION,):
        for match in PhoneNumberMatcher(text, region, Leniency.VALID):
            if any(match.start < end and start < match.end for start, end in taken):
                continue
            if _looks_like_something_else(text, match.start, match.end):
                continue
            taken.append((match.start, match.end))
            e164 = phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
            yield match.start, e164, match.raw_string


def _looks_like_something_else(text: str, start: int, end: int) -> bool:
    """Ids, URL parts, prices and dates that libphonenumber accepts as valid numbers."""
    before, after = text[max(0, start - _CONTEXT) : start], text[end : end + _CONTEXT]
    raw = text[start:end]
    word_start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start), text.rfind("\t", 0, start)) + 1
    return bool(
        _ID_BEFORE.search(before)
        or _MONEY_BEFORE.search(before)
        or _UNIT_AFTER.match(after)
        or _DATE.match(raw)
        or _YEAR_RANGE.match(raw)
        or (before[-1:] == "-" and before[-2:-1].isalnum())
        or _URL_PREFIX.search(text[word_start:start])
    )
