"""Trafficking indicators in ad text: lexicon phrases and emoji codes, each with its evidence.

An indicator is a weighted flag, never a verdict (docs/indicators.md). The phrases live in
`data/lexicon/<language>.tsv`, one file per language, and are all searched on every page because
ads mix languages; phrases of the page's own language weigh a little more. Organ-trafficking
phrases share the lexicon files but are reported by `extraction.safety.organ_trafficking`, so a
caller that asks both never gets them twice.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources

from extraction.types import Indicator

# Phrases in the page's own language weigh this much more: ads mix languages, but a phrase in
# the ad's language is less likely to be a false friend from another one.
PAGE_LANGUAGE_BOOST = 1.1
OBSCURED_CONTACT_WEIGHT = 0.8
MULTIPLE_CITIES_WEIGHT = 0.8
ORGAN_CODE = "organ_trafficking"
# Lexicon rows with this code are innocent wording ("young at heart") that contains an
# indicator phrase; they report nothing and cancel any hit they overlap.
BENIGN_CODE = "benign"

# A lone `*` in a phrase stands for this many words at most (a city, a price, "your first").
_GAP_WORDS = 4
# Negators only cancel a match in the same clause, within this many words before it.
_NEGATION_WINDOW = 3
_CLAUSE_BREAK = re.compile(r"[.,;:!?\n()\[\]|·•–—]")
# Letters that carry no combining mark, so NFKD cannot strip them.
_EXTRA_FOLDS = {"ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "æ": "ae", "œ": "oe", "ı": "i"}
_VARIATION_SELECTOR = "\ufe0f"
_BARE_NUMBER_BEFORE = re.compile(r"(?<![€$£\d.,])\d{1,5} ?$")
_BARE_NUMBER_AFTER = re.compile(r" ?\d{1,5}(?![\d.,]| ?[€$£])")
_EMOJI_WINDOW = 16
# Matches of one phrase kept per page: the code's score is capped after the second.
_MAX_PER_PHRASE = 20


@dataclass(frozen=True, slots=True)
class LexiconPhrase:
    """One compiled lexicon row: which code it flags, how much, in which language."""

    code: str
    weight: float
    language: str
    pattern: re.Pattern[str]
    negatable: bool
    anchor: str  # a word every match contains: a cheap substring test before the regex


@dataclass(frozen=True, slots=True)
class _Hit:
    code: str
    weight: float
    start: int
    end: int
    evidence: str
    source: str = "lexicon"


def fold_text(text: str) -> tuple[str, Sequence[int]]:
    """Case-, accent- and punctuation-folded text, and for each folded char its index in `text`.

    Every character that is not a letter or digit becomes a space, so phrases match across any
    punctuation; the index map lets evidence quote the original spelling.
    """
    return _folded(text)


@functools.lru_cache(maxsize=16)
def _folded(text: str) -> tuple[str, tuple[int, ...]]:
    # One page is folded by the indicator, CSAM and organ checks alike: fold it once. Each
    # distinct character is folded once (a page has a few hundred), so a 2 MB page costs one
    # dictionary look-up per character; the index map is only built char by char where some
    # character folds to more than one ("ß" → "ss").
    pieces = [_fold_char(char) for char in text]
    folded = "".join(pieces)
    if len(folded) == len(text):
        return folded, tuple(range(len(text)))
    origin: list[int] = []
    for index, piece in enumerate(pieces):
        origin.extend([index] * len(piece))
    return folded, tuple(origin)


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    base = _EXTRA_FOLDS.get(char)
    if base is None:
        decomposed = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return "".join(folded if folded.isalnum() else " " for folded in base)


def compile_phrase(phrase: str) -> re.Pattern[str]:
    """Regex over folded text for a lexicon phrase (`*` = gap of words, `word*` = prefix)."""
    parts: list[str] = []
    gap = False
    for raw in phrase.split():
        if raw == "*":
            gap = True
            continue
        words = fold_text(raw.rstrip("*"))[0].split()
        for position, word in enumerate(words):
            if parts:
                parts.append(rf"\s+(?:\w+\s+){{0,{_GAP_WORDS}}}" if gap else r"\s+")
            gap = False
            prefix = raw.endswith("*") and position == len(words) - 1
            parts.append(re.escape(word) + (r"\w*" if prefix else ""))
    if not parts:
        raise ValueError(f"empty lexicon phrase: {phrase!r}")
    return re.compile(r"(?<!\w)" + "".join(parts) + r"(?!\w)")


@functools.cache
def lexicon() -> tuple[LexiconPhrase, ...]:
    """Every row of every language file under data/lexicon, compiled once."""
    folder = resources.files("extraction").joinpath("data", "lexicon")
    rows: list[LexiconPhrase] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".tsv"):
            continue
        language = entry.name.removesuffix(".tsv")
        for code, weight, phrase in _tsv_rows(entry.read_text(encoding="utf-8"), columns=3):
            words = fold_text(phrase)[0].split()
            rows.append(
                LexiconPhrase(
                    code=code,
                    weight=float(weight),
                    language=language,
                    pattern=compile_phrase(phrase),
                    # A phrase that is itself a negation ("no outcall") must not be cancelled by it.
                    negatable=words[0] not in _negators(),
                    anchor=max(words, key=len),
                )
            )
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class _EmojiCode:
    pattern: re.Pattern[str]
    code: str
    weight: float
    price_only: bool


@functools.cache
def _emoji_codes() -> tuple[_EmojiCode, ...]:
    text = resources.files("extraction").joinpath("data", "emoji.tsv").read_text(encoding="utf-8")
    codes = []
    for emoji, code, weight, when, _meaning in _tsv_rows(text, columns=5):
        bare = emoji.replace(_VARIATION_SELECTOR, "")
        pattern = re.compile(re.escape(bare) + _VARIATION_SELECTOR + "?")
        codes.append(_EmojiCode(pattern, code, float(weight), price_only=when == "price"))
    return tuple(codes)


@functools.cache
def _negators() -> frozenset[str]:
    # Strong negators only: "without"-words (sin, bez, fără, ohne …) open job-lure phrases.
    words = """no not never don t doesn nobody geen niet nooit kein keine keinen nicht nie niemals pas
    jamais ne n nunca ni non mai nu niciodata nigdy nao δεν ποτε μην οχι"""
    return frozenset(fold_text(words)[0].split())


def _tsv_rows(text: str, *, columns: int) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    for line in lines[1:]:  # the first non-comment line is the header
        fields = tuple(field.strip() for field in line.split("\t"))
        if len(fields) != columns:
            raise ValueError(f"lexicon row needs {columns} tab-separated fields: {line!r}")
        rows.append(fields)
    return rows


def _negated(text: str, start: int) -> bool:
    before = text[max(0, start - 80) : start]
    clause = _CLAUSE_BREAK.split(before)[-1]
    words = fold_text(clause)[0].split()[-_NEGATION_WINDOW:]
    return any(word in _negators() for word in words)


def _phrase_hits(text: str, language: str | None, codes: Collection[str] | None) -> list[_Hit]:
    """Lexicon matches outside benign wording, at most _MAX_PER_PHRASE of each phrase.

    A page repeating one phrase a hundred thousand times gives that phrase's evidence a few
    times, not a hundred thousand (the score of a code is capped after the second anyway).
    """
    folded, origin = fold_text(text)
    benign = _merged(sorted(_spans(text, folded, origin, (p for p in lexicon() if p.code == BENIGN_CODE))))
    benign_starts = [start for start, _ in benign]
    hits: list[_Hit] = []
    for phrase in lexicon():
        if phrase.code == BENIGN_CODE or (codes is not None and phrase.code not in codes):
            continue
        if phrase.anchor not in folded:
            continue
        boost = PAGE_LANGUAGE_BOOST if language and phrase.language == language.lower() else 1.0
        taken = 0
        for match in phrase.pattern.finditer(folded):
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            if _inside(benign_starts, benign, start, end) or (phrase.negatable and _negated(text, start)):
                continue
            evidence = " ".join(text[start:end].split())
            hits.append(_Hit(phrase.code, round(phrase.weight * boost, 3), start, end, evidence))
            taken += 1
            if taken == _MAX_PER_PHRASE:
                break
    return hits


def _spans(
    text: str, folded: str, origin: Sequence[int], phrases: Iterable[LexiconPhrase]
) -> Iterator[tuple[int, int]]:
    for phrase in phrases:
        if phrase.anchor in folded:
            for match in phrase.pattern.finditer(folded):
                yield origin[match.start()], origin[match.end() - 1] + 1


def _emoji_hits(text: str) -> list[_Hit]:
    hits: list[_Hit] = []
    for emoji in _emoji_codes():
        for match in emoji.pattern.finditer(text):
            # Bounded windows: a page of ten thousand roses must not rescan its prefix each time.
            before = text[max(0, match.start() - _EMOJI_WINDOW) : match.start()].rstrip()[-1:]
            after = text[match.end() : match.end() + _EMOJI_WINDOW].lstrip()[:1]
            if before.isdigit() and after.isdigit():
                continue  # a digit separator in an obscured phone number, not a code
            if emoji.price_only and not _priced(emoji.pattern, text, match):
                continue
            hits.append(_Hit(emoji.code, emoji.weight, match.start(), match.end(), match.group(), "emoji"))
            break  # one emoji of a kind is as telling as ten
    return hits


def _priced(pattern: re.Pattern[str], text: str, match: re.Match[str]) -> bool:
    # Repeated (🌹🌹🌹) or counting a bare number (150🌹, 🌹 150): the emoji is the currency.
    # A number that already carries its own currency (£2900 🌹) makes the emoji decoration.
    repeated = pattern.match(text, match.end()) is not None
    window = max(0, match.start() - _EMOJI_WINDOW)
    counted_before = _BARE_NUMBER_BEFORE.search(text, window, match.start()) is not None
    counted_after = _BARE_NUMBER_AFTER.match(text, match.end()) is not None
    return repeated or counted_before or counted_after


def _strongest_per_span(hits: list[_Hit]) -> list[_Hit]:
    """Of overlapping hits of one code keep the heaviest, then the longest.

    Overlapping matches of one code ("just arrived, new in X for a few days only") are one
    piece of evidence. Linear-logarithmic in the number of hits: kept spans of each code are
    held sorted and disjoint, so one bisection finds the only spans a new hit could overlap.
    (Benign wording is taken out before, in _phrase_hits.)
    """
    kept: list[_Hit] = []
    spans: dict[str, tuple[list[int], list[int]]] = {}
    for hit in sorted(hits, key=lambda h: (-h.weight, -(h.end - h.start), h.start)):
        starts, ends = spans.setdefault(hit.code, ([], []))
        index = bisect.bisect_left(starts, hit.start)
        if (index > 0 and ends[index - 1] > hit.start) or (index < len(starts) and starts[index] < hit.end):
            continue
        starts.insert(index, hit.start)
        ends.insert(index, hit.end)
        kept.append(hit)
    return sorted(kept, key=lambda h: (h.start, h.code))


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _inside(starts: list[int], spans: list[tuple[int, int]], start: int, end: int) -> bool:
    # Sorted, disjoint spans: only the last one starting before `end` can overlap start…end.
    index = bisect.bisect_left(starts, end) - 1
    return index >= 0 and spans[index][1] > start


def lexicon_indicators(text: str, language: str | None, codes: Collection[str]) -> list[Indicator]:
    """Lexicon matches restricted to `codes` (used by the safety policies)."""
    hits = _strongest_per_span(_phrase_hits(text, language, codes))
    return [Indicator(h.code, h.weight, h.evidence, h.source) for h in hits]


def find_indicators(text: str, language: str | None = None) -> list[Indicator]:
    """Trafficking indicators in `text`, in reading order, each with the span that matched.

    `language` is the page's ISO 639-1 language if known; its phrases weigh
    PAGE_LANGUAGE_BOOST times more. Organ-trafficking phrases are left to
    `extraction.safety.organ_trafficking`; `obscured_contact` and `multiple_cities` come from
    the helpers below.
    """
    codes = {phrase.code for phrase in lexicon()} - {ORGAN_CODE}
    hits = _strongest_per_span(_phrase_hits(text, language, codes) + _emoji_hits(text))
    return [Indicator(h.code, h.weight, h.evidence, h.source) for h in hits]


def obscured_contact_indicator(raw: str) -> Indicator:
    """The indicator for a contact that was only found after de-obfuscation; `raw` as written."""
    return Indicator("obscured_contact", OBSCURED_CONTACT_WEIGHT, raw, "deobfuscation")


def multiple_cities_indicator(cities: Collection[str]) -> Indicator | None:
    """Hook for history: the cities of every ad one phone or handle appeared in.

    Returns the indicator when they name at least two different cities. Deciding which ads
    share the identifier (and which city an ad is for) is deconfliction's job, not this one.
    """
    distinct = sorted({" ".join(fold_text(city)[0].split()) for city in cities} - {""})
    if len(distinct) < 2:
        return None
    return Indicator("multiple_cities", MULTIPLE_CITIES_WEIGHT, ", ".join(distinct), "history")
