"""Participants and chats: who may write, and where."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from storage.models import Chat, Participant
from storage.upsert import insert_ignore


def get_participant(participant_id: str, *, session: Session) -> Participant | None:
    return session.get(Participant, participant_id)


def register_participant(
    participant_id: str,
    *,
    platform: str,
    name: str,
    country: str,
    at: datetime,
    role: str = "participant",
    session: Session,
) -> tuple[Participant, bool]:
    """Register if unknown; returns the participant and whether it was created now."""
    created = insert_ignore(
        Participant,
        {
            "id": participant_id,
            "platform": platform,
            "name": name,
            "country": country.upper(),
            "role": role,
            "joined_at": at,
        },
        ["id"],
        session=session,
    )
    participant = session.get(Participant, participant_id, populate_existing=True)
    assert participant is not None
    return participant, created


def enrol(
    participant_id: str,
    wanted: str,
    *,
    platform: str,
    country: str,
    at: datetime,
    role: str = "participant",
    session: Session,
) -> tuple[Participant, bool]:
    """Register the participant if unknown and make them a member of the operation in scope
    under `wanted` (or the first free `wanted 2`…); returns them and whether they are new."""
    from storage import operations

    found, created = register_participant(
        participant_id, platform=platform, name=wanted, country=country, at=at, role=role, session=session
    )
    name = operations.join(participant_id, wanted, at=at, session=session)
    if name != found.name:
        update_participant(found, name=name, session=session)
    return found, created


def update_participant(
    participant: Participant, *, name: str | None = None, country: str | None = None, session: Session
) -> Participant:
    if name:
        participant.name = name
    if country:
        participant.country = country.upper()
    session.add(participant)
    session.flush()
    return participant


def set_role(participant_id: str, role: str, *, session: Session) -> None:
    participant = session.get(Participant, participant_id)
    if participant is not None and participant.role != role:
        participant.role = role
        session.add(participant)
        session.flush()


def all_participants(*, session: Session) -> list[Participant]:
    return list(session.exec(select(Participant).order_by(Participant.id)))


def ensure_chat(chat_id: str, *, platform: str, allowed: bool, title: str = "", session: Session) -> Chat:
    insert_ignore(
        Chat,
        {"id": chat_id, "platform": platform, "allowed": allowed, "title": title},
        ["id"],
        session=session,
    )
    chat = session.get(Chat, chat_id, populate_existing=True)
    assert chat is not None
    if allowed and not chat.allowed:
        chat.allowed = True
        session.add(chat)
        session.flush()
    return chat
