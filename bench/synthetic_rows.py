"""The rows of a synthetic action week (seeded): participants, findings in copy-paste groups that
share a controller phone and an ad template, reports, identifiers, networks, links, text prints.
Loaded by bench/synthetic.py."""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from deconfliction.neardup import text_print

T0 = datetime(2025, 9, 15, 6, 0, tzinfo=UTC)
COUNTRIES = [
    "NL",
    "BE",
    "DE",
    "FR",
    "ES",
    "IT",
    "RO",
    "PL",
    "PT",
    "GR",
    "AT",
    "SI",
    "HR",
    "CZ",
    "SK",
    "HU",
    "BG",
    "LT",
    "LV",
    "EE",
    "FI",
    "SE",
    "DK",
    "IE",
    "CY",
    "MT",
]
KINDS = ["escort", "dating", "job", "marketplace", "social", "messaging", "other"]
WORDS = [
    "sweet",
    "elegant",
    "discreet",
    "new",
    "town",
    "days",
    "only",
    "booking",
    "manager",
    "agency",
    "travel",
    "visa",
    "housing",
    "salary",
    "warehouse",
    "workers",
    "needed",
    "abroad",
    "free",
    "accommodation",
    "contract",
    "kisses",
    "gentlemen",
    "dinner",
    "massage",
    "incall",
    "outcall",
    "crypto",
    "payment",
    "only",
    "transport",
    "included",
    "experience",
    "required",
    "young",
    "fresh",
]
CITIES = ["Lyon", "Wien", "Milano", "Madrid", "Berlin", "Warszawa", "Rotterdam", "Praha", "Sofia", "Athina"]


def _ad_text(rng: random.Random, template: list[str], name: str, city: str) -> str:
    words = list(template)
    for _ in range(rng.randint(0, 3)):  # light edits, as copy-pasting groups make
        words[rng.randrange(len(words))] = rng.choice(WORDS)
    return f"{name} {rng.randint(19, 35)} · {city}. " + " ".join(words) + f" {rng.randint(100, 400)} EUR"


def rows(size: int, seed: int) -> dict[str, list[tuple[Any, ...]]]:
    rng = random.Random(seed)
    tables: dict[str, list[tuple[Any, ...]]] = {
        k: []
        for k in (
            "participants",
            "submissions",
            "findings",
            "reports",
            "identifiers",
            "finding_identifiers",
            "networks",
            "finding_links",
            "text_bands",
            "text_shingles",
        )
    }
    for p in range(73):
        tables["participants"].append(
            (f"bench:{p}", "telegram", f"Investigator {p}", COUNTRIES[p % 26], "participant", T0)
        )
    identifier_ids: dict[tuple[str, str], int] = {}

    def ident(kind: str, value: str) -> int:
        if (kind, value) not in identifier_ids:
            identifier_ids[(kind, value)] = len(identifier_ids) + 1
            tables["identifiers"].append((identifier_ids[(kind, value)], kind, value, False))
        return identifier_ids[(kind, value)]

    finding_id = submission_id = network_id = 0
    while finding_id < size:
        grouped = rng.random() < 0.4
        members = min(rng.randint(2, 12) if grouped else 1, size - finding_id)
        template = [rng.choice(WORDS) for _ in range(rng.randint(25, 45))]
        controller = f"+407{rng.randint(10_000_000, 99_999_999)}"
        handle = f"telegram:grp_{rng.randint(0, 10**9)}" if grouped and rng.random() < 0.6 else None
        if members > 1:
            network_id += 1
            tables["networks"].append((network_id, T0, None, None))
        first_in_group = finding_id + 1
        for _ in range(members):
            finding_id += 1
            submission_id += 1
            reporter = f"bench:{rng.randrange(73)}"
            at = T0 + timedelta(seconds=finding_id * 5)
            site = f"site{rng.randrange(max(50, size // 200))}.example"
            url = f"https://{site}/ad/{finding_id}"
            suspect = grouped or rng.random() < 0.1
            tables["submissions"].append(
                (
                    submission_id,
                    f"bench:{submission_id}",
                    "telegram",
                    "bench",
                    reporter,
                    at,
                    url,
                    "done",
                    0,
                    at,
                    at,
                )
            )
            tables["findings"].append(
                (
                    finding_id,
                    url,
                    url,
                    site,
                    rng.choice(KINDS),
                    reporter,
                    at,
                    at,
                    "ok",
                    200,
                    url,
                    hashlib.sha256(url.encode()).hexdigest(),
                    at,
                    rng.choice(CITIES),
                    1.5 if suspect else 0.0,
                    suspect,
                    network_id if members > 1 else None,
                )
            )
            tables["reports"].append((submission_id, finding_id, submission_id, reporter, at, url, False))
            phone = controller if members > 1 else f"+407{rng.randint(10_000_000, 99_999_999)}"
            values = [("phone", phone)]
            if handle:
                values.append(("handle", handle))
            if rng.random() < 0.3:
                values.append(("email", f"x{rng.randint(0, 10**9)}@mail.example"))
            for kind, value in values:
                tables["finding_identifiers"].append((finding_id, ident(kind, value), "page", False))
            printed = text_print(_ad_text(rng, template, f"N{finding_id}", rng.choice(CITIES)))
            if printed is not None:
                tables["text_shingles"].append((finding_id, printed.shingles))
                tables["text_bands"].extend((band, finding_id) for band in printed.bands)
            if finding_id > first_in_group:
                tables["finding_links"].append((finding_id, first_in_group, finding_id, "phone", phone, at))
            if rng.random() < 0.2:  # a corroboration by someone else, a little later
                submission_id += 1
                other = f"bench:{rng.randrange(73)}"
                tables["submissions"].append(
                    (
                        submission_id,
                        f"bench:{submission_id}",
                        "telegram",
                        "bench",
                        other,
                        at + timedelta(hours=1),
                        url,
                        "done",
                        0,
                        at,
                        at,
                    )
                )
                tables["reports"].append(
                    (submission_id, finding_id, submission_id, other, at + timedelta(hours=1), url, False)
                )
    return tables
