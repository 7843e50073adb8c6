"""`hub export`: everything the hub knows, in the formats analysts load (contracts.md §2)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from commands.export.filters import ExportFilter, apply_filter
from commands.outcomes import outcomes
from commands.scoring import standings
from storage import findings as store
from storage import identifiers as id_store
from storage import networks
from storage.findings import FindingRow
from storage.models import Operation, Tag
from storage.scope import operation_id
from storage.tallies.facts import opened

FORMATS = ("json", "csv", "misp", "stix", "warc")


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def export_document(
    *, session: Session, now: datetime | None = None, only: ExportFilter | None = None
) -> dict[str, Any]:
    """The JSON export: findings, networks, participants, counts.

    With a filter, `findings` holds the findings that pass it and `networks` only those
    findings (so every id the document names is in it); participants and counts stay
    operation-wide.
    """
    rows = apply_filter(store.finding_rows(session=session), only, session=session)
    ids = [f.id or 0 for f in rows]
    reports = store.reports_by_finding(ids, session=session)
    identifiers = id_store.identifiers_by_finding(session=session)
    indicators = store.indicators_by_finding(session=session)
    tags: dict[int, set[str]] = {}
    for tag in session.exec(select(Tag).order_by(col(Tag.id))):
        tags.setdefault(tag.finding_id, set()).add(tag.tag)
    live = set(networks.network_ids(session=session, suspect_only=False))
    thb = set(networks.network_ids(session=session, suspect_only=True))
    findings_out = [
        _finding(
            f,
            reports.get(f.id or 0, []),
            identifiers.get(f.id or 0, []),
            indicators.get(f.id or 0, []),
            sorted(tags.get(f.id or 0, set())),
            live,
        )
        for f in rows
    ]
    networks_out = _networks(rows, live, thb, session=session)
    operation = session.get(Operation, operation_id())
    return {
        "generated_at": iso(now or datetime.now(UTC)),
        "operation": _operation(operation),
        "findings": findings_out,
        "networks": networks_out,
        "participants": [
            {"id": s.participant_id, "name": s.name, "country": s.country, "points": s.points}
            for s in standings(session=session)
        ],
        "counts": outcomes(session=session).contract_counts(),
    }


def _operation(operation: Operation | None) -> dict[str, Any] | None:
    """Which operation (action week) the document exports."""
    if operation is None:
        return None
    return {
        "code": operation.code,
        "name": operation.name,
        "starts_on": operation.starts_on,
        "ends_on": operation.ends_on,
        "timezone": operation.timezone,
        "closed_at": iso(operation.closed_at),
        "retention_until": operation.retention_until,
    }


def _finding(
    f: FindingRow,
    reports: list[Any],
    identifiers: list[tuple[str, str]],
    indicators: list[str],
    tags: list[str],
    live: set[int],
) -> dict[str, Any]:
    first = reports[0] if reports else None
    suppressed = f.suppressed is not None
    return {
        "id": f.id,
        "url": f.url,
        "canonical_url": f.canonical_url,
        "platform": f.platform,
        "platform_kind": f.platform_kind,
        "reporter": first.participant_id if first else f.reporter_id,
        "reported_at": iso(first.ts if first else f.reported_at),
        "duplicate_reports": [{"reporter": r.participant_id, "at": iso(r.ts)} for r in reports[1:]],
        "fetch": {
            "status": f.fetch_status,
            "final_url": f.final_url,
            "sha256": None if suppressed else f.sha256,
            "fetched_at": iso(f.fetched_at),
            "error": f.fetch_error if f.fetch_outcome != "ok" else None,
            "outcome": f.fetch_outcome,
        },
        # In the outcome figures and scoring: the page was opened, or a coordinator confirmed it.
        "counted": opened(f) and bool(reports),
        "identifiers": [] if suppressed else [{"kind": k, "value": v} for k, v in identifiers],
        "indicators": [] if suppressed else indicators,
        "thb_suspect": f.thb_suspect,
        "network": f"N{f.network_id}" if f.network_id in live else None,
        "tags": tags,
        "suppressed": suppressed,
        # Every report withdrawn with /undo: kept on record (and in its network), not counted as a
        # finding, THB URL or social profile in `counts`.
        "withdrawn": not reports,
    }


def _networks(
    rows: list[FindingRow], live: set[int], thb: set[int], *, session: Session
) -> list[dict[str, Any]]:
    """Networks of two or more findings with the links that make them; `thb` when one is suspect."""
    members: dict[int, list[int]] = {}
    for f in rows:
        if f.network_id in live:
            members.setdefault(f.network_id or 0, []).append(f.id or 0)
    out = []
    for network_id, finding_ids in sorted(members.items()):
        links = networks.links_within(finding_ids, session=session)
        via = sorted({(link.kind, link.value) for link in links if link.kind != "text"})
        copies = sum(1 for link in links if link.kind == "text")
        out.append(
            {
                "id": f"N{network_id}",
                "findings": sorted(finding_ids),
                "via": [{"kind": k, "value": v} for k, v in via],
                "text_links": copies,
                "thb": network_id in thb,
            }
        )
    return out
