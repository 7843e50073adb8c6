"""/freeze and /unfreeze: stop showing the standings to participants near the end (as CTFd does)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from commands.core.dispatcher import NOT_RECORDED
from commands.core.registry import command
from commands.core.seam import Invocation, Reply
from commands.leaderboard import frozen_since
from commands.references import local_time
from storage import audit, board_state
from storage.models import Participant
from storage.tallies import live as live_tallies

if TYPE_CHECKING:
    from commands.core.dispatcher import Hub


@command("freeze", coordinator=True)
def freeze(hub: Hub, inv: Invocation, participant: Participant | None) -> Reply:
    """Freeze the leaderboard: participants see the standings as of now until /unfreeze."""
    assert participant is not None
    with hub.session() as session:
        since = frozen_since(session=session)
        if since is not None:
            return Reply(
                f"The leaderboard is already frozen since {local_time(since, hub.config.timezone)}. "
                f"{NOT_RECORDED}"
            )
        board_state.set_state(
            board_state.FROZEN, inv.ts.isoformat(), at=inv.ts, by=participant.id, session=session
        )
        live_tallies.freeze(session=session)
        audit.record(participant.id, "board.frozen", board_state.FROZEN, at=inv.ts, session=session)
        session.commit()
    return Reply(
        f"❄ Leaderboard frozen at {local_time(inv.ts, hub.config.timezone)} by {participant.name}: "
        "participants now see the standings as of this moment; coordinators still see them live."
    )


@command("unfreeze", coordinator=True)
def unfreeze(hub: Hub, inv: Invocation, participant: Participant | None) -> Reply:
    """Unfreeze the leaderboard: everyone sees the live standings again."""
    assert participant is not None
    with hub.session() as session:
        since = frozen_since(session=session)
        if since is None:
            return Reply(f"The leaderboard is not frozen. {NOT_RECORDED}")
        board_state.clear_state(board_state.FROZEN, session=session)
        live_tallies.unfreeze(session=session)
        audit.record(
            participant.id,
            "board.unfrozen",
            board_state.FROZEN,
            at=inv.ts,
            detail={"frozen_since": since.isoformat()},
            session=session,
        )
        session.commit()
    return Reply(f"🔥 Leaderboard unfrozen by {participant.name}: the live standings are shown again.")
