"""/screen: a coordinator gets the web view's secret links privately; /screen new rotates them."""

from __future__ import annotations

from sqlmodel import Session

from commands.core.context import Context
from commands.core.registry import command
from commands.core.seam import Invocation, Reply, refusal
from storage import audit, web_keys
from storage.models import Participant

USAGE = "Usage: /screen [new [venue|coordinator]] — e.g. /screen, or /screen new to replace both links."


def screen_links(base_url: str, venue_key: str, coordinator_key: str) -> tuple[str, str]:
    """(the venue screen's link, the coordinators' network view link)."""
    base = base_url.rstrip("/")
    return f"{base}/screen?key={venue_key}", f"{base}/networks?key={coordinator_key}"


@command("screen", usage="[new [venue|coordinator]]", coordinator=True)
def screen(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """The secret links of the venue screen and the network view, sent only to you (new: replace them)."""
    assert participant is not None
    coordinator = participant
    words = inv.args.lower().split()
    if words and (
        words[0] != "new" or len(words) > 2 or (len(words) == 2 and words[1] not in web_keys.ROLES)
    ):
        return refusal(USAGE, visibility="private")
    rotating = tuple(words[1:] or web_keys.ROLES) if words else ()
    base_url = ctx.config.web_url

    def write(session: Session) -> Reply:
        for role in rotating:
            web_keys.rotate(role, at=inv.ts, by=coordinator.id, session=session)
            audit.record(coordinator.id, "web.key_rotated", role, at=inv.ts, session=session)
        venue = web_keys.ensure(web_keys.VENUE, at=inv.ts, by=coordinator.id, session=session)
        coord = web_keys.ensure(web_keys.COORDINATOR, at=inv.ts, by=coordinator.id, session=session)
        changed = f"New link for: {', '.join(rotating)} — the old one now answers 404.\n" if rotating else ""
        if base_url is None:
            return Reply(
                changed + "The web view is not served by this hub (set WEB_PORT, or run `hub web`); "
                "its links will use the keys kept now.",
                visibility="private",
            )
        venue_link, coordinator_link = screen_links(base_url, venue, coord)
        return Reply(
            changed + "🖥 Venue screen (put it on the wall; anyone with the link sees the standings, figures "
            f"and a ticker without identifiers):\n{venue_link}\n"
            "🕸 Network view (coordinators only: identifiers and finding details):\n"
            f"{coordinator_link}\n"
            "Keep both out of the team chat. /screen new replaces them if one leaks.",
            visibility="private",
        )

    return ctx.record(write)
