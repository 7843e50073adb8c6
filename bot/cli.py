"""The `hub` command line: run, chat, replay, export, db."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pydantic import ValidationError

from bot.settings import Settings


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        raise SystemExit(f"hub: bad settings — {problems}") from None


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.console import chat
    from bot.wiring import build_hub

    settings = _settings()
    hub = build_hub(settings, database_url=args.db)
    chat(
        hub,
        user=args.user or settings.console_user,
        name=args.name or settings.console_name,
        country=(args.country or settings.console_country),
    )
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings()
    if not settings.chat_enabled:
        print(
            "No chat tokens set (TELEGRAM_BOT_TOKEN / SLACK_BOT_TOKEN): starting the console chat on "
            f"{args.db or settings.database_url}."
        )
        return cmd_chat(args)
    import asyncio

    from bot.logsafe import configure_logging
    from bot.runner import run_all
    from bot.wiring import build_hub

    configure_logging(settings)
    hub = build_hub(settings, database_url=args.db)
    asyncio.run(run_all(hub, settings))
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    from rich.console import Console

    from bot.console import render
    from bot.netguard import network_blocked
    from bot.replay import replay
    from bot.wiring import build_hub

    settings = _settings()
    warcs = [Path(w) for w in args.warc or []]
    for warc in warcs:
        if not warc.is_file():
            raise SystemExit(f"hub replay: no such WARC file: {warc}")
    if not Path(args.messages).is_file():
        raise SystemExit(f"hub replay: no such file: {args.messages}")
    hub = build_hub(settings, warcs=warcs, database_url=args.db, operator_vouches=True)
    console = Console(highlight=False, soft_wrap=True)

    def show(inv: object, reply: object) -> None:
        from commands.seam import Invocation, Reply

        assert isinstance(inv, Invocation) and isinstance(reply, Reply)
        if not args.quiet:
            render(console, reply, title=f"{inv.ts:%a %H:%M} → {inv.participant_name} ({inv.country})")
            console.file.flush()

    if warcs:
        with network_blocked() as attempts:
            summary = replay(hub, Path(args.messages), on_reply=show)
        if attempts:
            print(f"hub replay: {len(attempts)} network attempts were blocked", file=sys.stderr)
    else:
        summary = replay(hub, Path(args.messages), on_reply=show)
    print(
        f"replayed {summary.processed} of {summary.lines} lines "
        f"({summary.repeated} already processed before)",
        file=sys.stderr,
    )
    for problem in summary.malformed:
        print(f"hub replay: malformed {problem}", file=sys.stderr)
    return 1 if summary.malformed else 0


def cmd_export(args: argparse.Namespace) -> int:
    from commands.export import export_document
    from storage.engine import make_engine, upgrade

    settings = _settings()
    engine = make_engine(args.db or settings.database_url)
    upgrade(engine)
    from sqlmodel import Session

    with Session(engine) as session:
        document = export_document(session=session)
    text = json.dumps(document, ensure_ascii=False, indent=1)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        print(f"wrote {len(document['findings'])} findings to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text + "\n")
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    from storage.engine import current_revision, make_engine, upgrade

    settings = _settings()
    engine = make_engine(args.db or settings.database_url)
    if args.action == "upgrade":
        upgrade(engine)
    print(f"database at revision {current_revision(engine)}")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="hub", description="The action-week hub.")
    sub = top.add_subparsers(dest="command", required=True)

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", help="database URL (default: DATABASE_URL or data/hub.db)")
        return p

    for name, helptext in (
        ("run", "start the bot (console chat when no chat tokens are set)"),
        ("chat", "local console chat"),
    ):
        p = with_db(sub.add_parser(name, help=helptext))
        p.add_argument("--user", help="console participant id (console:…)")
        p.add_argument("--name", help="console display name")
        p.add_argument("--country", help="console participant's country (two letters)")
        p.set_defaults(func=cmd_run if name == "run" else cmd_chat)
    p = with_db(sub.add_parser("replay", help="feed a chat transcript through the pipeline"))
    p.add_argument("messages")
    p.add_argument("--warc", action="append", help="answer page fetches from this WARC file (repeatable)")
    p.add_argument("--quiet", action="store_true", help="do not print the replies")
    p.set_defaults(func=cmd_replay)
    p = with_db(sub.add_parser("export", help="export everything the hub knows"))
    p.add_argument("--format", default="json", choices=["json"])
    p.add_argument("--out", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export)
    p = with_db(sub.add_parser("db", help="database migrations"))
    p.add_argument("action", choices=["upgrade", "current"])
    p.set_defaults(func=cmd_db)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
