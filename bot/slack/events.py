"""What Slack delivers — message events, `/hub` slash commands, button presses — as `Invocation`s.

Message keys come from Slack's own ids (event_id, trigger_id, action_ts), so a delivery Slack
retries is stored once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from commands.core.seam import Invocation

# Message subtypes that are a person writing something; edits, joins and bot posts are not.
PERSON_SUBTYPES = {None, "thread_broadcast", "file_share"}


def slack_time(ts: str) -> datetime:
    """Slack's `ts` ("1726384992.000200", seconds since the epoch) as an aware datetime."""
    return datetime.fromtimestamp(float(ts), UTC)


def message_invocation(body: dict[str, Any]) -> Invocation | None:
    """A channel or DM message from a person; None for edits, bot posts and other noise."""
    event = body.get("event") or {}
    if event.get("subtype") not in PERSON_SUBTYPES or event.get("bot_id") or not event.get("user"):
        return None
    ts = str(event["ts"])
    return Invocation(
        participant_id=f"slack:{event['user']}",
        platform="slack",
        chat_id=f"slack:{event['channel']}",
        text=str(event.get("text") or ""),  # <https://…|label> markup is left to find_links
        ts=slack_time(ts),
        message_key=f"slack:{body.get('event_id') or event.get('client_msg_id') or ts}",
        thread_ref=str(event.get("thread_ts") or ts),
        private=event.get("channel_type") == "im",
    )


def command_invocation(body: dict[str, Any], now: datetime) -> Invocation:
    """`/hub status` → "/status"; a bare `/hub` is "/help"."""
    words = str(body.get("text") or "").strip().lstrip("/")
    channel = str(body.get("channel_id") or "")
    return Invocation(
        participant_id=f"slack:{body['user_id']}",
        platform="slack",
        chat_id=f"slack:{channel}",
        text=f"/{words}" if words else "/help",
        ts=now,
        message_key=f"slack:cmd:{body['trigger_id']}",
        participant_name=str(body.get("user_name") or ""),
        private=channel.startswith("D") or body.get("channel_name") == "directmessage",
    )


def action_invocation(body: dict[str, Any], action: dict[str, Any]) -> Invocation:
    """A button press runs the command line in its value, as the presser."""
    user = body.get("user") or {}
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id", "")
    message = body.get("message") or {}
    stamp = str(action.get("action_ts") or "")
    return Invocation(
        participant_id=f"slack:{user['id']}",
        platform="slack",
        chat_id=f"slack:{channel}",
        text=str(action.get("value") or ""),
        ts=slack_time(stamp) if stamp else datetime.now(UTC),
        message_key=f"slack:action:{stamp or body.get('trigger_id')}",
        participant_name=str(user.get("username") or user.get("name") or ""),
        thread_ref=message.get("thread_ts") or message.get("ts"),
        private=str(channel).startswith("D"),
    )
