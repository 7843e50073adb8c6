"""Operations (action weeks): creating, finding, closing them, their chats, coordinators, members.

These queries run outside any operation scope (storage/scope.py): they decide which operation a
message belongs to before anything is read for it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.models import InOperation, Membership, Operation, OperationChat, OperationCoordinator
from storage.scope import DEFAULT_OPERATION, operation_scope
from storage.upsert import insert_ignore


class OperationError(ValueError):
    """A request about operations that cannot be met (unknown code, chat taken, not closed)."""


def by_code(code: str, *, session: Session) -> Operation:
    """The operation called `code` (any case); OperationError when there is none."""
    found = session.exec(select(Operation).where(func.upper(Operation.code) == code.strip().upper())).first()
    if found is None:
        known = ", ".join(o.code for o in all_operations(session=session)) or "none"
        raise OperationError(f"no operation {code!r} (known: {known})")
    return found


def all_operations(*, session: Session) -> list[Operation]:
    """Every operation, oldest first."""
    return list(session.exec(select(Operation).order_by(col(Operation.id))))


def open_operations(*, session: Session) -> list[Operation]:
    """The operations not closed, oldest first."""
    return [o for o in all_operations(session=session) if o.closed_at is None]


def chats_of(operation_id: int, *, session: Session) -> list[str]:
    """The chats whose messages belong to the operation."""
    stmt = select(OperationChat.chat_id).where(OperationChat.operation_id == operation_id)
    return sorted(session.exec(stmt))


def coordinators_of(operation_id: int, *, session: Session) -> list[str]:
    """The participants who coordinate the operation."""
    stmt = select(OperationCoordinator.participant_id).where(
        OperationCoordinator.operation_id == operation_id
    )
    return sorted(session.exec(stmt))


def operation_of_chat(chat_id: str, *, session: Session) -> Operation | None:
    """The open operation the chat belongs to, else the latest closed one that had it, else None."""
    stmt = (
        select(Operation)
        .join(OperationChat, col(OperationChat.operation_id) == col(Operation.id))
        .where(OperationChat.chat_id == chat_id, col(Operation.purged_at).is_(None))
        .order_by(col(Operation.closed_at).is_not(None), col(Operation.id).desc())
    )
    return session.exec(stmt).first()


def operation_of_member(participant_id: str, *, session: Session) -> Operation | None:
    """The latest open operation the participant is a member of (their private chat's)."""
    stmt = (
        select(Operation)
        .join(Membership, col(Membership.operation_id) == col(Operation.id))
        .where(Membership.participant_id == participant_id, col(Operation.closed_at).is_(None))
        .order_by(col(Operation.id).desc())
    )
    return session.exec(stmt).first()


def create_operation(
    *,
    code: str,
    name: str,
    at: datetime,
    starts_on: str | None = None,
    ends_on: str | None = None,
    timezone: str = "Europe/Amsterdam",
    morning: str = "08:00",
    evening: str = "19:00",
    matching_allowed: bool = True,
    retention_until: str | None = None,
    chats: Sequence[str] = (),
    coordinators: Sequence[str] = (),
    session: Session,
) -> Operation:
    """A new open operation with its chats (each may belong to one open operation only)."""
    code = code.strip().upper()
    if not code or len(code) > 32 or any(c.isspace() for c in code):
        raise OperationError("an operation code is 1 to 32 characters without spaces, e.g. THB-2025")
    if session.exec(select(Operation).where(func.upper(Operation.code) == code)).first() is not None:
        raise OperationError(f"operation {code} exists already")
    operation = Operation(
        code=code,
        name=name.strip() or code,
        starts_on=starts_on,
        ends_on=ends_on,
        timezone=timezone,
        morning=morning,
        evening=evening,
        matching_allowed=matching_allowed,
        retention_until=retention_until,
        created_at=at,
    )
    session.add(operation)
    session.flush()
    assert operation.id is not None
    set_chats(operation.id, chats, session=session)
    set_coordinators(operation.id, coordinators, session=session)
    return operation


def set_chats(operation_id: int, chats: Collection[str], *, session: Session) -> None:
    """Add chats to the operation; a chat of another open operation is refused."""
    for chat in chats:
        other = operation_of_chat(chat, session=session)
        if other is not None and other.id != operation_id and other.closed_at is None:
            raise OperationError(f"chat {chat} belongs to the open operation {other.code}")
        insert_ignore(
            OperationChat,
            {"operation_id": operation_id, "chat_id": chat},
            ["operation_id", "chat_id"],
            session=session,
        )


def set_coordinators(operation_id: int, participant_ids: Collection[str], *, session: Session) -> None:
    """Add coordinators to the operation."""
    for pid in participant_ids:
        insert_ignore(
            OperationCoordinator,
            {"operation_id": operation_id, "participant_id": pid},
            ["operation_id", "participant_id"],
            session=session,
        )


def describe_default(
    *, chats: Collection[str], coordinators: Collection[str], timezone: str, morning: str, evening: str,
    session: Session,
) -> None:  # fmt: skip
    """ALLOWED_CHATS, COORDINATORS and the digest settings describe the default operation while
    it is the only one (the quick start): its chats and coordinators follow them."""
    default = session.get(Operation, DEFAULT_OPERATION)
    if default is None or len(all_operations(session=session)) != 1 or default.closed_at is not None:
        return
    default.timezone, default.morning, default.evening = timezone, morning, evening
    session.add(default)
    session.flush()
    set_chats(DEFAULT_OPERATION, chats, session=session)
    set_coordinators(DEFAULT_OPERATION, coordinators, session=session)


def past_retention(today: date, *, session: Session) -> list[Operation]:
    """Closed operations not purged whose retention date is before `today`."""
    with operation_scope(None):
        return [
            o
            for o in all_operations(session=session)
            if o.closed_at is not None
            and o.purged_at is None
            and o.retention_until
            and o.retention_until < today.isoformat()
        ]


def close_operation(operation: Operation, *, at: datetime, session: Session) -> None:
    """Close the operation: no new pastes, no digests, the board frozen; exports still work."""
    if operation.closed_at is not None:
        raise OperationError(f"operation {operation.code} is closed already")
    operation.closed_at = at
    session.add(operation)
    session.flush()


def is_member(participant_id: str, operation_id: int, *, session: Session) -> bool:
    """True when the participant belongs to the operation."""
    return session.get(Membership, (operation_id, participant_id)) is not None


def join(participant_id: str, wanted: str, *, at: datetime, session: Session) -> str:
    """Make the participant a member of the operation in scope under `wanted`, or `wanted 2`…
    when someone there has that name already (any case); returns the name given.

    The unique index on (operation, name) settles two people joining under one name at the same
    moment: the loser's insert fails inside a savepoint and takes the next free name."""
    from storage.scope import operation_id

    op_id = operation_id()
    taken = member_names(besides=participant_id, session=session)
    for _ in range(100):
        name = _free(wanted, taken)
        try:
            with session.begin_nested():
                member = session.get(Membership, (op_id, participant_id))
                if member is None:
                    member = Membership(
                        operation_id=op_id,
                        participant_id=participant_id,
                        name=name,
                        name_key=name.casefold(),
                        joined_at=at,
                    )
                else:
                    member.name, member.name_key = name, name.casefold()
                session.add(member)
                session.flush()
            return name
        except IntegrityError:
            if not _name_taken(name, besides=participant_id, session=session):
                raise  # not the name: something else is wrong
            taken.append(name)
    raise RuntimeError(f"no free name for {wanted!r} after 100 tries")


def _name_taken(name: str, *, besides: str, session: Session) -> bool:
    stmt = select(Membership.participant_id).where(
        Membership.name_key == name.casefold(), Membership.participant_id != besides
    )
    return session.exec(stmt).first() is not None


def member_names(*, besides: str, session: Session) -> list[str]:
    """The names of the members of the operation in scope, but `besides`'s."""
    return list(session.exec(select(Membership.name).where(Membership.participant_id != besides)))


def _free(name: str, taken: Collection[str]) -> str:
    used = {t.casefold() for t in taken}
    if name.casefold() not in used:
        return name
    n = 2
    while f"{name} {n}".casefold() in used:
        n += 1
    return f"{name} {n}"


def row_counts(operation_id: int, *, session: Session) -> dict[str, int]:
    """Rows the operation holds, per table (for `hub operation show` and purge's audit line)."""
    counts: dict[str, int] = {}
    with operation_scope(None):
        for table in sorted(operation_tables(), key=lambda t: str(t.__tablename__)):
            stmt = select(func.count()).select_from(table).where(col(table.operation_id) == operation_id)
            counts[str(table.__tablename__)] = int(session.exec(stmt).one())
    return counts


def operation_tables() -> list[type[InOperation]]:
    """Every table whose rows belong to an operation."""
    return [m for m in _subclasses(InOperation) if getattr(m, "__table__", None) is not None]


def _subclasses(cls: type) -> list[type]:
    out: list[type] = []
    subs: list[type] = cls.__subclasses__()
    for sub in subs:
        out.append(sub)
        out.extend(_subclasses(sub))
    return list(dict.fromkeys(out))


def purge_operation(operation: Operation, *, at: datetime, session: Session) -> dict[str, int]:
    """Delete every row of a closed operation (its tallies, members, chats included), then the
    identifiers and participants nothing else refers to; mark it purged and leave one audit line
    with the counts. Returns the rows deleted per table."""
    import json

    from sqlalchemy import delete, exists
    from sqlmodel import SQLModel

    from storage.models import (
        AuditEntry,
        FindingIdentifier,
        Identifier,
        Participant,
        Report,
        Submission,
        SubmissionIdentifier,
    )

    if operation.closed_at is None:
        raise OperationError(f"operation {operation.code} is open: close it first (hub operation close)")
    if operation.purged_at is not None:
        raise OperationError(f"operation {operation.code} was purged already")
    op_id = operation.id or 0
    counts = {table: n for table, n in row_counts(op_id, session=session).items() if n}
    owned = {m.__tablename__ for m in operation_tables()}
    with operation_scope(None):
        for table in reversed(SQLModel.metadata.sorted_tables):  # rows that point at others first
            if table.name in owned:
                session.execute(delete(table).where(table.c.operation_id == op_id))
        for model in (OperationChat, OperationCoordinator):
            session.execute(delete(model).where(col(model.operation_id) == op_id))
        used = exists().where(col(FindingIdentifier.identifier_id) == col(Identifier.id))
        typed = exists().where(col(SubmissionIdentifier.identifier_id) == col(Identifier.id))
        orphans = session.execute(delete(Identifier).where(~used, ~typed))
        counts["identifiers"] = int(getattr(orphans, "rowcount", 0) or 0)
        member = exists().where(col(Membership.participant_id) == col(Participant.id))
        reported = exists().where(col(Report.participant_id) == col(Participant.id))
        wrote = exists().where(col(Submission.participant_id) == col(Participant.id))
        people = session.execute(delete(Participant).where(~member, ~reported, ~wrote))
        counts["participants"] = int(getattr(people, "rowcount", 0) or 0)
        operation.purged_at = at
        session.add(operation)
        session.add(
            AuditEntry(
                operation_id=op_id,
                at=at,
                actor="hub operation purge",
                action="operation.purged",
                subject=operation.code,
                detail=json.dumps(counts, sort_keys=True),
            )
        )
        session.flush()
    return counts
