"""PNG charts for /leaderboard chart and the digest. matplotlib is imported lazily (Agg, no display)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlmodel import Session

from commands.scoring import CountryTotal
from storage.tallies import queries as tallies
from storage.tallies.queries import Standing

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TOP = 10
KIND_ORDER = ("escort", "dating", "job", "marketplace", "social", "messaging", "darkweb", "other")


def _figure(width: float, height: float) -> Figure:
    # The object API with the Agg canvas: no pyplot global state, safe in worker threads.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


@contextmanager
def _literal_text() -> Iterator[None]:
    """Every text of the charts built inside is drawn as written: a name like `$\\frac{$` is not
    read as mathtext (which would raise and break the chart), and nothing goes to LaTeX."""
    import matplotlib

    with matplotlib.rc_context({"text.parse_math": False, "text.usetex": False}):
        yield


def leaderboard_png(rows: list[Standing], countries: list[CountryTotal]) -> bytes:
    """Two bar charts: the top participants and the countries by points."""
    with _literal_text():
        return _leaderboard_png(rows, countries)


def _leaderboard_png(rows: list[Standing], countries: list[CountryTotal]) -> bytes:
    figure = _figure(11, 5)
    people, nations = figure.subplots(1, 2)
    top = rows[:TOP][::-1]
    people.barh([f"{r.name} ({r.country})" for r in top], [r.points for r in top], color="#2b6cb0")
    people.set_title(f"Top {len(top)} participants")
    people.set_xlabel("points")
    best = countries[:TOP][::-1]
    nations.barh([c.country for c in best], [c.points for c in best], color="#c05621")
    nations.set_title(f"Top {len(best)} countries")
    nations.set_xlabel("points")
    figure.suptitle("Action-week leaderboard")
    return _png(figure)


def findings_over_time_png(session: Session) -> bytes:
    """Findings first reported per day (UTC), stacked by platform kind."""
    counts = tallies.findings_per_day(session=session)
    with _literal_text():
        return _findings_over_time_png(counts)


def _findings_over_time_png(counts: list[tuple[str, str, int]]) -> bytes:
    days = sorted({day for day, _, _ in counts})
    kinds = [k for k in KIND_ORDER if any(kind == k for _, kind, _ in counts)]
    kinds += sorted({kind for _, kind, _ in counts} - set(kinds))
    by_key = {(day, kind): n for day, kind, n in counts}
    figure = _figure(9, 4.5)
    axes = figure.subplots()
    bottom = [0] * len(days)
    for kind in kinds:
        heights = [by_key.get((day, kind), 0) for day in days]
        axes.bar(days, heights, bottom=bottom, label=kind)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    axes.set_title("Findings per day by platform kind")
    axes.set_ylabel("findings")
    if kinds:
        axes.legend(loc="upper left", fontsize="small")
    return _png(figure)
