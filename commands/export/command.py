"""`/export <format>`: a coordinator gets the export as a file, privately — never in the channel."""

from __future__ import annotations

import io
import shlex
import zipfile

from sqlmodel import Session

from commands.core.context import Context
from commands.core.registry import command
from commands.core.seam import Invocation, Reply
from commands.export.filters import FilterError, parse_filter_words
from commands.export.formats import DOCUMENT_FORMATS, ExportFile, export_files
from commands.references import counted
from storage import audit
from storage.models import Participant

USAGE = "<json|csv|misp|stix> [--since 24h] [--network N3] [--country NL] [--suspect-only]"
EXTENSIONS = {"json": "json", "csv": "csv.zip", "misp": "misp.json", "stix": "stix.json"}


@command("export", usage=USAGE, coordinator=True)
def export(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """Send yourself the hub's export as a file (json, csv, misp, stix), with optional filters."""
    assert participant is not None
    coordinator = participant
    try:
        words = shlex.split(inv.args)
    except ValueError:
        words = inv.args.split()
    fmt = words[0].lower() if words else ""
    if fmt == "warc":
        return _refused(
            "The evidence WARC is exported where the evidence files are: run "
            "`hub export --format warc --out evidence.warc.gz` on the hub's machine. Nothing was exported."
        )
    if fmt not in DOCUMENT_FORMATS:
        return _refused(f"Usage: /export {USAGE}. Nothing was exported.")
    now = ctx.now()

    def write(session: Session) -> Reply:
        try:
            only = parse_filter_words(words[1:], now=inv.ts, timezone=ctx.config.timezone, session=session)
        except FilterError as exc:
            return _refused(f"{exc}. Usage: /export {USAGE}. Nothing was exported.")
        files = export_files(fmt, session=session, only=only, now=now)
        audit.record(
            coordinator.id,
            "export",
            fmt,
            at=inv.ts,
            detail={"filter": only.describe(), "findings": files[0].records},
            session=session,
        )
        stamp = now.strftime("%Y%m%d-%H%M")
        name = f"hub-export-{stamp}.{EXTENSIONS[fmt]}"
        data = files[0].data if len(files) == 1 else _zip(f"hub-export-{stamp}", files)
        return Reply(
            f"Export ({fmt}, {only.describe()}): {counted(files[0].records, 'finding')}, {len(data)} bytes — "
            "attached, sent only to you. It holds victims' and suspects' contacts: keep it inside the "
            "operation.",
            visibility="private",
            attachment=(name, data),
        )

    return ctx.record(write)


def _refused(text: str) -> Reply:
    return Reply(text, visibility="private", refused=True)


def _zip(stem: str, files: list[ExportFile]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            archive.writestr(f"{stem}.{file.suffix or 'csv'}", file.data)
    return buffer.getvalue()
