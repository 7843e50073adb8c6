"""`hub operation create|list|show|close`: managing the operations (action weeks) of one store."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from sqlmodel import Session

from storage import operations
from storage.engine import make_engine, upgrade
from storage.models import Operation


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


def run_operation(args: argparse.Namespace, database_url: str) -> int:
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
        except (operations.OperationError, ValueError) as exc:
            raise SystemExit(f"hub operation: {exc}") from None
    return 0


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
