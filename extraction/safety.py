"""Hard limits: the child-sexual-abuse stop and the organ-trafficking flag (domain.md).

`csam_suspected` returns a short reason code and never any of the text: the caller stops
processing the page, stores nothing of it, alerts coordinators and points the reporter to the
national police / INHOPE. It errs towards stopping — a false stop costs a coordinator a look,
a miss costs far more — but ordinary adult-site wording ("18+ only", "19+", "adults only",
"no minors") must not trigger it. The terms live in data/csam_terms.tsv.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from importlib import resources

from extraction.indicators import ORGAN_CODE, compile_phrase, fold_text, lexicon_indicators
from extraction.types import Indicator

CSAM_TERM = "csam_term"
MINOR_IN_SEXUAL_CONTEXT = "minor_in_sexual_context"
AGE_UNDER_18_IN_SEXUAL_CONTEXT = "age_under_18_in_sexual_context"

BLOOD_PRICE_WEIGHT = 1.0
# Evidence for a blood group with a price names the rule, not the group: store no medical data.
BLOOD_PRICE_EVIDENCE = "[blood group with a price]"

_ADULT_AGE = 18
_TITLE_MIN_AGE = 10  # "Anna 16 · Utrecht": below 10 a bare number after a name is rarely an age
_WINDOW_WORDS = 4
_CLAUSE_BREAK = re.compile(r"[.,;:!?\n()\[\]|·•–—]")
_NUMBER = re.compile(r"(?<![\w])(\d{1,2})(?!\d)")
# An ad title: a capitalised name, then the age, then a separator or the end of the line.
_TITLE_AGE = re.compile(r"(?m)\b[A-ZÀ-Þ][a-zß-ÿ]+,?\s+\(?(\d{1,2})\)?\s*(?:[|·•–]|-\s|$)")
_BLOOD_WORD = re.compile(r"(?i)(?<!\w)(?:blood|bloed|blut|sang|sangre|sangue|krew|krwi|s[aâ]nge|α[ίι]μα)\w*")
_BLOOD_GROUP = re.compile(r"(?i)(?<![\w])(?:AB|A|B|O|0)\s?(?:rh\s?)?(?:[+\-−]|pos\w*|neg\w*)(?![\w+])")
_PRICE = re.compile(
    r"(?i)(?:[€$£]\s?\d[\d.,]*|\d[\d.,]*\s?(?:€|\$|£|eur\w*|usd|dollar\w*|gbp|pln|zł|zl|lei|ron|chf)(?!\w))"
)
_BLOOD_WINDOW = 120
# An age or minor term belongs to an ad only with the ad's sexual-service vocabulary this close
# (characters either side): a page number or a "minor" far from a menu's "Erotik" is no ad.
_CONTEXT_WINDOW = 160
# "aged 6 to 16", "6-16 Jahre", "de 6 à 16 ans": a range of ages is a rule for a group, not a person.
_AGE_RANGE_AFTER = re.compile(r"\s*(?:-|–|to|bis|à|a|al|do|tot|până la|до)\s*\d{1,2}(?!\d)", re.IGNORECASE)
_AGE_RANGE_BEFORE = re.compile(r"\d{1,2}\s*(?:-|–|to|bis|à|a|al|do|tot|până la|до)\s*$", re.IGNORECASE)
# A report reads as prose: this many lines of at least _PROSE_WORDS words. News and reference
# pages about abuse cases name the crime; an offer of abuse material does not read like that.
_PROSE_LINES = 4
# The decisions about one number or term read at most this far around it (clause words: 80).
_LOCAL_WINDOW = 100
_PROSE_WORDS = 20


@functools.cache
def _terms() -> dict[str, tuple[re.Pattern[str], ...]]:
    text = resources.files("extraction").joinpath("data", "csam_terms.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    found: dict[str, list[re.Pattern[str]]] = {}
    for line in lines[1:]:  # the first non-comment line is the header
        kind, _language, term = (field.strip() for field in line.split("\t"))
        found.setdefault(kind, []).append(compile_phrase(term))
    return {kind: tuple(patterns) for kind, patterns in found.items()}


def _unbounded(kind: str) -> tuple[re.Pattern[str], ...]:
    # Age units may follow the digits without a space ("16yo"): drop the leading word boundary.
    return tuple(re.compile(p.pattern.removeprefix(r"(?<!\w)")) for p in _terms().get(kind, ()))


@functools.cache
def _anchored(kind: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    # Each term's longest literal word: a substring test skips the regex (whose leading
    # look-behind rules out the engine's own literal scan) on pages that lack the word.
    return tuple(
        (max(re.findall(r"\w+", p.pattern.replace(r"\w", " ").replace(r"\s", " ")), key=len), p)
        for p in _terms().get(kind, ())
    )


def _present(kind: str, folded: str) -> list[re.Pattern[str]]:
    """The terms of a kind whose anchor word occurs in the folded text."""
    return [pattern for anchor, pattern in _anchored(kind) if anchor in folded]


def _any(kind: str, folded: str) -> bool:
    return any(p.search(folded) for p in _present(kind, folded))


def _context_near(text: str, start: int, end: int) -> bool:
    """Whether sexual-service vocabulary stands within _CONTEXT_WINDOW characters of a span."""
    positions = _context_positions(text)
    index = bisect.bisect_left(positions, start - _CONTEXT_WINDOW)
    return index < len(positions) and positions[index] <= end + _CONTEXT_WINDOW


@functools.lru_cache(maxsize=4)
def _context_positions(text: str) -> tuple[int, ...]:
    # Where the context terms start in `text`, sorted: found once per page, then bisected.
    folded, origin = fold_text(text)
    found = {origin[m.start()] for p in _present("context", folded) for m in p.finditer(folded)}
    return tuple(sorted(found))


def _reads_as_report(text: str) -> bool:
    """Whether the text is prose (an article, a report), not the short lines of an ad."""
    lines = 0
    for line in text.split("\n"):
        if len(line.split()) >= _PROSE_WORDS:
            lines += 1
            if lines >= _PROSE_LINES:
                return True
    return False


def _ends_with(kind: str, folded: str) -> bool:
    return any(re.search(p.pattern + r"\s*$", folded) for p in _terms().get(kind, ()))


def _starts_with(kind: str, folded: str) -> bool:
    return any(re.match(r"\s*" + p.pattern, folded) for p in _terms().get(kind, ()))


def _clause_words(text: str, start: int, end: int, *, before: bool) -> str:
    # The folded words next to a span, but never across a sentence or list separator.
    if before:
        words = fold_text(_CLAUSE_BREAK.split(text[max(0, start - 80) : start])[-1])[0].split()
        return " ".join(words[-_WINDOW_WORDS:])
    words = fold_text(_CLAUSE_BREAK.split(text[end : end + 80])[0])[0].split()
    return " ".join(words[:_WINDOW_WORDS])


def _stated_minor_age(text: str) -> bool:
    folded, origin = fold_text(text)
    # Each decision reads only the text around the number: a page repeating one phrase is
    # judged once per distinct neighbourhood, not once per repetition (linear time).
    decided: dict[str, bool] = {}
    for number in _NUMBER.finditer(folded):
        age = int(number.group(1))
        if not 0 < age < _ADULT_AGE:
            continue
        start = origin[number.start()]
        if not _context_near(text, start, origin[number.end() - 1] + 1):
            continue
        key = text[max(0, start - _LOCAL_WINDOW) : start + _LOCAL_WINDOW]
        if key not in decided:
            decided[key] = _age_of_a_person(text, folded, origin, number)
        if decided[key]:
            return True
    return any(
        _TITLE_MIN_AGE <= int(m.group(1)) < _ADULT_AGE
        and not _in_age_range(text, m.start(1), m.end(1))
        and _context_near(text, m.start(), m.end())
        for m in _TITLE_AGE.finditer(text)
    )


def _age_of_a_person(text: str, folded: str, origin: Sequence[int], number: re.Match[str]) -> bool:
    """Whether this number under 18 is somebody's stated age (not a rule, a duration or a range)."""
    start = origin[number.start()]
    before = _clause_words(text, start, start, before=True)
    # Labels may stand across punctuation ("age: 16", "Anna here, 16 and …").
    near = " ".join(fold_text(text[max(0, start - 30) : start])[0].split()[-3:])
    unit = next(
        (m for u in _unbounded("age_unit") if (m := u.match(folded, _skip_spaces(folded, number.end())))),
        None,
    )
    if unit is not None:
        end = origin[unit.end() - 1] + 1
    elif _ends_with("age_label", near) or _self_stated(text, origin, number, near):
        end = origin[number.end() - 1] + 1
    else:
        return False
    after = _clause_words(text, end, end, before=False)
    if _ends_with("limit", before) or _any("limit", " ".join(before.split()[-2:])):
        return False  # "under 16 years old", "from 16 years": a rule, not somebody's age
    if _starts_with("after_age", after) or _any("family", before) or _any("family", after):
        return False
    return not _in_age_range(text, start, origin[number.end() - 1] + 1)


def _in_age_range(text: str, start: int, end: int) -> bool:
    return bool(
        _AGE_RANGE_AFTER.match(text, end) or _AGE_RANGE_BEFORE.search(text[max(0, start - 12) : start])
    )


def _skip_spaces(folded: str, position: int) -> int:
    while position < len(folded) and folded[position] == " ":
        position += 1
    return position


def _self_stated(text: str, origin: Sequence[int], number: re.Match[str], near: str) -> bool:
    # "I am 16, …" / "Anna here, 16 and …" / "I am 16 looking for …": a bare number after a
    # self-statement is an age, unless a measure follows ("I am 5 minutes from the station",
    # "I am 10 out of 10"); with other words after it, only from 10 years up (as a title age).
    if not _ends_with("age_self", near):
        return False
    end = origin[number.end() - 1] + 1
    rest = text[end:].lstrip(" ")
    if not rest or _CLAUSE_BREAK.match(rest) or _starts_with("conjunction", fold_text(rest[:12])[0]):
        return True
    if not _ends_with("age_i_am", near):
        return False  # "incall here 10am till late": after "here", only a clause end makes an age
    following = " ".join(fold_text(rest[:24])[0].split()[:2])
    return int(number.group(1)) >= _TITLE_MIN_AGE and not _starts_with("measure", following)


def _minor_term(text: str) -> bool:
    folded, origin = fold_text(text)
    refused: set[str] = set()
    for pattern in _present("minor", folded):
        for match in pattern.finditer(folded):
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            if not _context_near(text, start, end):
                continue
            key = text[max(0, start - _LOCAL_WINDOW) : end + _LOCAL_WINDOW]
            if key in refused:
                continue
            before = _clause_words(text, start, start, before=True)
            after = _clause_words(text, end, end, before=False)
            if _any("negation", before) or _any("prohibition", after):
                refused.add(key)
                continue  # "no minors", "minors are not allowed"
            return True
    return False


def csam_suspected(text: str) -> str | None:
    """A reason code if `text` suggests sexual content involving a minor, else None.

    Never returns or logs any part of the text.
    """
    folded = fold_text(text)[0]
    if _any("csam_term", folded) and not _reads_as_report(text):
        return CSAM_TERM
    if not _any("context", folded):
        return None
    if _minor_term(text):
        return MINOR_IN_SEXUAL_CONTEXT
    if _stated_minor_age(text):
        return AGE_UNDER_18_IN_SEXUAL_CONTEXT
    return None


def _blood_group_priced(text: str) -> bool:
    for word in _BLOOD_WORD.finditer(text):
        window = text[max(0, word.start() - 20) : word.end() + _BLOOD_WINDOW]
        if _BLOOD_GROUP.search(window) and _PRICE.search(window):
            return True
    return False


def organ_trafficking(text: str) -> list[Indicator]:
    """Organ-trafficking indicators: sale/donor/transplant phrases, and a blood group with a price."""
    found = lexicon_indicators(text, None, {ORGAN_CODE})
    if _blood_group_priced(text):
        found.append(Indicator(ORGAN_CODE, BLOOD_PRICE_WEIGHT, BLOOD_PRICE_EVIDENCE, "rule"))
    return found
