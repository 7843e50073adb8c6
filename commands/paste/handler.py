"""A pasted message: its links become findings (new or duplicate), typed identifiers are looked up.

The hub's message handler: every message that is not a command comes here. Plan (fetch and
analyse, no session open: commands/paste/plan.py), record (one short write transaction:
commands/paste/record.py), verdict (the reply, from what was recorded: commands/paste/verdict.py).
"""

from __future__ import annotations

from commands.core.context import Context
from commands.core.registry import message_handler
from commands.core.seam import Invocation, Reply
from commands.paste.plan import plan_paste
from commands.paste.record import record_paste
from commands.paste.verdict import verdict
from extraction.links import find_links
from storage.models import Participant


def checking(text: str) -> str | None:
    """What chat shows at once while the pages of a pasted message are fetched."""
    links = len(find_links(text))
    if not links:
        return None
    return f"👀 checking {links} {'link' if links == 1 else 'links'}…"


@message_handler("paste", acknowledge=checking)
def paste(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """Paste links to check them: each becomes a finding, new or already reported."""
    assert participant is not None and ctx.submission_id is not None
    reporter, submission_id = participant, ctx.submission_id
    plan = plan_paste(ctx, inv, reporter)
    now, enricher = ctx.now(), ctx.enricher
    return ctx.record(
        lambda session: verdict(
            plan,
            record_paste(
                plan, inv, reporter, submission_id=submission_id, now=now, enricher=enricher, session=session
            ),
            inv,
            reporter,
            ctx.config,
        )
    )
