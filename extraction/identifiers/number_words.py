"""Number words in any of the ads' languages → digits ("zero six", "vierunddreissig" → "06", "34").

The word tables live in `data/number_words.json`, all languages merged into one lexicon. A word
glued to a digit may also use homophones and digit-like letters; a standalone word must be made
of real number words only, so ordinary text is not read as a phone number.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

# Letters that stand in for digits, but only when glued to a digit ("074OO", "l23456").
_HOMOGLYPHS = {"O": "0", "o": "0", "l": "1", "I": "1"}
_NUMBER_WORDS_FILE = Path(__file__).resolve().parents[1] / "data" / "number_words.json"
_MAX_WORD = 40
# Kinds of a table entry, in the order the data file lists its tables.
_TABLES = (("units", "unit"), ("teens", "teen"), ("tens", "tens"), ("multipliers", "multiplier"))


@dataclass(frozen=True, slots=True)
class NumberWord:
    """One piece of a word read as a number: `kind` says how it combines with its neighbours."""

    text: str
    kind: str  # unit | teen | tens | connector | multiplier | plus | homophone | homoglyph | digits
    value: int


@dataclass(frozen=True, slots=True)
class _Lexicon:
    entries: dict[str, tuple[str, int]]
    homophones: dict[str, int]
    teen_prefixes: frozenset[str]
    tens_phrases: dict[str, int]
    longest: int


@lru_cache(maxsize=65_536)  # a page repeats the same few hundred words; folding dominated the pass
def fold(word: str) -> str:
    """Case- and accent-insensitive spelling used to look words up ("Zéro" → "zero")."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ł", "l")


@cache
def _lexicon() -> _Lexicon:
    """All languages merged: an ad's language is often not the site's, and words rarely clash."""
    languages = json.loads(_NUMBER_WORDS_FILE.read_text(encoding="utf-8"))["languages"]
    entries: dict[str, tuple[str, int]] = {}
    homophones: dict[str, int] = {}
    teen_prefixes: set[str] = set()
    tens_phrases: dict[str, int] = {}

    def add(word: str, entry: tuple[str, int]) -> None:
        key = fold(word)
        if entries.setdefault(key, entry) != entry:
            raise ValueError(f"number word {word!r} has two meanings: {entries[key]} and {entry}")

    for table in languages.values():
        for name, kind in _TABLES:
            for word, value in table[name].items():
                add(word, (kind, value))
        for word in table["connectors"]:
            add(word, ("connector", 0))
        for word in table["plus"]:
            add(word, ("plus", 0))
        homophones.update({fold(w): v for w, v in table["homophones"].items()})
        teen_prefixes.update(fold(w) for w in table["teen_prefixes"])
        tens_phrases.update({fold(w): v for w, v in table["tens_phrases"].items()})
    longest = max(len(w) for w in [*entries, *homophones])
    return _Lexicon(entries, homophones, frozenset(teen_prefixes), tens_phrases, longest)


def parse_number_word(word: str, *, glued: bool) -> list[NumberWord] | None:
    """Split `word` into number words ("fivefive", "vierunddreissig"), or None.

    A word glued to a digit may also use homophones ("to0one") and digit-like letters
    ("4O89"); a standalone word must be made of real number words only.
    """
    if len(word) > _MAX_WORD:
        return None
    lexicon = _lexicon()
    # best[i] = fewest pieces covering word[:i]; fewer pieces prefer "too" over "to" + "o".
    best: list[list[NumberWord] | None] = [[]] + [None] * len(word)
    for start in range(len(word)):
        done = best[start]
        if done is None:
            continue
        for end in range(start + 1, min(len(word), start + lexicon.longest) + 1):
            piece = _piece(word[start:end], lexicon, glued=glued)
            current = best[end]
            if piece is not None and (current is None or len(done) + 1 < len(current)):
                best[end] = [*done, piece]
    pieces = best[len(word)]
    if not pieces or (len(pieces) > 1 and "connector" in (pieces[0].kind, pieces[-1].kind)):
        return None
    return pieces


def _piece(text: str, lexicon: _Lexicon, *, glued: bool) -> NumberWord | None:
    if glued and text in _HOMOGLYPHS:
        return NumberWord(text, "homoglyph", int(_HOMOGLYPHS[text]))
    key = fold(text)
    entry = lexicon.entries.get(key)
    if entry is not None:
        return NumberWord(text, entry[0], entry[1])
    if glued and key in lexicon.homophones:
        return NumberWord(text, "homophone", lexicon.homophones[key])
    return None


def read_digits(words: Sequence[NumberWord]) -> str:
    """Turn a sequence of number words into the digits they spell ("trente quatre" → "34")."""
    lexicon = _lexicon()
    pieces = _compose(list(words), lexicon)
    out: list[str] = []
    index = 0
    while index < len(pieces):
        piece, following = pieces[index], pieces[index + 1 : index + 2]
        index += 1
        if piece.kind == "plus":
            out.extend("+" if not out else "")
        elif piece.kind == "multiplier" and following and _is_single_digit(following[0]):
            out.append(_digit_text(following[0]) * piece.value)
            index += 1
        elif piece.kind != "connector":
            out.append(_digit_text(piece))
    return "".join(out)


def _compose(words: list[NumberWord], lexicon: _Lexicon) -> list[NumberWord]:
    """Join two-word tens ("quatre vingt"), "dix-sept" and "tens [and] unit" into one piece."""
    for rule in (_tens_phrase, _teen_prefix, _unit_and_tens, _tens_and_unit):
        composed: list[NumberWord] = []
        index = 0
        while index < len(words):
            joined, used = rule(words[index:], lexicon)
            composed.append(joined)
            index += used
        words = composed
    return words


def _tens_phrase(words: list[NumberWord], lexicon: _Lexicon) -> tuple[NumberWord, int]:
    if len(words) > 1:
        phrase = f"{fold(words[0].text)} {fold(words[1].text)}"
        if phrase in lexicon.tens_phrases:
            return NumberWord(phrase, "tens", lexicon.tens_phrases[phrase]), 2
    return words[0], 1


def _teen_prefix(words: list[NumberWord], lexicon: _Lexicon) -> tuple[NumberWord, int]:
    first = words[0]
    if (
        len(words) > 1
        and fold(first.text) in lexicon.teen_prefixes
        and words[1].kind == "unit"
        and (7 <= words[1].value <= 9)
    ):
        return NumberWord(first.text, "teen", 10 + words[1].value), 2
    return first, 1


def _unit_and_tens(words: list[NumberWord], lexicon: _Lexicon) -> tuple[NumberWord, int]:
    """German and Dutch put the unit first: "vierundzwanzig", "vierentwintig"."""
    first = words[0]
    if len(words) > 2 and first.kind == "unit" and words[1].kind == "connector" and words[2].kind == "tens":
        return NumberWord(first.text, "number", words[2].value + first.value), 3
    return first, 1


def _tens_and_unit(words: list[NumberWord], lexicon: _Lexicon) -> tuple[NumberWord, int]:
    first = words[0]
    if first.kind != "tens" or len(words) < 2:
        return first, 1
    skip = 2 if words[1].kind == "connector" and len(words) > 2 else 1
    second = words[skip]
    # French 70 and 90 are 60 + 10..19 and 80 + 10..19 ("soixante-dix-huit").
    teen_ok = first.value in (60, 80) and second.kind == "teen"
    if (second.kind in ("unit", "homophone") and 1 <= second.value <= 9) or teen_ok:
        return NumberWord(first.text, "number", first.value + second.value), skip + 1
    return first, 1


def _is_single_digit(word: NumberWord) -> bool:
    return word.kind in ("unit", "homophone", "homoglyph") or (word.kind == "digits" and len(word.text) == 1)


def _digit_text(word: NumberWord) -> str:
    return word.text if word.kind == "digits" else str(word.value)


__all__ = ["NumberWord", "fold", "parse_number_word", "read_digits"]
