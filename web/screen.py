"""What the venue screen shows, read with the functions /counts and /leaderboard use.

The standings are `commands.leaderboard.current_board` as participants see it (frozen during a
freeze), the figures `commands.outcomes.outcomes` with today's change from `storage.recent`
(the digest's "new since"), the score over time `commands.scoring.standings(as_of=…)`, so the
wall, the chat and the digests never disagree.
"""

from __future__ import annotations

import time as monotonic
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from commands.leaderboard import Board, current_board
from commands.outcomes import Outcomes, outcomes
from commands.scoring import country_standings, standings
from storage import networks, recent
from storage.models import Report
from storage.recent import Recent
from storage.tallies.queries import Standing
from storage.ticker import TickerRow, latest_reports

TICKER = 11
TOP_SERIES = 5
SAMPLES = 14


@dataclass(frozen=True, slots=True)
class Series:
    """One line of the score-over-time chart: (moment, points) from the first report on."""

    name: str
    points: tuple[tuple[datetime, float], ...]


@dataclass(frozen=True, slots=True)
class ScreenView:
    board: Board
    figures: Outcomes
    today: Recent
    networks_today: int
    people: tuple[Series, ...]
    countries: tuple[Series, ...]
    ticker: tuple[TickerRow, ...]
    now: datetime
    timezone: str


def local_midnight(now: datetime, timezone: str) -> datetime:
    """The start of `now`'s day in the operation's time zone."""
    zone = ZoneInfo(timezone)
    return datetime.combine(now.astimezone(zone).date(), time(0), tzinfo=zone)


def sample_times(start: datetime, end: datetime, samples: int = SAMPLES) -> list[datetime]:
    """`samples` moments from `start` to `end` (both included), evenly spaced."""
    if end <= start:
        return [end]
    step = (end - start) / (samples - 1)
    return [start + step * i for i in range(samples - 1)] + [end]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass
class PastScores:
    """The standings at the chart's past moments, reused for `max_age_s`: each is a recomputation
    over every report (`standings(as_of=…)`), too slow to repeat on every paste of a big week.
    The chart's last point is always the live board."""

    max_age_s: float = 60.0
    clock: Callable[[], float] = monotonic.monotonic
    _kept: tuple[float, tuple[datetime, datetime], list[datetime], list[list[Standing]]] | None = field(
        default=None, init=False
    )

    def at(
        self, start: datetime, end: datetime, *, session: Session
    ) -> tuple[list[datetime], list[list[Standing]]]:
        """(past moments, the standings at each) from `start` towards `end`."""
        kept = self._kept
        if (
            kept is not None
            and self.clock() - kept[0] < self.max_age_s
            and kept[1][0] == start
            and kept[1][1] <= end
        ):
            return kept[2], kept[3]
        moments = sample_times(start, max(end, start))[:-1]
        rows = [standings(session=session, as_of=moment) for moment in moments]
        self._kept = (self.clock(), (start, end), moments, rows)
        return moments, rows


def score_series(
    board: Board, *, session: Session, past_scores: PastScores | None = None
) -> tuple[tuple[Series, ...], tuple[Series, ...]]:
    """The top participants' and countries' points over the week (to the freeze when frozen)."""
    first, last = session.execute(select(func.min(col(Report.ts)), func.max(col(Report.ts)))).one()
    if first is None:
        return (), ()
    end = _aware(last)
    if board.showing_frozen and board.frozen_at is not None:
        end = min(end, board.frozen_at)
    start = _aware(first) - timedelta(minutes=1)
    earlier, past = (past_scores or PastScores(max_age_s=0)).at(start, end, session=session)
    moments = [*earlier, max(end, start)]
    past = [*past, list(board.rows)]  # the last point is the board itself
    top = [row.participant_id for row in board.rows[:TOP_SERIES] if row.points > 0]
    names = {row.participant_id: row.name for row in board.rows}
    people = tuple(
        Series(
            names[pid],
            tuple(
                (moment, next((r.points for r in rows if r.participant_id == pid), 0.0))
                for moment, rows in zip(moments, past, strict=True)
            ),
        )
        for pid in top
    )
    by_country = [{c.country: c.points for c in country_standings(rows)} for rows in past]
    countries = tuple(
        Series(
            c.country,
            tuple((m, totals.get(c.country, 0.0)) for m, totals in zip(moments, by_country, strict=True)),
        )
        for c in board.countries[:TOP_SERIES]
        if c.points > 0
    )
    return people, countries


def screen_view(
    *, session: Session, now: datetime, timezone: str, past_scores: PastScores | None = None
) -> ScreenView:
    """Everything the venue screen shows, in one read."""
    board = current_board(session=session, live=False)
    midnight = local_midnight(now, timezone)
    live_networks = networks.network_ids(session=session, suspect_only=True)
    people, countries = score_series(board, session=session, past_scores=past_scores)
    return ScreenView(
        board=board,
        figures=outcomes(session=session),
        today=recent.recent(midnight, session=session),
        networks_today=len(recent.networks_created_since(live_networks, midnight, session=session)),
        people=people,
        countries=countries,
        ticker=tuple(latest_reports(TICKER, session=session)),
        now=now,
        timezone=timezone,
    )
