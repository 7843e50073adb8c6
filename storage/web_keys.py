"""The web view's secret link keys: one per role, created on first use, replaced on rotation."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage.models import WebKey
from storage.upsert import insert_ignore

VENUE = "venue"  # the wall screen: standings, figures, ticker
COORDINATOR = "coordinator"  # the screen and the network view with finding details
ROLES = (VENUE, COORDINATOR)


def new_key() -> str:
    """A fresh unguessable key (32 URL-safe characters, 192 bits)."""
    return secrets.token_urlsafe(24)


def key_of(role: str, *, session: Session) -> str | None:
    """The current key of `role`, or None when none was made yet."""
    row = session.get(WebKey, role, populate_existing=True)
    return row.key if row is not None else None


def ensure(role: str, *, at: datetime, by: str, session: Session) -> str:
    """The key of `role`, made now when there is none (two processes racing settle on one)."""
    insert_ignore(
        WebKey,
        {"role": role, "key": new_key(), "created_at": at, "created_by": by},
        ["role"],
        session=session,
    )
    key = key_of(role, session=session)
    assert key is not None
    return key


def rotate(role: str, *, at: datetime, by: str, session: Session) -> str:
    """Replace the key of `role`: links with the old key stop working at once."""
    ensure(role, at=at, by=by, session=session)
    key = new_key()
    session.execute(
        update(WebKey).where(col(WebKey.role) == role).values(key=key, created_at=at, created_by=by)
    )
    return key


def role_of(key: str, *, session: Session) -> str | None:
    """The role whose current key is `key`, or None (compared in constant time)."""
    found = None
    for row in session.exec(select(WebKey)):
        if key and hmac.compare_digest(row.key.encode(), key.encode()):
            found = row.role
    return found
