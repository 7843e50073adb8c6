"""Noise control: values that must never link findings, and the over-correlation cap.

A value on every page of one site is site furniture (extraction drops it); a value on the
warninglist (platform support desks, hotlines, placeholders, libphonenumber's example numbers)
never links; a value seen on more than OVER_CORRELATION_SITES distinct sites stops linking and
is reported to coordinators — one phone on ten unrelated sites is more likely a directory's
number or a scraper artefact than one controller.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

DATA = Path(__file__).resolve().parent / "data"
OVER_CORRELATION_SITES = 8


@cache
def warninglist() -> dict[tuple[str, str], str]:
    """(kind, value) → why it never links."""
    entries: dict[tuple[str, str], str] = {}
    with (DATA / "warninglist.tsv").open(encoding="utf-8") as stream:
        rows = csv.reader((line for line in stream if not line.startswith("#")), delimiter="\t")
        next(rows, None)
        for row in rows:
            if len(row) >= 2:
                entries[(row[0].strip(), row[1].strip().lower())] = row[2].strip() if len(row) > 2 else ""
    for region in phonenumbers.SUPPORTED_REGIONS:
        for kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE, PhoneNumberType.TOLL_FREE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                e164 = phonenumbers.format_number(example, PhoneNumberFormat.E164)
                entries.setdefault(("phone", e164), f"libphonenumber example number ({region})")
    return entries


def never_links(kind: str, value: str) -> str | None:
    """Why this identifier must not link findings, or None."""
    return warninglist().get((kind, value.lower()))


def over_correlated(distinct_sites: int) -> bool:
    return distinct_sites > OVER_CORRELATION_SITES
