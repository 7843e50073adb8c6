"""Undo the tricks ads use to hide phone digits, before libphonenumber reads the text.

Ads write numbers with keycap or circled digits, letters for digits (`O`, `l`), emoji between
the digit groups and number words ("zero six one two …"). This pass rewrites only what is
clearly a digit run and leaves prices, dates, ages and ids alone; libphonenumber's validity
check (run afterwards) is the second guard. Every output character remembers the input
position it came from, so a caller can quote the number exactly as the ad wrote it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from extraction.identifiers.number_words import NumberWord, parse_number_word, read_digits

# Zero-width and emoji-presentation characters: keycaps are "1" + U+FE0F + U+20E3, so
# dropping them leaves the digit.
_INVISIBLE = frozenset("\ufe0e\ufe0f\u20e3\u200b\u200c\u200d\u2060\ufeff\u00ad")
# Separators that may sit between the digit groups of one number; emoji count as well.
# Odd ones become spaces (libphonenumber refuses "$", "*", emoji, and reads "06/12/34" as a date).
_ODD_SEPARATORS = frozenset("$*_~|/")
_PLAIN_SEPARATORS = frozenset("-.()")
_MAX_GAP_TOKENS = 4
# Runs of standalone number words shorter than this many digits are ages, counts, prices.
_MIN_WORD_RUN_DIGITS = 7
_MIN_NUMBER_ITEMS = 3
# Alphanumeric chunks this long are wallets, hashes or ids: never read letters as digits there.
_MAX_CHUNK = 24

_TOKEN_RE = re.compile(
    r"(?P<digits>[0-9]+)|(?P<word>(?:[^\W\d_]|[\u0300-\u036f])+)|(?P<space>\s+)|(?P<other>.)", re.S
)


@dataclass(slots=True)
class _Token:
    kind: str  # digits | word | space | other
    text: str
    start: int
    end: int
    # For words read as numbers: the parsed number words (None = an ordinary word).
    numbers: list[NumberWord] | None = None
    glued: bool = False


def deobfuscate_digits(text: str) -> str:
    """Return `text` with hidden phone digits rewritten as plain digits."""
    return deobfuscate_with_offsets(text)[0]


def deobfuscate_with_offsets(text: str) -> tuple[str, tuple[int, ...]]:
    """Like `deobfuscate_digits`, plus, per output character, its index in `text`."""
    chars, offsets = _normalise_characters(text)
    tokens = _tokenise("".join(chars), offsets)
    _read_number_words(tokens)
    out: list[str] = []
    out_offsets: list[int] = []
    index = 0
    while index < len(tokens):
        run_end = _run_end(tokens, index)
        if run_end > index:
            _emit_run(tokens[index : run_end + 1], out, out_offsets)
            index = run_end + 1
        else:
            _emit_token(tokens[index], out, out_offsets)
            index += 1
    return "".join(out), tuple(out_offsets)


def _normalise_characters(text: str) -> tuple[list[str], list[int]]:
    """NFKC per character (full-width, mathematical, circled digits), keeping positions."""
    chars: list[str] = []
    offsets: list[int] = []
    for position, char in enumerate(text):
        if char in _INVISIBLE:
            continue
        if char.isascii():
            chars.append(char)
            offsets.append(position)
            continue
        digit = unicodedata.digit(char, None)
        replacement = str(digit) if digit is not None else unicodedata.normalize("NFKC", char)
        for piece in replacement:
            chars.append(piece)
            offsets.append(position)
    return chars, offsets


def _tokenise(text: str, offsets: Sequence[int]) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup or "other"
        tokens.append(_Token(kind, match.group(), offsets[match.start()], offsets[match.end() - 1] + 1))
    return tokens


def _read_number_words(tokens: list[_Token]) -> None:
    """Mark words that spell digits: glued ones loosely, standalone ones strictly."""
    for index, token in enumerate(tokens):
        if token.kind == "word" and not _in_long_chunk(tokens, index):
            before = tokens[index - 1] if index > 0 else None
            after = tokens[index + 1] if index + 1 < len(tokens) else None
            token.glued = any(t is not None and t.kind == "digits" for t in (before, after))
            token.numbers = parse_number_word(token.text, glued=token.glued)
        elif token.kind == "other" and token.text == "|":
            # A pipe between two digits is a "1" ("06|2345678"); elsewhere it is a separator.
            neighbours = tokens[index - 1 : index + 2]
            if len(neighbours) == 3 and neighbours[0].kind == neighbours[2].kind == "digits":
                token.kind, token.text = "digits", "1"


def _in_long_chunk(tokens: Sequence[_Token], index: int) -> bool:
    start = end = index
    while start > 0 and tokens[start - 1].kind in ("word", "digits"):
        start -= 1
    while end + 1 < len(tokens) and tokens[end + 1].kind in ("word", "digits"):
        end += 1
    return sum(len(t.text) for t in tokens[start : end + 1]) > _MAX_CHUNK


def _is_item(token: _Token) -> bool:
    return token.kind == "digits" or token.numbers is not None


def _is_separator(token: _Token) -> bool:
    if token.kind == "space":
        return True
    if token.kind != "other":
        return False
    return token.text in _ODD_SEPARATORS or token.text in _PLAIN_SEPARATORS or _is_emoji(token.text)


def _is_emoji(char: str) -> bool:
    return unicodedata.category(char) in ("So", "Sk", "Cs", "Co") and char not in "©®℗™°"


def _run_end(tokens: Sequence[_Token], start: int) -> int:
    """Index of the last item of the digit run starting at `start`, or -1 if none starts here."""
    first = start
    if tokens[first].kind == "other" and tokens[first].text == "+":
        first += 1
        while first < len(tokens) and tokens[first].kind == "space":
            first += 1
    if first >= len(tokens) or not _is_item(tokens[first]):
        return -1
    last = first
    probe = first + 1
    while probe < len(tokens):
        gap = 0
        comma = False
        while probe < len(tokens) and gap < _MAX_GAP_TOKENS:
            if _is_separator(tokens[probe]):
                pass
            elif _is_word_comma(tokens, last, probe) and _starts_like_a_phone(tokens[first]):
                comma = True
            else:
                break
            probe += 1
            gap += 1
        # A comma joins written-out numbers only ("zero six, twelve, thirty four…"): between
        # digits it separates list items, prices and sizes ("36, 38, 40").
        if probe < len(tokens) and _is_item(tokens[probe]) and not (comma and tokens[probe].kind == "digits"):
            last = probe
            probe += 1
        else:
            break
    return last


def _starts_like_a_phone(token: _Token) -> bool:
    """A run of written-out numbers a comma may join starts as phones are said: "zero …" or
    "plus …". Counting lists ("ocho, diez, doce, catorce") and hours ("nueve, diez, once")
    start otherwise."""
    if not token.numbers:
        return False
    first = token.numbers[0]
    return first.kind == "plus" or (first.kind == "unit" and first.value == 0)


def _is_word_comma(tokens: Sequence[_Token], last: int, probe: int) -> bool:
    return tokens[probe].text == "," and tokens[last].kind == "word" and tokens[last].numbers is not None


def _emit_token(token: _Token, out: list[str], out_offsets: list[int]) -> None:
    text = token.text
    if token.kind == "word" and token.glued and token.numbers:
        text = read_digits(token.numbers)
    _append(text, token, out, out_offsets)


def _append(text: str, token: _Token, out: list[str], out_offsets: list[int]) -> None:
    """Point the first output character at the token's start and the rest at its end."""
    for position, char in enumerate(text):
        out.append(char)
        out_offsets.append(token.start if position == 0 else token.end - 1)


def _emit_run(run: Sequence[_Token], out: list[str], out_offsets: list[int]) -> None:
    items = [t for t in run if _is_item(t)]
    standalone = [t for t in items if t.kind == "word" and not t.glued and _counts_as_number(t)]
    numbers = [t for t in items if t.kind == "digits" or _counts_as_number(t)]
    has_plus = bool(run) and run[0].text == "+"
    if standalone and len(numbers) >= _MIN_NUMBER_ITEMS:
        words: list[NumberWord] = []
        for token in items:
            if token.kind == "digits":
                words.append(NumberWord(token.text, "digits", 0))
            elif token.numbers:
                words.extend(token.numbers)
        digits = read_digits(words)
        plus = "+" if has_plus or digits.startswith("+") else ""
        digits = digits.lstrip("+")
        if len(digits) >= _MIN_WORD_RUN_DIGITS:
            # Written-out numbers carry no grouping worth keeping: emit one digit string.
            _append(plus + digits, _Token("digits", "", run[0].start, run[-1].end), out, out_offsets)
            return
    digit_count = sum(len(t.text) for t in items if t.kind == "digits")
    for token in run:
        if token.kind == "other" and digit_count >= _MIN_WORD_RUN_DIGITS and _is_odd(token.text):
            _append(" ", token, out, out_offsets)
        elif token.kind == "word" and not token.glued:
            _append(token.text, token, out, out_offsets)
        else:
            _emit_token(token, out, out_offsets)


def _counts_as_number(token: _Token) -> bool:
    return bool(token.numbers) and any(w.kind not in ("connector", "plus") for w in token.numbers or [])


def _is_odd(char: str) -> bool:
    return char in _ODD_SEPARATORS or _is_emoji(char)


__all__ = ["deobfuscate_digits", "deobfuscate_with_offsets"]
