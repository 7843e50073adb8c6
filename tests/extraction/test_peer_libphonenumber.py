"""libphonenumber's matcher cases (tests/tables/libphonenumber_matcher.tsv, cited there) through
the hub's `find_phones`; the deliberate departures are listed in docs/peer-suites.md."""

from __future__ import annotations

import pytest

from extraction.identifiers.phones import find_phones
from tests.vectors import VECTORS, vector_rows

ROWS = vector_rows("libphonenumber_matcher.tsv")
needs_table = pytest.mark.skipif(not ROWS, reason=f"table missing: {VECTORS / 'libphonenumber_matcher.tsv'}")
_EXT_FORME = "an extension whose digits run into a word: the hub keeps the number before it"
_GLUED_LETTER = "an accented letter glued to the digits is dropped by the de-obfuscation pass"
# (text, region) → why the hub answers otherwise (docs/peer-suites.md, section libphonenumber).
DEPARTURES = {
    ("12.1 - 23.71 - 23.45", "US"): "decimals (number shapes)",
    ("1979-2011 100", "US"): "a year range (number shapes)",
    ("2012-01-02 08", "US"): "an ISO date (number shapes)",
    ("1800-10-10 22", "AU"): "read as a Y-M-D date (number shapes)",
    ("My number-415-666-7777", "US"): "a number after a word and a hyphen is a URL slug",
    **{
        (f"{lead}{number}{ext}forme", region): _EXT_FORME
        for lead in ("", "Hi call")
        for number, region, ext in [
            ("+44 2034567890", "GB", " X 456"),
            ("+44 2034567890", "GB", " X    456"),
            ("+44 2034567890", "GB", "    X 456"),
            ("(800) 901-3355", "US", " ,extension 7246433"),
        ]
    },
    ("É415-666-7777", "US"): _GLUED_LETTER,
    ("e\u0301415-666-7777", "US"): _GLUED_LETTER,
    ("+14156667777É", "US"): _GLUED_LETTER,
    ("(415)6667777É", "US"): _GLUED_LETTER,
}


def _found(row: dict[str, str]) -> list[str]:
    regions = [row["default_region"]] if row["default_region"] else []
    return [phone.value for phone in find_phones(row["text"], regions)]


def _expected(row: dict[str, str]) -> list[str]:
    return [value for value in row["expected_e164"].split(";") if value]


@needs_table
@pytest.mark.parametrize("row", ROWS, ids=[f"{i}-{r['case']}" for i, r in enumerate(ROWS)])
def test_libphonenumber_matcher_case(row: dict[str, str]) -> None:
    departs = (row["text"], row["default_region"]) in DEPARTURES
    assert (_found(row) != _expected(row)) is departs


@needs_table
def test_departures_stay_few() -> None:
    assert len(ROWS) > 1000
    assert len(DEPARTURES) <= 0.02 * len(ROWS)
    assert set(DEPARTURES) <= {(row["text"], row["default_region"]) for row in ROWS}
