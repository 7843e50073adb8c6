"""`hub export` (all formats, filters, progress) and `hub verify-evidence`, for bot/cli.py."""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.progress import Progress
from sqlmodel import Session

from bot.settings import Settings
from commands.export.filters import ExportFilter, FilterError, parse_country, parse_network, parse_since
from extraction.private_files import write_private
from storage.models import Operation
from storage.scope import operation_scope

# Below this many findings an export takes well under a second: no progress bar.
PROGRESS_FROM = 500


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    from commands.export.csv import identifiers_path
    from commands.export.formats import export_files, write_json_export
    from storage.engine import make_engine, upgrade
    from storage.findings import count_findings

    if args.format in ("csv", "warc") and not args.out:
        raise SystemExit(f"hub export: --format {args.format} writes files: give --out FILE")
    engine = make_engine(args.db or settings.database_url)
    upgrade(engine)
    with Session(engine) as session:
        operation = chosen_operation(getattr(args, "operation", None), session=session)
    with operation_scope(operation.id), Session(engine) as session:
        try:
            only = _filter(args, settings, session=session)
        except FilterError as exc:
            raise SystemExit(f"hub export: {exc}") from None
        large = count_findings(session=session) >= PROGRESS_FROM
        if args.format == "warc":
            return _export_warc(args, settings, only, large, session=session)
        if args.format == "json":  # streamed: the text of 100k findings never sits in memory
            if not args.out:
                stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
                write_json_export(stdout, session=session, only=only)
                stdout.flush()
                stdout.detach()  # leave sys.stdout usable
                return 0
            written = _replace_atomically(
                Path(args.out), lambda out: write_json_export(out, session=session, only=only)
            )
            print(f"wrote {written} findings to {args.out}", file=sys.stderr)
            return 0
        with _progress(large, f"{args.format} export") as tick:
            files = export_files(args.format, session=session, only=only, progress=tick)
    main = files[0]
    if not args.out:
        sys.stdout.buffer.write(main.data)
        return 0
    for file in files:
        target = Path(args.out) if not file.suffix else Path(identifiers_path(args.out))
        write_private(target, file.data)
        print(f"wrote {target} ({len(file.data)} bytes, {file.records} rows)", file=sys.stderr)
    return 0


def _export_warc(
    args: argparse.Namespace, settings: Settings, only: ExportFilter | None, large: bool, *, session: Session
) -> int:
    from commands.export.document import export_document
    from commands.export.warc import manifest_path, write_evidence_warc

    sources = [Path(w) for w in args.warc or []]
    if settings.evidence_warc and Path(settings.evidence_warc).is_file():
        sources.append(Path(settings.evidence_warc))
    if not sources:
        raise SystemExit("hub export: no evidence to read: set EVIDENCE_WARC or give --warc FILE")
    for source in sources:
        if not source.is_file():
            raise SystemExit(f"hub export: no such WARC file: {source}")
    document = export_document(session=session, only=only)
    out = Path(args.out)
    with _progress(large, "reading evidence") as tick:
        manifest = write_evidence_warc(document, sources, out, progress=tick)
    print(
        f"wrote {out} ({out.stat().st_size} bytes, {len(manifest['records'])} pages) and "
        f"{manifest_path(out)}; {len(manifest['missing'])} findings without evidence",
        file=sys.stderr,
    )
    return 0


def _replace_atomically(target: Path, write: Callable[[TextIO], int]) -> int:
    """Write through a temporary file beside `target` and move it into place only when complete:
    an export that fails half-way leaves the previous file as it was."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            written = write(out)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return written


def _filter(args: argparse.Namespace, settings: Settings, *, session: Session) -> ExportFilter:
    return ExportFilter(
        since=parse_since(args.since, now=datetime.now(UTC), timezone=settings.timezone)
        if args.since
        else None,
        network=parse_network(args.network, session=session) if args.network else None,
        country=parse_country(args.country) if args.country else None,
        suspect_only=args.suspect_only,
    )


@contextmanager
def _progress(show: bool, label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on stderr (stdout may be the export itself)."""
    if not show:
        yield None
        return
    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield tick


def run_verify(args: argparse.Namespace) -> int:
    from commands.export.verify import check_evidence

    warc = Path(args.file)
    if not warc.is_file():
        raise SystemExit(f"hub verify-evidence: no such file: {warc}")
    result = check_evidence(warc, Path(args.manifest) if args.manifest else None)
    for problem in result.problems:
        print(f"MISMATCH {problem}", file=sys.stderr)
    print(
        f"{warc}: {result.records} records, {result.digests_verified} digests recomputed and matching, "
        f"{result.without_digest} without digest, {result.manifest_entries} manifest entries; "
        + ("all hashes match" if result.ok else f"{len(result.problems)} problems"),
    )
    return 0 if result.ok else 1


def chosen_operation(code: str | None, *, session: Session) -> Operation:
    """`--operation CODE`, else the only open operation (or the only one); else exit listing them."""
    from storage import operations

    try:
        if code:
            return operations.by_code(code, session=session)
    except operations.OperationError as exc:
        raise SystemExit(f"hub: {exc}") from None
    opened = operations.open_operations(session=session)
    every = operations.all_operations(session=session)
    if len(opened) == 1:
        return opened[0]
    if len(every) == 1:
        return every[0]
    listed = ", ".join(f"{o.code}{' (closed)' if o.closed_at else ''}" for o in every)
    raise SystemExit(f"hub: several operations ({listed}): choose one with --operation CODE")


def add_export_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--operation", help="the operation to export (its code); default: the only open one")
    p.add_argument("--since", help="findings first reported since: 24h, 2d, 2025-09-16 or an ISO time")
    p.add_argument("--network", help="only the findings of this network (N3 or 3)")
    p.add_argument("--country", help="only findings first reported from this country (two letters)")
    p.add_argument("--suspect-only", action="store_true", help="only THB-suspect or confirmed findings")
    p.add_argument(
        "--warc",
        action="append",
        help="warc format: evidence WARC to read, besides EVIDENCE_WARC (repeatable)",
    )
