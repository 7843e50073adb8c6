"""`hub export --format csv`: the findings table flattened, for spreadsheet users.

Two files, so a spreadsheet can pivot: `X.csv` has one row per finding (identifiers and
indicators `;`-joined, and one column per identifier kind), `X.identifiers.csv` one row per
finding–identifier pair.

Spreadsheet formula injection: a cell that starts with `=`, `+`, `-`, `@` (or a tab or carriage
return) would be run as a formula by Excel/LibreOffice/Sheets — an ad's text could carry one.
Such values are written with a leading `'`, which spreadsheets show as text and hide. This
includes every E.164 phone number (`'+31612345678`); strip one leading `'` to get the value
back. Files are UTF-8 with a byte-order mark so Excel opens them as UTF-8.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from extraction.identifiers.kinds import KINDS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

BASE_COLUMNS = (
    "id",
    "url",
    "canonical_url",
    "platform",
    "platform_kind",
    "reporter",
    "reported_at",
    "duplicate_reports",
    "fetch_outcome",
    "fetch_status",
    "final_url",
    "sha256",
    "fetched_at",
    "fetch_error",
    "thb_suspect",
    "network",
    "tags",
    "indicators",
    "identifiers",
)
STATE_COLUMNS = ("suppressed", "withdrawn")


def finding_columns() -> tuple[str, ...]:
    """The findings table's columns: one per identifier kind of the table (`phones`, …)."""
    return (*BASE_COLUMNS, *(f"{kind}s" for kind in KINDS.names()), *STATE_COLUMNS)


IDENTIFIER_COLUMNS = (
    "finding_id",
    "kind",
    "value",
    "platform",
    "platform_kind",
    "network",
    "thb_suspect",
    "reporter",
    "reported_at",
)

Progress = Callable[[int, int], None]


def spreadsheet_safe(value: object) -> str:
    """The cell text for `value`, defused if a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def finding_row(finding: dict[str, Any]) -> list[str]:
    """One finding of the JSON export as a row of `finding_columns()`."""
    idents = finding["identifiers"]
    fetch = finding["fetch"]
    values: dict[str, object] = {
        **{k: finding[k] for k in ("id", "url", "canonical_url", "platform", "platform_kind")},
        "reporter": finding["reporter"],
        "reported_at": finding["reported_at"],
        "duplicate_reports": len(finding["duplicate_reports"]),
        "fetch_outcome": fetch.get("outcome"),
        "fetch_status": fetch["status"],
        "final_url": fetch["final_url"],
        "sha256": fetch["sha256"],
        "fetched_at": fetch["fetched_at"],
        "fetch_error": fetch["error"],
        "thb_suspect": finding["thb_suspect"],
        "network": finding["network"],
        "tags": ";".join(finding["tags"]),
        "indicators": ";".join(finding["indicators"]),
        "identifiers": ";".join(f"{i['kind']}:{i['value']}" for i in idents),
        "suppressed": finding.get("suppressed", False),
        "withdrawn": finding.get("withdrawn", False),
    }
    for ident in idents:
        KINDS.get(ident["kind"])  # a kind the table does not know is an error, not a dropped column
    for kind in KINDS.names():
        values[f"{kind}s"] = ";".join(i["value"] for i in idents if i["kind"] == kind)
    return [spreadsheet_safe(values[column]) for column in finding_columns()]


def identifier_rows(finding: dict[str, Any]) -> list[list[str]]:
    """One row per identifier of the finding (none for a suppressed finding: it has none)."""
    return [
        [
            spreadsheet_safe(v)
            for v in (
                finding["id"],
                ident["kind"],
                ident["value"],
                finding["platform"],
                finding["platform_kind"],
                finding["network"],
                finding["thb_suspect"],
                finding["reporter"],
                finding["reported_at"],
            )
        ]
        for ident in finding["identifiers"]
    ]


def csv_files(document: dict[str, Any], *, progress: Progress | None = None) -> tuple[bytes, bytes]:
    """(findings CSV, identifiers CSV) of the JSON export `document`."""
    findings_out, identifiers_out = io.StringIO(), io.StringIO()
    findings_csv, identifiers_csv = csv.writer(findings_out), csv.writer(identifiers_out)
    findings_csv.writerow(finding_columns())
    identifiers_csv.writerow(IDENTIFIER_COLUMNS)
    total = len(document["findings"])
    for done, finding in enumerate(document["findings"], 1):
        findings_csv.writerow(finding_row(finding))
        identifiers_csv.writerows(identifier_rows(finding))
        if progress:
            progress(done, total)
    return (
        findings_out.getvalue().encode("utf-8-sig"),
        identifiers_out.getvalue().encode("utf-8-sig"),
    )


def identifiers_path(findings_path: str) -> str:
    """`X.csv` → `X.identifiers.csv` (the second file sits next to the first)."""
    stem = findings_path[:-4] if findings_path.lower().endswith(".csv") else findings_path
    return f"{stem}.identifiers.csv"
