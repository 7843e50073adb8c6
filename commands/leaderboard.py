"""/leaderboard, the live board text that adapters pin and edit (top 10), and /freeze and
/unfreeze: stop showing the standings to participants near the end (as CTFd does)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session

from commands.core.context import Context
from commands.core.registry import command
from commands.core.seam import Invocation, Reply, refusal
from commands.references import counted, local_time
from commands.scoring import CountryTotal, country_standings, frozen_standings, standings
from storage import audit, boards
from storage.models import Participant
from storage.tallies import live as live_tallies
from storage.tallies.queries import Standing

TOP = 10
USAGE = (
    "Usage: /leaderboard [countries|chart] [share] — e.g. /leaderboard countries, /leaderboard chart share."
)
MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}


@dataclass(frozen=True, slots=True)
class Board:
    """The standings someone may see now: frozen ones for participants during a freeze."""

    rows: list[Standing]
    countries: list[CountryTotal]
    frozen_at: datetime | None  # set while the board is frozen
    showing_frozen: bool  # the rows are the frozen standings


def frozen_since(*, session: Session) -> datetime | None:
    state = boards.get_state(boards.FROZEN, session=session)
    return datetime.fromisoformat(state.value) if state and state.value else None


def current_board(*, session: Session, live: bool) -> Board:
    """`live` lifts the freeze (coordinators see the real standings)."""
    frozen_at = frozen_since(session=session)
    showing_frozen = frozen_at is not None and not live
    rows = frozen_standings(session=session) if showing_frozen else standings(session=session)
    return Board(rows, country_standings(rows), frozen_at, showing_frozen)


def _participant_lines(rows: list[Standing], limit: int) -> list[str]:
    lines = []
    for rank, row in enumerate(rows[:limit], 1):
        lines.append(
            f"{MEDALS.get(rank, f'{rank}.')} {row.name} ({row.country}) — {row.points:g} pts · "
            f"{counted(row.findings, 'finding')}, {counted(row.corroborations, 'corroboration')}"
        )
    return lines


def _country_lines(countries: list[CountryTotal], limit: int) -> list[str]:
    return [
        f"{rank}. {c.country} — {c.points:g} pts · {counted(c.findings, 'finding')}, "
        f"{counted(c.participants, 'participant')}"
        for rank, c in enumerate(countries[:limit], 1)
    ]


def _freeze_line(board: Board, timezone: str) -> list[str]:
    if board.frozen_at is None:
        return []
    when = local_time(board.frozen_at, timezone)
    if board.showing_frozen:
        return [f"❄ Frozen since {when}: standings as they were then."]
    return [f"❄ Frozen for participants since {when}; you see the live standings."]


def board_text(board: Board, timezone: str, *, limit: int = TOP) -> str:
    if not board.rows:
        lines = ["🏆 Leaderboard — nobody has scored yet"]
    elif len(board.rows) <= limit:
        lines = [f"🏆 Leaderboard — {counted(len(board.rows), 'participant')}"]
    else:
        lines = [f"🏆 Leaderboard — top {limit} of {len(board.rows)} participants"]
    lines += _freeze_line(board, timezone)
    lines += _participant_lines(board.rows, limit)
    lines.append("Countries:")
    lines += _country_lines(board.countries, limit)
    return "\n".join(lines)


def board_reply(*, session: Session, timezone: str) -> Reply:
    """The text of the pinned board (top 10 participants and countries); frozen when frozen."""
    return Reply(board_text(current_board(session=session, live=False), timezone))


@command("leaderboard", usage="[countries|chart] [share]")
def leaderboard(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """Top participants and countries by points (countries: every country; chart: as a picture)."""
    words = inv.args.strip().lower().split()
    share = "share" in words  # shown to the whole chat where answers go to the asker only (Slack)
    words = [word for word in words if word != "share"]
    view = " ".join(words)
    if view not in ("", "countries", "chart"):
        return refusal(USAGE)
    return replace(_leaderboard(ctx, view, participant), shared=share)


def _leaderboard(ctx: Context, view: str, participant: Participant | None) -> Reply:
    live = participant is not None and ctx.is_coordinator(participant)
    with ctx.read() as session:
        board = current_board(session=session, live=live)
    if view == "countries":
        lines = [f"🏳 Countries — {len(board.countries)}"]
        lines += _freeze_line(board, ctx.config.timezone)
        lines += _country_lines(board.countries, len(board.countries))
        return Reply("\n".join(lines))
    text = board_text(board, ctx.config.timezone)
    if view == "chart":
        from commands.charts import leaderboard_png

        return Reply(text, image=leaderboard_png(board.rows, board.countries), image_name="leaderboard.png")
    return Reply(text)


@command("freeze", coordinator=True)
def freeze(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """Freeze the leaderboard: participants see the standings as of now until /unfreeze."""
    assert participant is not None
    coordinator, timezone = participant, ctx.config.timezone

    def write(session: Session) -> Reply:
        since = frozen_since(session=session)
        if since is not None:
            return refusal(f"The leaderboard is already frozen since {local_time(since, timezone)}.")
        boards.set_state(boards.FROZEN, inv.ts.isoformat(), at=inv.ts, by=coordinator.id, session=session)
        live_tallies.freeze(session=session)
        audit.record(coordinator.id, "board.frozen", boards.FROZEN, at=inv.ts, session=session)
        return Reply(
            f"❄ Leaderboard frozen at {local_time(inv.ts, timezone)} by {coordinator.name}: "
            "participants now see the standings as of this moment; coordinators still see them live."
        )

    return ctx.record(write)


@command("unfreeze", coordinator=True)
def unfreeze(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """Unfreeze the leaderboard: everyone sees the live standings again."""
    assert participant is not None
    coordinator = participant

    def write(session: Session) -> Reply:
        since = frozen_since(session=session)
        if since is None:
            return refusal("The leaderboard is not frozen.")
        boards.clear_state(boards.FROZEN, session=session)
        live_tallies.unfreeze(session=session)
        audit.record(
            coordinator.id,
            "board.unfrozen",
            boards.FROZEN,
            at=inv.ts,
            detail={"frozen_since": since.isoformat()},
            session=session,
        )
        return Reply(f"🔥 Leaderboard unfrozen by {coordinator.name}: the live standings are shown again.")

    return ctx.record(write)
