"""Which city an ad is placed for, from a gazetteer of European cities (extraction/data/cities.tsv).

Ads put the city in the title or the first lines ("Greta 23 · Lyon"); the title is searched first,
then the body. Used for the `multiple_cities` history indicator: one phone in ads for different
cities is a sign of a travelling, controlled operation.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "cities.tsv"


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ł", "l")


@cache
def _gazetteer() -> tuple[re.Pattern[str], dict[str, str]]:
    names: dict[str, str] = {}
    with DATA.open(encoding="utf-8") as stream:
        rows = csv.reader((line for line in stream if not line.startswith("#")), delimiter="\t")
        next(rows, None)
        for row in rows:
            if not row:
                continue
            canonical = row[0].strip()
            variants = [canonical, *(v.strip() for v in (row[2] if len(row) > 2 else "").split(";"))]
            for variant in variants:
                if variant:
                    names.setdefault(fold(variant), canonical)
    alternation = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])"), names


def find_city(title: str, body: str, *, body_chars: int = 600) -> str | None:
    """The canonical name of the first known city in the title, else in the start of the body."""
    pattern, names = _gazetteer()
    for text in (title, body[:body_chars]):
        match = pattern.search(fold(text))
        if match:
            return names[match.group(0)]
    return None
