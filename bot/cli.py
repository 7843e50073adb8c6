"""The `hub` command line: run, chat, replay, analyse, export, db."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from bot.settings import Settings
from bot.startup import EXIT_CODE, StartupError

if TYPE_CHECKING:
    from commands.core.dispatcher import Dispatcher

# The evaluation corpus sits next to the repository (../shared/corpus/dev).
DEV_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        raise StartupError(*(_problem(e) for e in exc.errors())) from None


def _problem(error: Any) -> str:
    """One bad setting as one line: `TIMEZONE: 'Mars/Phobos' is not a time zone name like …`."""
    name = ".".join(map(str, error["loc"])).upper()
    cause = (error.get("ctx") or {}).get("error")
    return f"{name}: {cause if isinstance(cause, ValueError) else error['msg']}"


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.console import chat
    from bot.wiring import build_hub

    settings = _settings()
    hub = build_hub(settings, database_url=args.db)
    halt_web = _web_beside_console(hub.engine, settings)
    try:
        chat(
            hub,
            user=args.user or settings.console_user,
            name=args.name or settings.console_name,
            country=(args.country or settings.console_country),
        )
    finally:
        halt_web()
    return 0


def _web_beside_console(engine: Any, settings: Settings) -> Any:
    """With WEB_PORT set, serve the web view while the console chat runs and print its links."""
    if settings.web_port is None:
        return lambda: None
    from bot.webview import links_text, serve_in_thread

    try:
        halt = serve_in_thread(engine, settings)
    except OSError as exc:
        raise StartupError(str(exc)) from None
    print(links_text(engine, settings))
    return halt


def cmd_web(args: argparse.Namespace) -> int:
    """`hub web`: the web view of a database, without chat adapters (e.g. after a replay)."""
    import asyncio
    import signal

    from bot.webview import links_text, serve_web
    from bot.wiring import build_hub

    settings = _settings()
    updates: dict[str, Any] = {"web_port": args.port or settings.web_port or 8787}
    if args.listen:
        updates["web_listen"] = args.listen
    settings = settings.model_copy(update=updates)
    engine = build_hub(settings, database_url=args.db).engine

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve_web(engine, settings, stop, ready=lambda: print(links_text(engine, settings), flush=True))

    try:
        asyncio.run(serve())
    except OSError as exc:
        raise StartupError(
            f"WEB_PORT: cannot serve on {settings.web_listen}:{settings.web_port} ({exc})"
        ) from None
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from bot.logsafe import redact_url

    settings = _settings()
    if not settings.chat_enabled:
        print(
            "No chat tokens set (TELEGRAM_BOT_TOKEN / SLACK_BOT_TOKEN): starting the console chat on "
            f"{redact_url(args.db or settings.database_url)}."
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
    from extraction.fetch.archive import ArchiveDamaged

    try:
        hub = build_hub(settings, warcs=warcs, database_url=args.db)
    except ArchiveDamaged as exc:  # half an archive would store the other half as never fetched
        raise SystemExit(f"hub replay: {exc}; nothing was replayed — give the whole file") from None
    console = Console(highlight=False)

    def show(inv: object, reply: object) -> None:
        from commands.core.seam import Invocation, Reply

        assert isinstance(inv, Invocation) and isinstance(reply, Reply)
        if not args.quiet:
            render(console, reply, title=f"{inv.ts:%a %H:%M} → {inv.participant_name} ({inv.country})")
            console.file.flush()

    if warcs:
        from bot.wiring import llm_addresses

        # The configured (local) LLM stays reachable, like the database; nothing else does.
        with network_blocked(llm_addresses(settings)) as attempts:
            summary = replay(hub, Path(args.messages), on_reply=show)
            _drain_enrichments(hub, settings)
        if attempts:
            print(f"hub replay: {len(attempts)} network attempts were blocked", file=sys.stderr)
    else:
        summary = replay(hub, Path(args.messages), on_reply=show)
        _drain_enrichments(hub, settings)
    resumed = f"; {summary.resumed} unfinished messages of an earlier run resumed" if summary.resumed else ""
    if summary.refetched:
        resumed += f"; {summary.refetched} pages an earlier run could not fetch recorded now"
    print(
        f"replayed {summary.processed} of {summary.lines} lines "
        f"({summary.repeated} already processed before){resumed}",
        file=sys.stderr,
    )
    for note in summary.cleaned:
        print(f"hub replay: {note}", file=sys.stderr)
    for problem in summary.malformed:
        print(f"hub replay: malformed {problem}", file=sys.stderr)
    for problem in summary.failed:
        print(f"hub replay: failed {problem}", file=sys.stderr)
    if summary.failed:
        print(
            f"hub replay: {len(summary.failed)} messages failed and are kept; "
            "run the same replay again to retry them",
            file=sys.stderr,
        )
    return 1 if summary.malformed or summary.failed else 0


def _drain_enrichments(hub: Dispatcher, settings: Settings) -> None:
    """Before a replay exits, let the LLM finish what its messages queued (each call is bounded)."""
    if hub.enricher is None:
        return
    from storage.enrichments import status_counts

    left = hub.enricher.drain(settings.llm_timeout_s + 5)
    hub.enricher.close()
    with hub.session() as session:
        counts = status_counts(session=session)
    done = ", ".join(f"{status} {n}" for status, n in sorted(counts.items())) or "none"
    print(f"LLM enrichments ({settings.llm_model}): {done}; abandoned unfinished: {left}", file=sys.stderr)


def cmd_eval_llm(args: argparse.Namespace) -> int:
    from bot.netguard import network_blocked
    from bot.wiring import llm_addresses, llm_enricher
    from commands.llm_eval import evaluate, report, truth_indicators
    from extraction.fetch.archive import WarcArchive
    from storage.engine import make_engine

    settings = _settings()
    if not settings.llm_model:
        print("hub eval-llm: no LLM configured (LLM_MODEL is empty); nothing to evaluate.")
        return 0
    corpus = Path(args.corpus)
    if not (corpus / "truth.json").is_file() or not (corpus / "pages.warc.gz").is_file():
        raise SystemExit(
            f"hub eval-llm: the corpus is absent ({corpus} has no truth.json and pages.warc.gz); "
            "check out the shared material next to the repository (../shared) or pass --corpus DIR"
        )
    enricher = llm_enricher(settings, make_engine("sqlite://"))  # nothing is stored
    assert enricher is not None
    truth = truth_indicators(corpus)
    with network_blocked(llm_addresses(settings)):
        result = evaluate(
            enricher, WarcArchive([corpus / "pages.warc.gz"]), truth, limit=args.limit, workers=args.workers
        )
    enricher.close()
    print(f"model {settings.llm_model} on {corpus}")
    print(report(result))
    return 0


def cmd_analyse(args: argparse.Namespace) -> int:
    """`hub analyse`: saved pages or a WARC → one JSON line of extraction per page (no chat, no database)."""
    from bot.analyse_pages import analyse_files, analyse_warc, write_lines
    from bot.netguard import network_blocked

    if bool(args.pages) == bool(args.warc):
        raise SystemExit(
            "hub analyse: give saved pages (PAGE.html …) or --warc FILE, not both and not neither"
        )
    if args.url and len(args.pages) > 1:
        raise SystemExit("hub analyse: --url names one page; give one PAGE.html with it")
    paths = [Path(args.warc)] if args.warc else [Path(p) for p in args.pages]
    for path in paths:
        if not path.is_file():
            raise SystemExit(f"hub analyse: no such file: {path}")
    country = args.country.upper() if args.country else None
    if args.warc:
        from extraction.fetch.archive import ArchiveDamaged

        try:
            reports = analyse_warc(paths[0], url=args.url, country=country)
        except ArchiveDamaged as exc:
            raise SystemExit(f"hub analyse: {exc}") from None
    else:
        reports = analyse_files(paths, url=args.url, country=country)
    # Saved pages are read, never fetched: nothing here may reach the network.
    with network_blocked():
        count = write_lines(reports, sys.stdout)
    print(f"hub analyse: {count} pages analysed", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from bot.exports import run_export

    return run_export(args, _settings())


def cmd_digest(args: argparse.Namespace) -> int:
    from bot.scheduler import dry_run, parse_when
    from bot.wiring import build_hub

    if not args.dry_run:
        raise SystemExit("hub digest: only --dry-run is supported; `hub run` posts the digests")
    settings = _settings()
    try:
        at = parse_when(args.at, settings.timezone) if args.at else None
    except ValueError:
        raise SystemExit(f"hub digest: --at {args.at!r} is not HH:MM or an ISO date-time") from None
    hub = build_hub(settings, database_url=args.db)
    run, reply = dry_run(hub, settings, slot=args.slot, at=at, chat_id=args.chat)
    sys.stdout.write(reply.text + "\n")
    if args.png and reply.image:
        Path(args.png).write_bytes(reply.image)
    print(
        f"dry run: the {run.slot} digest of {run.local_date}; nothing was posted or recorded"
        + (f"; chart written to {args.png}" if args.png and reply.image else ""),
        file=sys.stderr,
    )
    return 0


def cmd_verify_evidence(args: argparse.Namespace) -> int:
    from bot.exports import run_verify

    return run_verify(args)


def cmd_db(args: argparse.Namespace) -> int:
    from storage.engine import current_revision, make_engine, upgrade

    settings = _settings()
    engine = make_engine(args.db or settings.database_url)
    if args.action in ("upgrade", "rebuild-tallies"):
        upgrade(engine)
    if args.action == "rebuild-tallies":
        from sqlmodel import Session

        from storage import operations
        from storage.scope import operation_scope
        from storage.tallies import live as live_tallies

        with Session(engine) as session:
            every = operations.all_operations(session=session)
        for operation in every:  # each operation's tallies from its own rows
            with operation_scope(operation.id), Session(engine) as session:
                live_tallies.rebuild(session=session)
                session.commit()
        print("live tallies (points, site totals, network sizes) recomputed from the stored rows")
    print(f"database at revision {current_revision(engine)}")
    return 0


def cmd_operation(args: argparse.Namespace) -> int:
    from bot.operations_cli import run_operation

    settings = _settings()
    return run_operation(args, settings.database_url, settings.evidence_warc)


def parser() -> argparse.ArgumentParser:
    from bot.exports import add_export_options
    from bot.operations_cli import add_operation_parser

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
    p = with_db(
        sub.add_parser("web", help="serve the read-only web view (venue screen, networks) of a database")
    )
    p.add_argument("--port", type=int, help="port (default: WEB_PORT, else 8787)")
    p.add_argument("--listen", help="address to bind (default: WEB_LISTEN, 127.0.0.1)")
    p.set_defaults(func=cmd_web)
    p = with_db(sub.add_parser("replay", help="feed a chat transcript through the pipeline"))
    p.add_argument("messages")
    p.add_argument("--warc", action="append", help="answer page fetches from this WARC file (repeatable)")
    p.add_argument("--quiet", action="store_true", help="do not print the replies")
    p.set_defaults(func=cmd_replay)
    p = sub.add_parser("analyse", help="extraction of saved pages: one JSON line each (no chat, no database)")
    p.add_argument("pages", nargs="*", metavar="PAGE.html", help="saved HTML pages")
    p.add_argument("--warc", help="analyse every page of this WARC file instead")
    p.add_argument("--url", help="the page's URL (one PAGE.html), or the one WARC page to analyse")
    p.add_argument("--country", help="the reporting participant's country (two letters), a phone region hint")
    p.set_defaults(func=cmd_analyse)
    p = with_db(sub.add_parser("export", help="export everything the hub knows"))
    p.add_argument("--format", default="json", choices=["json", "csv", "misp", "stix", "warc"])
    p.add_argument("--out", help="file to write (default: standard output)")
    add_export_options(p)
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("verify-evidence", help="recompute the hashes of an evidence WARC and its manifest")
    p.add_argument("file")
    p.add_argument("--manifest", help="manifest JSON (default: X.manifest.json next to X.warc.gz)")
    p.set_defaults(func=cmd_verify_evidence)
    p = with_db(sub.add_parser("digest", help="show the digest the scheduler would post"))
    p.add_argument("--dry-run", action="store_true", help="print it; post and record nothing")
    p.add_argument("--slot", choices=["morning", "evening"], help="default: the latest slot due")
    p.add_argument("--at", help="as of HH:MM today or an ISO date-time (default: now)")
    p.add_argument("--chat", help="whose digest times to use (default: the first allowed chat)")
    p.add_argument("--png", help="also write the digest's chart to this file")
    p.set_defaults(func=cmd_digest)
    p = sub.add_parser("eval-llm", help="score the LLM's indicators against a corpus's truth")
    p.add_argument("--corpus", default=str(DEV_CORPUS), help=f"corpus folder (default: {DEV_CORPUS})")
    p.add_argument("--limit", type=int, help="only the first N pages (by URL)")
    p.add_argument("--workers", type=int, default=2, help="pages sent to the model at once (default 2)")
    p.set_defaults(func=cmd_eval_llm)
    p = with_db(sub.add_parser("db", help="database migrations; rebuild-tallies recomputes the kept tallies"))
    p.add_argument("action", choices=["upgrade", "current", "rebuild-tallies"])
    p.set_defaults(func=cmd_db)
    add_operation_parser(sub)
    sub.choices["operation"].set_defaults(func=cmd_operation)
    p = sub.add_parser("bench", help="the performance picture: writes bench/results.md and a PNG")
    p.add_argument("--sizes", default="1000,10000,100000", help="store sizes (findings), comma-separated")
    p.add_argument("--backends", default="sqlite,postgresql", help="sqlite and/or postgresql")
    p.set_defaults(func=cmd_bench)
    return top


def cmd_bench(args: argparse.Namespace) -> int:
    from bench.run import main as bench_main

    return bench_main(["--sizes", args.sizes, "--backends", args.backends])


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except StartupError as exc:
        for line in exc.lines:
            print(f"hub: {line}", file=sys.stderr)
        return EXIT_CODE


if __name__ == "__main__":
    sys.exit(main())
