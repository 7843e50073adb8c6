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


def names_in_use(*, besides: str, session: Session) -> list[str]:
    """Every participant's name but `besides`'s (display names are unique within the hub)."""
    return list(session.exec(select(Participant.name).where(Participant.id != besides)))


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
