"""`hub operation create|list|show|close`: managing the operations (action weeks) of one store."""

from __future__ import annotations

import argparse
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session, select

from extraction.private_files import open_private
from storage import operations
from storage.engine import make_engine, upgrade
from storage.models import Finding, Operation
from storage.scope import operation_scope


def add_operation_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `operation` subcommand and its actions."""
    p = sub.add_parser("operation", help="create, list, show or close operations (action weeks)")
    p.add_argument("--db", help="database URL (default: DATABASE_URL or data/hub.db)")
    actions = p.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="a new open operation")
    create.add_argument("code", help="short code, e.g. THB-2025")
    create.add_argument("--name", default="", help="its name (default: the code)")
    create.add_argument(
        "--chat", action="append", default=[], help="a chat of it, e.g. telegram:-100123 (repeatable)"
    )
    create.add_argument("--coordinator", action="append", default=[], help="a coordinator's id, e.g. tg:1001")
    create.add_argument("--start", help="first day, YYYY-MM-DD")
    create.add_argument("--end", help="last day, YYYY-MM-DD")
    create.add_argument("--timezone", default="Europe/Amsterdam")
    create.add_argument("--morning", default="08:00", help="morning digest time")
    create.add_argument("--evening", default="19:00", help="evening digest time")
    create.add_argument("--retention", help="purge its data by this date, YYYY-MM-DD")
    create.add_argument(
        "--no-matching", action="store_true", help="later operations are not told of its findings"
    )
    actions.add_parser("list", help="every operation with its dates and retention")
    for name, helptext in (("show", "one operation and its rows"), ("close", "stop an operation")):
        one = actions.add_parser(name, help=helptext)
        one.add_argument("code")
    purge = actions.add_parser("purge", help="delete a closed operation's data (asks for the code again)")
    purge.add_argument("code")
    purge.add_argument("--confirm", help="the code again, instead of typing it at the prompt")
    purge.add_argument("--data-dir", default="data", help="where its archived exports are (default: data)")
    purge.add_argument(
        "--evidence", help="the evidence WARC to remove its records from (default: EVIDENCE_WARC)"
    )


def run_operation(args: argparse.Namespace, database_url: str, evidence_warc: str | None = None) -> int:
    """Run one `hub operation` action; prints what it did."""
    engine = make_engine(args.db or database_url)
    upgrade(engine)
    now = datetime.now(UTC)
    with Session(engine) as session:
        try:
            if args.action == "create":
                for day in (args.start, args.end, args.retention):
                    if day:
                        datetime.strptime(day, "%Y-%m-%d")
                created = operations.create_operation(
                    code=args.code,
                    name=args.name,
                    at=now,
                    starts_on=args.start,
                    ends_on=args.end,
                    timezone=args.timezone,
                    morning=args.morning,
                    evening=args.evening,
                    matching_allowed=not args.no_matching,
                    retention_until=args.retention,
                    chats=args.chat,
                    coordinators=args.coordinator,
                    session=session,
                )
                session.commit()
                print(f"created {created.code}: {describe(created, session=session)}")
            elif args.action == "list":
                for operation in operations.all_operations(session=session):
                    print(f"{operation.code}: {describe(operation, session=session)}")
            elif args.action == "show":
                operation = operations.by_code(args.code, session=session)
                print(f"{operation.code}: {describe(operation, session=session)}")
                for table, n in operations.row_counts(operation.id or 0, session=session).items():
                    if n:
                        print(f"  {table}: {n}")
            elif args.action == "close":
                operation = operations.by_code(args.code, session=session)
                operations.close_operation(operation, at=now, session=session)
                session.commit()
                print(f"closed {operation.code}: no new pastes, no digests, board frozen; exports still work")
            elif args.action == "purge":
                purge(args, now, evidence_warc, session=session)
        except (operations.OperationError, ValueError) as exc:
            raise SystemExit(f"hub operation: {exc}") from None
    return 0


def purge(args: argparse.Namespace, now: datetime, evidence_warc: str | None, *, session: Session) -> None:
    """Purge a closed operation once its code is typed again: rows, evidence, archived exports."""
    operation = operations.by_code(args.code, session=session)
    typed = args.confirm if args.confirm is not None else input(f"Type {operation.code} to purge it: ")
    if typed.strip().upper() != operation.code:
        raise SystemExit("hub operation purge: the code typed does not match; nothing was deleted")
    urls = operation_urls(operation.id or 0, session=session)
    counts = operations.purge_operation(operation, at=now, session=session)
    session.commit()
    files = remove_archived_exports(operation.code, Path(args.data_dir))
    warc = args.evidence or evidence_warc
    records = remove_evidence_records(Path(warc), urls) if warc and Path(warc).is_file() else 0
    rows = ", ".join(f"{t} {n}" for t, n in sorted(counts.items()))
    print(
        f"purged {operation.code}: {sum(counts.values())} rows ({rows}), "
        f"{records} evidence records, {files} archived export files"
    )


def operation_urls(operation_id: int, *, session: Session) -> set[str]:
    """Every address the operation's findings were fetched from, and not another operation's."""
    with operation_scope(None):
        rows = session.exec(select(Finding.operation_id, Finding.url, Finding.final_url)).all()
    mine = {u for op, url, final in rows if op == operation_id for u in (url, final) if u}
    others = {u for op, url, final in rows if op != operation_id for u in (url, final) if u}
    return mine - others


def remove_archived_exports(code: str, data_dir: Path) -> int:
    """Delete the operation's archived exports: `data/exports/<CODE>/` and the files in
    `data/exports/` whose name starts with the code (any case); returns how many. Nothing else
    under `data/` is touched (the database there may share the code's letters)."""
    removed = 0
    folder = data_dir / "exports" / code
    if folder.is_dir():
        for path in sorted(folder.rglob("*"), reverse=True):
            if path.is_file():
                path.unlink()
                removed += 1
        shutil.rmtree(folder, ignore_errors=True)
    exports = data_dir / "exports"
    if exports.is_dir():
        for path in exports.iterdir():
            if path.is_file() and path.name.casefold().startswith(code.casefold()):
                path.unlink()
                removed += 1
    return removed


def remove_evidence_records(warc: Path, urls: set[str]) -> int:
    """Rewrite the evidence WARC without the records of `urls`; returns how many were dropped."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.warcwriter import WARCWriter

    dropped = 0
    temp = warc.with_name(warc.name + ".purge")
    with warc.open("rb") as source, open_private(temp) as target:
        writer = WARCWriter(target, gzip=warc.name.endswith(".gz"))
        for record in ArchiveIterator(source):
            if record.rec_headers.get_header("WARC-Target-URI") in urls:
                dropped += 1
                continue
            writer.write_record(record)
    os.replace(temp, warc)
    return dropped


def describe(operation: Operation, *, session: Session) -> str:
    """One line: name, state, dates, retention, matching, chats."""
    state = "closed " + operation.closed_at.date().isoformat() if operation.closed_at else "open"
    if operation.purged_at:
        state = "purged " + operation.purged_at.date().isoformat()
    dates = f"{operation.starts_on or '?'} – {operation.ends_on or '?'}"
    chats = ", ".join(operations.chats_of(operation.id or 0, session=session)) or "no chats"
    matching = "matched by later operations" if operation.matching_allowed else "not matched"
    return (
        f"{operation.name} — {state}, {dates}, retention until {operation.retention_until or 'not set'}, "
        f"{matching}; {chats}"
    )
