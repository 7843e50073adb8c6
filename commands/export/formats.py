"""One entry point for the document exports (json, csv, misp, stix), shared by `hub export`
and the chat's `/export`. The warc export needs the evidence files, so it is the CLI's alone."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO

from sqlmodel import Session

from commands.export.csv import csv_files
from commands.export.details import export_details
from commands.export.document import export_document
from commands.export.filters import ExportFilter
from commands.export.misp import misp_event, misp_json
from commands.export.stix import stix_bundle, stix_json

DOCUMENT_FORMATS = ("json", "csv", "misp", "stix")

Progress = Callable[[int, int], None]
JSON_STYLE: dict[str, Any] = {"indent": 1}


def write_json_export(
    out: TextIO, *, session: Session, only: ExportFilter | None = None, now: datetime | None = None
) -> int:
    """The json export written straight to `out` (the same text as `export_files("json")`);
    returns the number of findings. At 100k findings the whole text in memory — as a str and
    again as bytes — would cost more than the document itself; streamed, it costs nothing."""
    document = export_document(session=session, now=now, only=only)
    session.expunge_all()  # the rows are in the document now: let the ORM's copies go
    json.dump(document, out, ensure_ascii=False, **JSON_STYLE)
    out.write("\n")
    return len(document["findings"])


@dataclass(frozen=True, slots=True)
class ExportFile:
    """One file of an export. `suffix` is "" for the main file, else what follows its stem
    (`identifiers.csv` for the csv export's second file)."""

    suffix: str
    data: bytes
    records: int  # findings (main file) or finding–identifier rows


def export_files(
    fmt: str,
    *,
    session: Session,
    only: ExportFilter | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> list[ExportFile]:
    """The files of export `fmt` (one of DOCUMENT_FORMATS)."""
    if fmt not in DOCUMENT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(DOCUMENT_FORMATS)}")
    document = export_document(session=session, now=now, only=only)
    count = len(document["findings"])
    if fmt == "json":
        text = json.dumps(document, ensure_ascii=False, **JSON_STYLE) + "\n"
        return [ExportFile("", text.encode("utf-8"), count)]
    if fmt == "csv":
        findings, identifiers = csv_files(document, progress=progress)
        pairs = sum(len(f["identifiers"]) for f in document["findings"])
        return [ExportFile("", findings, count), ExportFile("identifiers.csv", identifiers, pairs)]
    details = export_details(document, session=session)
    if fmt == "misp":
        return [ExportFile("", misp_json(misp_event(document, details, progress=progress)), count)]
    return [ExportFile("", stix_json(stix_bundle(document, details, progress=progress)), count)]
