"""Which findings an export carries: `--since`, `--network N`, `--country XX`, `--suspect-only`.

Filters pick findings; everything else in an export (participants, counts) stays
operation-wide, because a filtered export is a slice of the week, not a different week.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from commands.references import network_number
from storage import networks
from storage.findings import FindingRow
from storage.models import Participant

_RELATIVE = re.compile(r"^(?P<n>\d{1,4})(?P<unit>[hd])$")


class FilterError(ValueError):
    """A filter the user typed that cannot be understood; the message says how to write it."""


@dataclass(frozen=True, slots=True)
class ExportFilter:
    since: datetime | None = None  # findings first reported at or after this time (aware)
    network: int | None = None  # a live network id (merges already followed)
    country: str | None = None  # the first reporter's country
    suspect_only: bool = False  # THB-suspect or confirmed, and not rejected (as "THB URLs" counts)

    @property
    def active(self) -> bool:
        return bool(self.since or self.network is not None or self.country or self.suspect_only)

    def describe(self) -> str:
        parts = []
        if self.since:
            parts.append(f"since {self.since.isoformat()}")
        if self.network is not None:
            parts.append(f"network N{self.network}")
        if self.country:
            parts.append(f"reported from {self.country}")
        if self.suspect_only:
            parts.append("THB-suspect only")
        return ", ".join(parts) or "all findings"


def parse_since(text: str, *, now: datetime, timezone: str) -> datetime:
    """`24h`, `2d`, `2025-09-16` (midnight in the operation's time zone) or an ISO date-time."""
    value = text.strip()
    relative = _RELATIVE.match(value)
    if relative:
        n = int(relative.group("n"))
        return now - (timedelta(hours=n) if relative.group("unit") == "h" else timedelta(days=n))
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise FilterError(
            f"--since {value!r} is not a time: write 24h, 2d, 2025-09-16 or 2025-09-16T08:00+02:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment


def parse_network(text: str, *, session: Session) -> int:
    """`N3` or `3`; an id absorbed by a merge means the network it was merged into."""
    number = network_number(text)  # at most 9 digits: nothing overflows a database integer
    if number is None:
        raise FilterError(f"--network {text!r} is not a network id: write N3 or 3")
    digits = str(number)
    live = networks.resolve(number, session=session)
    if live is None:
        raise FilterError(f"there is no network N{digits}")
    return live


def parse_country(text: str) -> str:
    value = text.strip().upper()
    if len(value) != 2 or not value.isalpha():
        raise FilterError(f"--country {text!r} is not a two-letter country code (e.g. NL, XK)")
    return value


def parse_filter_words(
    words: Sequence[str], *, now: datetime, timezone: str, session: Session
) -> ExportFilter:
    """Filters written as chat words: `--since 24h --network N3 --country NL --suspect-only`."""
    since = network = country = None
    suspect_only = False
    items = list(words)
    while items:
        word = items.pop(0).lower()
        if word in ("--suspect-only", "suspect-only"):
            suspect_only = True
            continue
        if word not in ("--since", "--network", "--country"):
            raise FilterError(f"unknown option {word!r}: use --since, --network, --country, --suspect-only")
        if not items:
            raise FilterError(f"{word} needs a value")
        value = items.pop(0)
        if word == "--since":
            since = parse_since(value, now=now, timezone=timezone)
        elif word == "--network":
            network = parse_network(value, session=session)
        else:
            country = parse_country(value)
    return ExportFilter(since=since, network=network, country=country, suspect_only=suspect_only)


def apply_filter(rows: list[FindingRow], only: ExportFilter | None, *, session: Session) -> list[FindingRow]:
    """The findings of `rows` that pass `only` (all of them when there is no filter)."""
    if only is None or not only.active:
        return rows
    countries: dict[str, str] = {}
    if only.country:
        countries = {p.id: p.country for p in session.exec(select(Participant))}
    kept = []
    for finding in rows:
        if only.since and _aware(finding.reported_at) < only.since:
            continue
        if only.network is not None and finding.network_id != only.network:
            continue
        if only.country and countries.get(finding.reporter_id) != only.country:
            continue
        if only.suspect_only and not _counts_as_thb(finding):
            continue
        kept.append(finding)
    return kept


def _counts_as_thb(finding: FindingRow) -> bool:
    return (finding.thb_suspect or finding.judgement == "confirmed") and finding.judgement != "rejected"


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
