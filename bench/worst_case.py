"""Worst-case pages for phone extraction: 2 MB of phone-like numbers, dates and prices.

`python -m bench.worst_case` prints the seconds `find_phones` takes on each page (the target is
at most 2 s on an idle machine); `make bench` adds the table to bench/results.md.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from extraction.identifiers.phones import find_phones

SIZE = 2_000_000
REGIONS = ("NL", "DE", "GB")


def distinct_numbers(size: int = SIZE) -> str:
    """Lines of different phone-like numbers beside dates, prices, calendar rows and ranges."""
    rng = random.Random(7)
    parts: list[str] = []
    length = 0
    while length < size:
        line = (
            f"Tel. 06 {rng.randint(10_000_000, 99_999_999)} am 07.04.2020 10:27 · 1.299,00 € · "
            f"05 06 07 08 09 10 11 · +49 30 {rng.randint(1_000_000, 9_999_999)} · 333 – 337\n"
        )
        parts.append(line)
        length += len(line)
    return "".join(parts)


def repeated_line(size: int = SIZE) -> str:
    """One ad line with a phone, a date and a price, repeated."""
    line = "Tel. 06 12345678 am 07.04.2020 10:27 · 1.299,00 € · +49 30 1234567\n"
    return line * (size // len(line))


def glued_numbers(size: int = SIZE) -> str:
    """Digits and separators without a line break: one long run of phone-like groups."""
    return ("06 1234 5678 - 07.04.2020 / " * (size // 28))[:size]


PAGES: dict[str, Callable[[int], str]] = {
    "distinct numbers": distinct_numbers,
    "repeated line": repeated_line,
    "one long run": glued_numbers,
}


def measure(size: int = SIZE) -> list[tuple[str, float, int]]:
    """(page, seconds, phones found) per worst-case page."""
    results = []
    for name, make in PAGES.items():
        text = make(size)
        started = time.perf_counter()
        found = find_phones(text, REGIONS)
        results.append((name, time.perf_counter() - started, len(found)))
    return results


def table(size: int = SIZE) -> str:
    """The measurements as a markdown table."""
    rows = [f"| {name} | {seconds:.2f} | {found} |" for name, seconds, found in measure(size)]
    return "\n".join(["| 2 MB page | find_phones s | phones |", "| --- | ---: | ---: |", *rows])


if __name__ == "__main__":
    print(table())
