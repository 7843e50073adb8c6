"""Phone numbers in text and in links, spelled E.164.

libphonenumber finds and validates; this module decides which region hints to trust, reads
the text a second time after `deobfuscate` (an ad that hides its number is itself a signal,
hence `obscured`), and throws away ids, prices and dates that happen to be valid numbers.

Number shapes that are not phones (dates, times, prices, decimals, ranges, ids: see
`number_shapes`) are blanked out before anything is read. The text is then cut into
phone-shaped candidates once; each distinct candidate is read by libphonenumber's matcher under
the region hints in order of trust, the first region that reads it validly wins, and the
hint's reason travels with the identifier (`region_reason`). Results are cached per candidate,
so a page that repeats one number costs one reading, and the work is linear in the page.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from urllib.parse import parse_qs, unquote, urlsplit

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

from extraction.identifiers.deobfuscate import deobfuscate_with_offsets
from extraction.identifiers.number_shapes import BLANK, blank_claimed, claimed_spans, segments
from extraction.types import Identifier, Source


class RegionHint(str):
    """An ISO 3166 code whose national format may be how a text writes its numbers, with the
    evidence for it in `reason` ("tld .nl", "city Frankfurt", "participant"). A plain string
    everywhere a region code is expected."""

    reason: str

    def __new__(cls, code: str, reason: str) -> RegionHint:
        """The hint `code` (upper-cased), known for `reason`."""
        hint = super().__new__(cls, code.strip().upper())
        hint.reason = reason
        return hint


# ccTLDs and habits that are not ISO 3166 codes.
_REGION_ALIASES = {"UK": "GB", "EL": "GR"}
_NO_REGION = "ZZ"  # libphonenumber's "unknown": only numbers written with + or 00 are read
_INTERNATIONAL = "international prefix"
_CONTEXT = 16
_KEYCAP_TAIL = frozenset("\ufe0f\u20e3")
# A number right after these is an ad id, a URL path or a query value, not a phone.
_ID_BEFORE = re.compile(r"(?:\b(?:id|ref|sku|order)\b\.?\s*[:#]?\s*|[#№]\s*|[=/_&])$", re.IGNORECASE)
_MONEY_BEFORE = re.compile(r"[€$£¥]\s*$")
# A unit right after the number (and not the start of the next amount: "06 1234 €150").
_UNIT_AFTER = re.compile(
    r"^\s*(?:[€$£¥%](?!\s?\d)|(?:eur|euro|euros|usd|gbp|chf|pln|ron|lei|zł|zl|kr|views|followers|posts"
    r"|subscribers|members|likes|km|kg|cm|gb|mb)\b(?!\s?\d))",
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
# Phone-shaped stretches: digit groups joined by at most a few phone separators, with an
# optional extension; bounded, so one candidate (and libphonenumber's work on it) stays small.
_CANDIDATE = re.compile(
    r"(?:[+\uff0b][ \t]{0,2})?[(\[]?\d"
    r"(?:[\d \t\u00a0\u2009\u202f\u3000\-\u2010-\u2015\u2212.()/\[\]~]{0,6}\d){4,24}"
    r"(?:[ \t]{0,2}(?:ext\.?|x|#|extension|доб\.?|Durchwahl)[ \t]{0,2}\d{1,7})?",
    re.IGNORECASE,
)
# A page with more distinct phone-shaped candidates than this is a number table, not an ad:
# the rest is not read (the bound keeps a 2 MB worst-case page fast).
_MAX_CANDIDATES = 1000
_GLUED_DIGITS = 10
_TAIL = 16
_DEOBFUSCATE_BUDGET = 100_000
_WORD_REACH = 200
_GROUP = re.compile(r"\d+")
_MIN_TRIM_GROUPS = 3
_EXTENSION = re.compile(r"(?:ext|x|#|~|доб)", re.IGNORECASE)
# Evidence that a number was hidden on purpose: letters or number words, emoji, keycaps,
# circled or full-width digits (all non-ASCII), or separators no one writes in a number.
_OBFUSCATION = re.compile(r"[^\x00-\x7f]|[A-Za-z]|[*_~|$]|/.*/")


def find_phones(text: str, regions: Sequence[str] = (), *, source: Source = "page") -> list[Identifier]:
    """All phone numbers in `text`, in order of appearance, once per E.164 value.

    `regions` (ISO 3166 codes or `RegionHint`s, most trusted first: site ccTLD, places the
    page names, page language, participant) decide how national numbers are read; a national
    number is kept only when it is valid under one of them, and the first such hint is its
    `region_reason`. Numbers found only after de-obfuscation are `obscured` when their
    spelling shows how they were hidden.
    """
    hints = _regions(regions)
    found: list[tuple[int, str, str, bool, str]] = []  # (position, E.164, raw, obscured, reason)
    blanked = blank_claimed(text)
    plain = list(_matches(blanked, hints))
    found += [(start, e164, text[start:end], False, why) for start, end, e164, why in plain]
    plain_values = {e164 for _, _, e164, _ in plain}
    readable, offsets, changed = _deobfuscated(text)
    if offsets:
        claimed = claimed_spans(changed, short_numbers=False)
        for start, end, e164, why in _matches(blank_claimed(readable), hints):
            # Quote the number as the ad wrote it, not as the de-obfuscation spelled it.
            begin, stop = offsets[start], offsets[end - 1] + 1
            while stop < len(text) and text[stop] in _KEYCAP_TAIL:
                stop += 1
            raw = text[begin:stop]
            # The original spelling gets the same checks: "15/09/2025" must stay a date.
            if not _looks_like_something_else(text, begin, stop) and not _overlaps(claimed, begin, stop):
                hidden = e164 not in plain_values and bool(_OBFUSCATION.search(raw))
                found.append((begin, e164, raw, hidden, why))
    for match in _WHATSAPP_IN_TEXT.finditer(text):
        link = match.group()
        identifier = phone_from_href(link if "://" in link else f"https://{link}", source=source)
        if identifier is not None:
            found.append((match.start(), identifier.value, link, False, _INTERNATIONAL))
    seen: set[str] = set()
    phones: list[Identifier] = []
    for _, e164, raw, obscured, why in sorted(found, key=lambda item: (item[0], item[3])):
        if e164 not in seen:
            seen.add(e164)
            phones.append(
                Identifier(
                    kind="phone", value=e164, raw=raw, source=source, obscured=obscured, region_reason=why
                )
            )
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


def _from_digits(
    number: str, raw: str, regions: Sequence[RegionHint], *, source: Source
) -> Identifier | None:
    for hint in regions or (RegionHint(_NO_REGION, ""),):
        try:
            parsed = phonenumbers.parse(number, hint)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            e164 = phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
            why = _reason(number, parsed, hint)
            return Identifier(kind="phone", value=e164, raw=raw, source=source, region_reason=why)
    return None


def _regions(regions: Sequence[str]) -> tuple[RegionHint, ...]:
    hints: list[RegionHint] = []
    for region in regions:
        reason = region.reason if isinstance(region, RegionHint) else "region hint"
        code = region.strip().upper()
        code = _REGION_ALIASES.get(code, code)
        if code in phonenumbers.SUPPORTED_REGIONS and code not in hints:
            hints.append(RegionHint(code, reason))
    return tuple(hints)


def _reason(raw: str, number: phonenumbers.PhoneNumber, hint: RegionHint) -> str:
    """Why the number is in its country: written with + or 00, or read under `hint`."""
    written = raw.lstrip(" ([").startswith(("+", "\uff0b", "00"))
    if written or number.country_code != phonenumbers.country_code_for_region(hint):
        return _INTERNATIONAL
    return hint.reason


def _matches(text: str, regions: Sequence[RegionHint]) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, E.164, region reason) per number; the first region that reads it wins."""
    hints = regions or (RegionHint(_NO_REGION, ""),)
    cache: dict[tuple[str, int], list[tuple[int, int, str, str]]] = {}
    for candidate in _CANDIDATE.finditer(text):
        # One character before (libphonenumber looks at it) and a little after: an extension
        # and whatever touches it decide whether the number stands alone.
        begin = max(0, candidate.start() - 1)
        end = _window_end(text, candidate.end())
        after = candidate.end() - begin
        window = _unglued(text[begin:end], candidate.group(), begin < candidate.start(), after)
        read = cache.get((window, after))
        if read is None:
            if len(cache) >= _MAX_CANDIDATES:
                break
            read = _read_window(window, hints) or _read_trimmed(window, after, hints)
            cache[window, after] = read
        for start, stop, e164, why in read:
            if begin + start >= candidate.end():
                continue  # the next candidate's number, read in its own window
            if not _looks_like_something_else(text, begin + start, begin + stop):
                yield begin + start, begin + stop, e164, why


def _window_end(text: str, end: int) -> int:
    """Where a candidate's window ends: up to `_TAIL` characters on, not past a line break."""
    stop = min(len(text), end + _TAIL)
    newline = text.find("\n", end, stop)
    return stop if newline < 0 else newline


def _unglued(window: str, digits: str, lead: bool, after: int) -> str:
    """Ads glue a bare number to words ("weekend7086315843", "7864865044tengo"): a run of ten
    or more digits is read as if a space stood between it and the letters."""
    if len(digits) < _GLUED_DIGITS or not digits.isdigit():
        return window
    if lead and window[0].isalpha():
        window = " " + window[1:]
    if window[after : after + 1].isalpha():
        window = window[:after] + " " + window[after + 1 :]
    return window


def _read_trimmed(window: str, after: int, hints: Sequence[RegionHint]) -> list[tuple[int, int, str, str]]:
    """A candidate no region reads, tried once without its last and once without its first
    digit group: a number run into a price or a count ("323 430 0387 95")."""
    touching = window[:1].isalpha() or window[after : after + 1].isalpha()
    window = window[:after]
    groups = list(_GROUP.finditer(window))
    # Not where letters touch the candidate or an extension follows it: libphonenumber's
    # refusal stands there ("…7777forme", "… x456").
    if len(groups) < _MIN_TRIM_GROUPS or touching or _EXTENSION.search(window):
        return []
    cut = groups[-1].start()
    last_off = _read_window(window[:cut] + " " * (len(window) - cut), hints)
    if last_off:
        return last_off
    if window.lstrip(" ([").startswith(("+", "\uff0b")):
        return []  # the first group is a country code: dropping it would move the number
    cut = groups[1].start()
    return _read_window(" " * cut + window[cut:], hints)


def _read_window(window: str, hints: Sequence[RegionHint]) -> list[tuple[int, int, str, str]]:
    """libphonenumber's matcher over one candidate, region by region in order of trust."""
    taken: list[tuple[int, int, str, str]] = []
    digits = sum(char.isdigit() for char in window)
    for hint in hints:
        if taken and sum(c.isdigit() for a, b, _, _ in taken for c in window[a:b]) == digits:
            break  # every digit already belongs to a number
        for match in PhoneNumberMatcher(window, str(hint), Leniency.VALID):
            if any(match.start < end and start < match.end for start, end, _, _ in taken):
                continue
            e164 = phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
            why = _reason(match.raw_string, match.number, hint)
            taken.append((match.start, match.end, e164, why))
    return sorted(taken)


def _deobfuscated(text: str) -> tuple[str, list[int], str]:
    """`deobfuscate_with_offsets` line by line, keeping only the lines it changed.

    Returns (readable, offsets into `text`, `text` itself), where every line the pass left as
    it was is BLANK in both texts (its numbers were read plainly already), or ("", [], "")
    when nothing changed. Repeated lines are read once, and no more than
    `_DEOBFUSCATE_BUDGET` characters of distinct lines are read (a page longer than that is
    an archive or a table: its hidden numbers are looked for in its first lines only)."""
    done: dict[str, tuple[str, tuple[int, ...]]] = {}
    budget = _DEOBFUSCATE_BUDGET
    pieces: list[str] = []
    originals: list[str] = []
    offsets: list[int] = []
    start = 0
    changed_any = False
    for line in segments(text):
        read = done.get(line)
        if read is None and budget > 0:
            budget -= len(line)
            read = done[line] = deobfuscate_with_offsets(line)
        if read is None or read[0] == line:
            pieces.append(BLANK * len(line))
            originals.append(BLANK * len(line))
            offsets.extend(range(start, start + len(line)))
        else:
            changed_any = True
            pieces.append(read[0])
            originals.append(line)
            offsets.extend(start + offset for offset in read[1])
        start += len(line)
    if not changed_any:
        return "", [], ""
    return "".join(pieces), offsets, "".join(originals)


def _overlaps(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the sorted `spans` (binary search: linear overall)."""
    index = bisect.bisect_left(spans, (start, start))
    return any(a < end and start < b for a, b in spans[max(0, index - 1) : index + 1])


def _looks_like_something_else(text: str, start: int, end: int) -> bool:
    """Ids, URL parts, prices and dates that libphonenumber accepts as valid numbers."""
    before, after = text[max(0, start - _CONTEXT) : start], text[end : end + _CONTEXT]
    raw = text[start:end]
    # The word the number sits in, looked for in a bounded stretch (rfind over the whole text
    # before every number made a page of numbers quadratic).
    floor = max(0, start - _WORD_REACH)
    word_start = max(
        text.rfind(" ", floor, start), text.rfind("\n", floor, start), text.rfind("\t", floor, start)
    )
    word_start = word_start + 1 if word_start >= 0 else floor
    return bool(
        _ID_BEFORE.search(before)
        or _MONEY_BEFORE.search(before)
        or _UNIT_AFTER.match(after)
        or _DATE.match(raw)
        or _YEAR_RANGE.match(raw)
        or (before[-1:] == "-" and before[-2:-1].isalnum())
        or _URL_PREFIX.search(text[word_start:start])
    )
