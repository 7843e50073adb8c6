"""The web view as an aiohttp application: read-only pages behind a secret key per role.

* `/screen?key=…` — the venue screen (venue or coordinator key).
* `/networks?key=…`, `/networks/N4?key=…`, `/findings/12?key=…` — coordinators' key only.
* `/events?key=…&view=screen|page` — server-sent events: the screen's new body, or "reload".
* `/healthz` — database reachable, adapters connected, scheduler alive (no key, no data).
* `/static/…` — the one stylesheet and the one script.

A missing, wrong or rotated key gets the same 404 as a page that does not exist. Every answer
carries `Cache-Control: no-store`, a CSP that allows only the hub's own script and style, and
`Referrer-Policy: no-referrer`. Nothing here writes to the store.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import web
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy import Engine, text
from sqlmodel import Session

from commands.findings import finding_details
from commands.leaderboard import TOP
from commands.markup import plain
from commands.references import local_time
from extraction.refang import defang
from storage import networks, operations, web_keys
from storage.scope import DEFAULT_OPERATION, operation_scope
from web.charts import line_chart_svg
from web.graph import KIND_COLOURS, graph_svg, network_graph
from web.live import Watcher
from web.screen import PastScores, ScreenView, screen_view

STATIC = Path(__file__).parent / "static"
HEARTBEAT_S = 15.0
COUNTRIES_SHOWN = 6
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex, nofollow",
}
# What /healthz reports besides the database: name → whether it is up (adapters, scheduler).
Probes = Callable[[], Mapping[str, bool]]


@dataclass
class WebConfig:
    """What the web view needs from settings (it never reads settings itself)."""

    timezone: str = "Europe/Amsterdam"
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    probes: Probes = field(default=dict)
    poll_s: float = 0.4


def _not_found() -> web.HTTPNotFound:
    return web.HTTPNotFound(text="404: Not Found")


@web.middleware
async def security_headers(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Every answer, 404s included, carries the headers."""
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        exc.headers.update(SECURITY_HEADERS)
        raise
    response.headers.update(SECURITY_HEADERS)
    return response


class WebView:
    """The handlers, over one engine; `watcher` tells the live pages when the store changed."""

    def __init__(self, engine: Engine, config: WebConfig) -> None:
        self.engine = engine
        self.config = config
        self.watcher = Watcher(self.session, interval_s=config.poll_s)
        self.templates = Environment(
            loader=PackageLoader("web", "templates"), autoescape=select_autoescape(default=True)
        )
        self._screen_cache: tuple[int, str] | None = None
        self.past_scores = PastScores()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for the operation on the screen: the only open one, else the default."""
        with operation_scope(self.operation_id()), Session(self.engine, expire_on_commit=False) as session:
            yield session

    def operation_id(self) -> int:
        """The operation the view shows: the only open one, else the default (until the view
        learns to show one operation per key)."""
        with Session(self.engine) as session:
            open_now = operations.open_operations(session=session)
        if len(open_now) == 1 and open_now[0].id is not None:
            return open_now[0].id
        return DEFAULT_OPERATION

    # access -------------------------------------------------------------------------------
    def _role(self, key: str) -> str | None:
        with self.session() as session:
            return web_keys.role_of(key, session=session)

    async def require(self, request: web.Request, *roles: str) -> str:
        """The request's key; a 404 unless it is the current key of one of `roles`."""
        key = request.query.get("key", "")
        role = await asyncio.to_thread(self._role, key) if key else None
        if role not in roles:
            raise _not_found()
        return key

    def _page(self, template: str, *, key: str, view: str, **values: Any) -> web.Response:
        events = f"/events?key={key}&view={view}"
        html = self.templates.get_template(template).render(key=key, view=view, events_url=events, **values)
        return web.Response(text=html, content_type="text/html", charset="utf-8")

    # the screen ---------------------------------------------------------------------------
    def screen_body(self) -> str:
        """The screen's live part as HTML, rendered from one read of the store."""
        now = self.config.clock()
        with self.session() as session:
            view = screen_view(
                session=session, now=now, timezone=self.config.timezone, past_scores=self.past_scores
            )
        return self.templates.get_template("screen_body.html").render(**self._screen_values(view))

    def _screen_values(self, s: ScreenView) -> dict[str, Any]:
        tz = self.config.timezone
        f, d = s.figures, s.today
        figures = [
            ("findings", "findings", f.findings, d.findings),
            ("thb_urls", "THB URLs", f.thb_urls, d.thb_urls),
            ("potential_victims", "potential victims", f.potential_victims, d.potential_victims),
            (
                "potential_perpetrators",
                "potential perpetrators",
                f.potential_perpetrators,
                d.potential_perpetrators,
            ),
            (
                "platforms_checked",
                f"platforms checked · {f.platforms_with_indications} with indications",
                f.platforms_checked,
                d.platforms_checked,
            ),
            ("social_profiles", "social profiles", f.social_profiles, d.social_profiles),
            ("networks", "networks", f.networks, s.networks_today),
        ]
        ticker = []
        for row in s.ticker:
            marks = [("new", "new") if row.first else ("duplicate", "duplicate")]
            if row.linked:
                marks.append(("linked", "linked"))
            if row.thb_suspect and row.judgement != "rejected":
                marks.append(("suspect", "⚠ THB-suspect"))
            if row.judgement:
                marks.append(("confirmed" if row.judgement == "confirmed" else "duplicate", row.judgement))
            ticker.append(
                {
                    "row": row,
                    "finding_id": row.finding_id,
                    "site": defang(row.platform) if row.platform else "unknown site",
                    "local": row.at.astimezone(_zone(tz)).strftime("%a %H:%M"),
                    "marks": marks,
                }
            )
        return {
            "s": s,
            "figures": [{"key": k, "label": label, "value": v, "today": t} for k, label, v, t in figures],
            "people": s.board.rows[:TOP],
            "countries": s.board.countries[:COUNTRIES_SHOWN],
            "frozen_at": local_time(s.board.frozen_at, tz) if s.board.frozen_at else "",
            "now_local": local_time(s.now, tz),
            "ticker": ticker,
            "people_chart": Markup(line_chart_svg("Score over time — top participants", s.people)),
            "country_chart": Markup(line_chart_svg("Score over time — top countries", s.countries)),
        }

    async def current_screen(self, generation: int) -> str:
        """The screen body for the store's `generation`, rendered once for every viewer."""
        cached = self._screen_cache
        if cached is not None and cached[0] == generation:
            return cached[1]
        html = await asyncio.to_thread(self.screen_body)
        self._screen_cache = (generation, html)
        return html

    async def screen(self, request: web.Request) -> web.Response:
        key = await self.require(request, web_keys.VENUE, web_keys.COORDINATOR)
        await self.watcher.poll_once()  # a page load shows the store as it is now, not as last polled
        body = await self.current_screen(self.watcher.generation)
        return self._page("screen.html", key=key, view="screen", body=Markup(body))

    # coordinators' pages ------------------------------------------------------------------
    def _network_rows(self) -> list[dict[str, Any]]:
        with self.session() as session:
            rows = []
            for number in networks.network_ids(session=session, suspect_only=False):
                graph = network_graph(number, session=session)
                if graph is None or graph.number != number:
                    continue
                kinds = sorted({kind for kind, _, _ in graph.identifiers})
                rows.append(
                    {
                        "number": number,
                        "findings": len(graph.findings),
                        "suspects": sum(1 for f in graph.findings if f.thb_suspect),
                        "via": ", ".join(
                            f"{len([i for i in graph.identifiers if i[0] == k])} {k}" for k in kinds
                        )
                        or "–",
                        "texts": len(graph.text_links),
                    }
                )
        return rows

    async def networks(self, request: web.Request) -> web.Response:
        key = await self.require(request, web_keys.COORDINATOR)
        rows = await asyncio.to_thread(self._network_rows)
        return self._page("networks.html", key=key, view="page", rows=rows)

    def _network_page(self, number: int, key: str) -> dict[str, Any] | None:
        with self.session() as session:
            graph = network_graph(number, session=session)
        if graph is None:
            return None
        svg = graph_svg(graph, finding_href=f"/findings/{{id}}?key={key}")
        return {
            "g": graph,
            "svg": Markup(svg),
            "suspects": sum(1 for f in graph.findings if f.thb_suspect),
            "kinds": list(KIND_COLOURS.items()),
        }

    async def network(self, request: web.Request) -> web.Response:
        key = await self.require(request, web_keys.COORDINATOR)
        number = _number(request.match_info["number"], "N")
        values = await asyncio.to_thread(self._network_page, number, key) if number is not None else None
        if values is None:
            raise _not_found()
        return self._page("network.html", key=key, view="page", **values)

    def _finding_page(self, number: int) -> dict[str, Any] | None:
        with self.session() as session:
            details = finding_details(
                number, now=self.config.clock(), timezone=self.config.timezone, session=session
            )
            if details is None:
                return None
            found, lines = details
            live = networks.resolve(found.network_id, session=session) if found.network_id else None
            size = len(networks.members(live, session=session)) if live is not None else 0
        shown = [plain(line) for line in lines]  # a page shows text: code spans and emphasis unmarked
        return {"number": number, "head": shown[0], "lines": shown[1:], "network": live if size > 1 else None}

    async def finding(self, request: web.Request) -> web.Response:
        key = await self.require(request, web_keys.COORDINATOR)
        number = _number(request.match_info["number"], "#")
        values = await asyncio.to_thread(self._finding_page, number) if number is not None else None
        if values is None:
            raise _not_found()
        return self._page("finding.html", key=key, view="page", **values)

    # live ---------------------------------------------------------------------------------
    async def events(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: the screen's body on every change (view=screen), else "changed"."""
        view = request.query.get("view", "screen")
        roles = (web_keys.VENUE, web_keys.COORDINATOR) if view == "screen" else (web_keys.COORDINATOR,)
        key = await self.require(request, *roles)
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "X-Accel-Buffering": "no"}
        )
        response.headers.update(SECURITY_HEADERS)
        await response.prepare(request)
        seen = self.watcher.generation
        try:
            while True:
                generation = await self.watcher.wait_past(seen, HEARTBEAT_S)
                if generation == seen:
                    await response.write(b": still here\n\n")
                    continue
                seen = generation
                if await asyncio.to_thread(self._role, key) not in roles:
                    await response.write(b"event: gone\ndata: {}\n\n")
                    break
                if view == "screen":
                    html = await self.current_screen(generation)
                    data = json.dumps({"version": generation, "html": html})
                    await response.write(f"event: screen\ndata: {data}\n\n".encode())
                else:
                    await response.write(f"event: changed\ndata: {generation}\n\n".encode())
        except ConnectionResetError:  # the browser went away
            pass
        return response

    # health -------------------------------------------------------------------------------
    def _database_ok(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    async def healthz(self, request: web.Request) -> web.Response:
        """200 when the database answers and every probe is up, else 503; the parts as JSON."""
        database = await asyncio.to_thread(self._database_ok)
        probes = dict(self.config.probes())
        ok = database and all(probes.values())
        body = {"ok": ok, "database": database, **probes}
        return web.json_response(body, status=200 if ok else 503)

    async def no_icon(self, request: web.Request) -> web.Response:
        """Browsers ask for one; there is none (and no 404 in the console)."""
        return web.Response(status=204)

    async def static(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        path = STATIC / name
        if name not in {"hub.css", "live.js"} or not path.is_file():
            raise _not_found()
        kind = "text/css" if name.endswith(".css") else "text/javascript"
        return web.Response(body=path.read_bytes(), content_type=kind, charset="utf-8")


def _zone(timezone: str) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(timezone)


def _number(token: str, prefix: str) -> int | None:
    """`N4` / `4` (networks), `12` / `#12` (findings) as a number; None for anything else."""
    token = token.removeprefix(prefix).removeprefix(prefix.lower())
    return int(token) if token.isdigit() and len(token) <= 12 else None


VIEW = web.AppKey("view", WebView)


def build_app(engine: Engine, config: WebConfig | None = None) -> web.Application:
    """The web view's application; its watcher polls the store while the app runs."""
    view = WebView(engine, config or WebConfig())
    app = web.Application(middlewares=[security_headers])
    app[VIEW] = view
    app.router.add_get("/screen", view.screen)
    app.router.add_get("/networks", view.networks)
    app.router.add_get("/networks/{number}", view.network)
    app.router.add_get("/findings/{number}", view.finding)
    app.router.add_get("/events", view.events)
    app.router.add_get("/healthz", view.healthz)
    app.router.add_get("/static/{name}", view.static)
    app.router.add_get("/favicon.ico", view.no_icon)

    async def watch(app: web.Application) -> Any:
        stop = asyncio.Event()
        task = asyncio.create_task(view.watcher.run(stop))
        yield
        stop.set()
        await task

    app.cleanup_ctx.append(watch)
    return app
