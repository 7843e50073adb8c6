"""The audit log: every state change, with who and when."""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import AuditEntry


def record(
    actor: str,
    action: str,
    subject: str = "",
    *,
    at: datetime,
    detail: dict[str, object] | None = None,
    session: Session,
) -> None:
    session.add(
        AuditEntry(
            at=at, actor=actor, action=action, subject=subject, detail=json.dumps(detail or {}, default=str)
        )
    )


def recent(limit: int = 50, *, session: Session) -> list[AuditEntry]:
    return list(session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(limit)))
