"""Number shapes that are not phones: dates, times, prices, decimals, ranges, years, ids, calendars.

libphonenumber accepts many of them as valid numbers (`07.04.2020 10:27` reads as a German
number), so they are recognised first and their spans claimed: the phone finder reads a copy
of the text in which every claimed character is blanked out. The rules describe shapes, not
pages: day-month-year in every separator style, month names of the languages the hub reads,
clock times, amounts next to a currency, decimals, runs of consecutive day numbers, year and
page ranges, lone short numbers, labelled ids (ISBN, DOI, order numbers) and ZIP+4 codes.

Every pattern is a regular expression with bounded repetition applied once to the text (a
fixed number of passes), so the whole recogniser is linear in the text's length.
"""

from __future__ import annotations

import itertools
import re

# What a claimed character becomes: not a digit, not phone punctuation, not a letter, not
# whitespace to `\s` (which takes \x1c-\x1f) and
# not an emoji, so neither libphonenumber nor the de-obfuscation joins digits across it.
BLANK = "\x00"

_MONTHS = (  # noqa: SIM905 - one line per language reads better than a list literal
    # de
    "januar jänner jan februar feber feb märz mär mrz maerz april apr mai juni jun juli jul august aug "
    "september sept sep oktober okt november nov dezember dez "
    # en
    "january february march mar may june july october oct december dec "
    # fr
    "janvier janv février févr fevrier fevr fév mars avril avr juin juillet juil août aout septembre "
    "octobre novembre décembre déc decembre "
    # es
    "enero ene febrero marzo abril abr mayo junio julio agosto ago septiembre setiembre set octubre "
    "noviembre diciembre dic "
    # it
    "gennaio gen febbraio aprile maggio mag giugno giu luglio lug settembre ottobre ott dicembre "
    # pt
    "janeiro fevereiro fev março marco maio junho julho setembro outubro out dezembro "
    # nl
    "januari februari maart mrt mei augustus "
    # pl (both cases)
    "styczeń stycznia sty luty lutego lut marzec marca kwiecień kwietnia kwi maj maja czerwiec "
    "czerwca cze lipiec lipca lip sierpień sierpnia sie wrzesień września wrz październik "
    "października paź listopad listopada lis grudzień grudnia gru "
    # ro
    "ianuarie februarie martie aprilie iunie iulie septembrie octombrie noiembrie decembrie "
    # cs, sv, da, fi (common forms)
    "ledna února března dubna května června července srpna září října listopadu prosince "
    "januari februari mars maj augusti oktober "
    "tammikuuta helmikuuta maaliskuuta huhtikuuta toukokuuta kesäkuuta heinäkuuta elokuuta "
    "syyskuuta lokakuuta marraskuuta joulukuuta "
    # ru, uk
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря "
    "янв фев мар апр июн июл авг сен окт ноя дек "
    "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня"
).split()
# Month names are found by a dictionary probe per word and stand in the patterns as MONTH marks
# (one alternation of 250 names tried at every position was the slowest step).
_MONTH_WORDS = frozenset(_MONTHS)
_MONTH_MARK = "\x01"
_MONTH = _MONTH_MARK + r"+\.?"
_WORD = re.compile(r"[^\W\d_]{3,13}")
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MON_NUM = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_HOUR = r"(?:[01]?\d|2[0-4])"
_DAY_OR_MONTH = r"(?:" + _DAY + r"|" + _MON_NUM + r")"
_NOT_DIGIT_BEFORE = r"(?<![\d+])"
# Not the continuation of a digit group: no digit up to three separators back.
_SEP = r"[\s./\-\u2010-\u2015\u2212()]"
# (libphonenumber allows up to four punctuation marks between digit groups: "+49 - (40) - 300")
_NOT_GROUP_BEFORE = (
    rf"(?<![\d+])(?<![\d+]{_SEP})(?<![\d+]{_SEP}{{2}})(?<![\d+]{_SEP}{{3}})(?<![\d+]{_SEP}{{4}})"
)
_NOT_GROUP_AFTER = rf"(?!{_SEP}{{0,4}}\d)"
_NOT_DIGIT_AFTER = r"(?![\d])"
_CURRENCY = (
    r"(?:€|\$|£|¥|₽|₴|₺|EUR|Euro|Euros|USD|US\$|GBP|CHF|SFr\.?|Fr\.|PLN|zł|zl|RON|lei|CZK|Kč|SEK|NOK|DKK"
    r"|kr\.?|HUF|Ft|BGN|лв|руб\.?|грн\.?|₹|Rs\.?|INR|AUD|CAD|A\$|C\$)"
)
_AMOUNT = r"(?:[1-9]\d{0,2}(?:[ .,'’\u00a0\u202f]\d{3})+|\d{1,7})(?:[.,]\d{1,2}|,-+|,–|\.-)?"

# Shapes in order of precedence.
_SHAPES: tuple[str, ...] = (
    # Labelled ids and references: ISBN/ISSN/DOI/PMID/IBAN and order or invoice numbers.
    r"\b(?:ISBN(?:-1[03])?|ISSN|PMID|PMCID|EAN|GTIN|IBAN|BIC|UID|USt-?IdNr\.?|HRB|HRA|Az\.|Aktenzeichen"
    r"|Bestell-?(?:nr|nummer)|Auftrags-?(?:nr|nummer)|Rechnungs-?(?:nr|nummer)|Kunden-?(?:nr|nummer)"
    r"|Artikel-?(?:nr|nummer)|Art\.-?Nr|order\s+(?:no|number|#)|invoice\s+(?:no|number|#)"
    r"|n[º°]\s*de\s+pedido|numéro\s+de\s+commande|numer\s+zamówienia|bestelnummer)\.?\s*[:#]?\s*"
    r"[0-9A-Z][0-9A-Z\-/ ]{3,40}[0-9X]\b",
    r"\b10\.\d{4,9}/\S{1,200}",  # DOI
    # Versions after a product name: Chrome/59.0.3071.125, Build 10.0.19045.
    r"(?<=[A-Za-z]/)\d{1,4}(?:\.\d{1,6}){1,4}",
    # Date and time stamps written ISO style: 2020-04-07T10:27(:00)(Z|+02:00).
    _NOT_DIGIT_BEFORE + _YEAR + r"-[01]\d-[0-3]\d[T ][0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?"
    r"(?:Z|[+-][01]\d:?[0-5]\d)?",
    # Clock times: 10:27, 10:27:05, 10h27, 16.45 Uhr, 8.30 h, 4:04 PM; and time ranges 15.00 - 16.45.
    _NOT_DIGIT_BEFORE + _HOUR + r"[:h][0-5]\d(?::[0-5]\d)?(?:\s?[AaPp]\.?[Mm]\.?)?" + _NOT_DIGIT_AFTER,
    _NOT_DIGIT_BEFORE + _HOUR + r"[.:][0-5]\d\s*(?:Uhr|h|hrs?|horas|heures|ore|godz\.?|часов)\b",
    _NOT_DIGIT_BEFORE + _HOUR + r"[.:][0-5]\d\s*[-–—]\s*" + _HOUR + r"[.:][0-5]\d" + _NOT_DIGIT_AFTER,
    # Numeric dates: D.M.Y, D/M/Y, D-M-Y, M/D/Y (2- or 4-digit years), Y-M-D, Y/M/D, Y.M.D;
    # never part of a longer dotted or slashed chain (06.12.34.56.78 is a phone).
    r"(?<![\d+][./-])(?<![\d+])"
    + _DAY_OR_MONTH
    + r"\s?(?P<dmy>[./-])\s?"
    + _DAY_OR_MONTH
    + r"\s?(?P=dmy)\s?(?:"
    + _YEAR
    + r"|\d\d)(?![./-]?\d)",
    # Month and year: 01/2016, 3.2021.
    r"(?<![\d+][./-])(?<![\d+])" + _MON_NUM + r"[./]" + _YEAR + r"(?![./-]?\d)",
    # Decimals below one, also in chains: 0.3071.125, 0,5.
    r"(?<![\d+.,])0[.,]\d+(?:[.,]\d+)*",
    r"(?<![\d+][./-])(?<![\d+])"
    + _YEAR
    + r"(?P<ymd>[./-])"
    + _MON_NUM
    + r"(?P=ymd)"
    + _DAY
    + r"(?![./-]?\d)",
    # Day and month without a year, when a month-year pair or weekday makes it a date: 06.11.
    r"(?<![\d+][./-])(?<![\d+])" + _DAY + r"\.\s?" + _MON_NUM + r"\.(?!\d)",
    # Dates with month names: 6. Dez. 2022, 6 de diciembre de 2022, December 6, 2022, 6th Dec 2022.
    _NOT_GROUP_BEFORE
    + _DAY
    + r"(?:\.|st|nd|rd|th|er|º)?\s*(?:de\s+|of\s+)?"
    + _MONTH
    + r"(?:\s*(?:de\s+)?,?\s*"
    + _YEAR
    + r")?(?!\w)",
    r"(?<!\w)" + _MONTH + r"\s+" + _DAY + r"(?:st|nd|rd|th)?,?\s*(?:" + _YEAR + r")?" + _NOT_DIGIT_AFTER,
    r"(?<!\w)" + _MONTH + r"\s+" + _YEAR + _NOT_DIGIT_AFTER,
    # Amounts with their currency, before or after: EUR 16900,--, 1.299,00 €, $150, 150 zł.
    r"(?<!\w)" + _CURRENCY + r"\s?" + _AMOUNT + r"(?![\d\-–./]\d)(?!\d)",
    r"(?<![\d.,])" + _AMOUNT + r"\s?" + _CURRENCY + r"(?!\w)",
    # Quantities with their unit: 95hr, 30min, 2 hours, 3 Stunden, 23 years.
    r"(?<![\d+])\d{1,4}(?:hrs?|hh|h|min|mins|k|yo|yrs?|ans)(?![^\W\d_])",
    r"(?<![\d+])\d{1,4}\s(?:hours?|minutes?|mins?|stunden?|std\.?|uur|minuten|heures?|horas?|ore|godz\.?|roses"
    r"|years?|jahre?n?|ans|años|anni|lat|jaar|ani)(?!\w)",
    # ZIP+4 after a US state code: MD 21218-2686.
    r"\b[A-Z]{2}\s+\d{5}-\d{4}\b",
    # Decimals and coordinates: 53.369889, 164.5, 394.000 (not a dotted chain).
    r"(?<![\d+][.,])(?<![\d+])-?\d{1,3}[.,]\d{1,6}(?![.,]?\d)",
    # Thousands: 1.299.000, 12,500,000.
    r"(?<![\d+][.,])(?<![\d+])[1-9]\d{0,2}(?:(?P<thousands>[.,])\d{3})(?:(?P=thousands)\d{3})+(?![.,]?\d)",
    # Year ranges and page ranges: 2006–2025, 1979-2011, 333 – 337, pp. 12-19.
    _NOT_DIGIT_BEFORE + _YEAR + r"\s*[-–—/]\s*(?:" + _YEAR + r"|\d\d)(?![./-]?\d)",
    r"(?<![\d+][-–—./])(?<![\d+])(?P<low>[1-9]\d{0,4})\s*[-–—]\s*(?P<high>[1-9]\d{0,4})(?![-–—./]?\d)",
    # Runs of consecutive day numbers: calendar rows (05 06 07 08 09 10 11).
    r"(?<![\d+])(?:[0-3]?\d[ \t]+){3,}[0-3]?\d(?![\d])",
    # Table rows: counts in columns, several of them single digits (166 0 0 0 19 0).
    r"(?<![\d+])[1-9]\d*(?:[ \t]+\d{1,4}){4,}(?![\d])",
    # Bare digit strings too long for any phone (an E.164 number has at most 15 digits).
    r"(?<![\d+])(?!00)\d{14,}(?!\d)",
    # Lone short numbers (years, counts, postcodes): no phone is 5 digits or fewer.
    _NOT_GROUP_BEFORE + r"(?<![xX#])(?<!ext)(?<!ext\.)(?<!ext )(?<!ext\. )\d{1,5}" + _NOT_GROUP_AFTER,
)
# Stages of shapes (by index) run one after the other, each on the text as blanked by the stages
# before it; the shapes of a stage form one alternation (one scan of the text per stage).
_STAGES = ((0, 7), (7, 12), (12, 23), (23, 24), (24, 25), (25, 27), (27, 28))
_RANGE, _CALENDAR, _TABLE, _SHORT = 23, 24, 25, 27
_PASSES: tuple[re.Pattern[str], ...] = tuple(
    re.compile("|".join(f"(?P<s{n}>{_SHAPES[n]})" for n in range(first, stop)), re.IGNORECASE)
    for first, stop in _STAGES
)
_DIGIT = re.compile(r"\d")
_LINE_JOIN = "\n" + BLANK + "\n"
_SEGMENT = 1_000
_WORD_GAP = re.compile(r"(?<=[^\d\s])\s+(?=[^\d\s])")
_ANY_GAP = re.compile(r"\s+")
_MIN_TABLE_SINGLES = 3
_MIN_TABLE_WIDE = 2
_MIN_CALENDAR_RUN = 4


def claimed_spans(text: str, *, short_numbers: bool = True) -> list[tuple[int, int]]:
    """(start, end) of every number shape in `text` that is not a phone, in order.

    `short_numbers=False` leaves lone numbers of up to five digits alone: in hidden spellings
    ("+48 6O 2OO 3882") they are pieces of a phone, not numbers of their own."""
    return _blank(text, short_numbers)[1]


def segments(text: str) -> list[str]:
    """`text` cut into lines, and lines longer than `_SEGMENT` cut at a space between words
    (else at any space): the units that number shapes and hidden numbers are read in. The
    pieces join back to `text`."""
    pieces: list[str] = []
    for line in text.splitlines(keepends=True):
        while len(line) > _SEGMENT:
            cut = _clean_cut(line)
            pieces.append(line[:cut])
            line = line[cut:]
        pieces.append(line)
    return pieces


def _clean_cut(line: str) -> int:
    window = line[_SEGMENT : 3 * _SEGMENT]
    found = _WORD_GAP.search(window) or _ANY_GAP.search(window)
    return _SEGMENT + found.end() if found else len(line) if len(line) <= 3 * _SEGMENT else 3 * _SEGMENT


def blank_claimed(text: str) -> str:
    """`text` with every claimed character replaced by BLANK (same length, same offsets).

    No shape spans a line break, so the passes run once over the distinct segments (lines,
    long lines cut between words) that hold a digit: a page of repeated rows costs one row,
    and lines without digits cost nothing."""
    pieces = segments(text)
    distinct = list(dict.fromkeys(piece.rstrip("\r\n") for piece in pieces if _DIGIT.search(piece)))
    if not distinct:
        return text
    # Segments are joined with a BLANK between line breaks: no shape matches across a BLANK.
    joined = _blank(_LINE_JOIN.join(distinct), True)[0].split(_LINE_JOIN)
    blanked = dict(zip(distinct, joined, strict=True))
    out: list[str] = []
    for piece in pieces:
        body = piece.rstrip("\r\n")
        out.append(blanked[body] + piece[len(body) :] if body in blanked else piece)
    return "".join(out)


def _blank(text: str, short_numbers: bool) -> tuple[str, list[tuple[int, int]]]:
    spans: list[tuple[int, int]] = []
    current = _mark_months(text)
    for pattern in _PASSES if short_numbers else _PASSES[:-1]:
        found = [m for m in pattern.finditer(current) if _keeps(m)]
        if not found:
            continue
        pieces: list[str] = []
        last = 0
        for match in found:
            # Spaces a pattern swallowed at its end ("April 2 ") are not part of the shape.
            end = match.start() + len(match.group().rstrip())
            pieces += [current[last : match.start()], BLANK * (end - match.start())]
            spans.append((match.start(), end))
            last = end
        pieces.append(current[last:])
        current = "".join(pieces)
    spans.sort()
    if _MONTH_MARK in current:  # unclaimed month names are words again
        current = "".join(o if c == _MONTH_MARK else c for c, o in zip(current, text, strict=True))
    return current, spans


def _mark_months(text: str) -> str:
    pieces: list[str] = []
    last = 0
    for word in _WORD.finditer(text):
        if word.group().casefold() in _MONTH_WORDS:
            pieces += [text[last : word.start()], _MONTH_MARK * (word.end() - word.start())]
            last = word.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def _keeps(match: re.Match[str]) -> bool:
    """Checks a regular expression cannot say: a range ascends, a calendar row counts up."""
    shape = int((match.lastgroup or "s0")[1:])
    if shape == _RANGE:
        low, high = match.group("low"), match.group("high")
        return len(low) == len(high) and int(high) > int(low)
    if shape == _CALENDAR:
        days = [int(part) for part in match.group().split()]
        return len(days) >= _MIN_CALENDAR_RUN and all(b == a + 1 for a, b in itertools.pairwise(days))
    if shape == _TABLE:
        groups = match.group().split()
        singles = sum(len(group) == 1 for group in groups)
        return singles >= _MIN_TABLE_SINGLES and any(len(group) >= _MIN_TABLE_WIDE for group in groups)
    return True


__all__ = ["BLANK", "blank_claimed", "claimed_spans", "segments"]
