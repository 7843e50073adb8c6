"""`/operation`: the current operation (action week) for everyone: name, dates, day N of M, counts."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from commands.core.context import Context
from commands.core.registry import command
from commands.core.seam import Invocation, Reply
from commands.references import counted
from storage import operations
from storage.models import Operation, Participant
from storage.scope import operation_id


@command("operation")
def operation(ctx: Context, inv: Invocation, participant: Participant | None) -> Reply:
    """The current operation: name, dates, day N of M, findings and members."""
    with ctx.read() as session:
        current = session.get(Operation, operation_id())
        if current is None:
            return Reply("No operation serves this chat.")
        counts = operations.row_counts(current.id or 0, session=session)
    today = ctx.now().astimezone(ZoneInfo(current.timezone)).date()
    lines = [f"{current.name} ({current.code})", f"• {period(current, today)}"]
    if current.closed_at is not None:
        lines.append(f"• closed on {current.closed_at.date().isoformat()}: nothing new is recorded")
    lines.append(
        f"• {counted(counts.get('findings', 0), 'finding')}, {counted(counts.get('reports', 0), 'report')}, "
        f"{counted(counts.get('memberships', 0), 'member')}"
    )
    if current.retention_until:
        lines.append(f"• its data is kept until {current.retention_until}")
    return Reply("\n".join(lines))


def period(current: Operation, today: date) -> str:
    """ "16–22 Sep 2025, day 3 of 7" (or what of it is known)."""
    if not current.starts_on:
        return "no dates set"
    start = date.fromisoformat(current.starts_on)
    if not current.ends_on:
        return f"since {start.isoformat()}"
    end = date.fromisoformat(current.ends_on)
    total = (end - start).days + 1
    span = f"{start.isoformat()} – {end.isoformat()}"
    if today < start:
        return f"{span}, starts in {counted((start - today).days, 'day')}"
    if today > end:
        return f"{span}, ended"
    return f"{span}, day {(today - start).days + 1} of {total}"
