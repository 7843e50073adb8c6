"""Participants and the chats they speak in."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class Participant(SQLModel, table=True):
    __tablename__ = "participants"

    id: str = Field(primary_key=True, max_length=128)  # platform-qualified: "tg:1001", "slack:U…"
    platform: str = Field(max_length=32)
    name: str = Field(max_length=200)
    country: str = Field(max_length=2)
    role: str = Field(default="participant", max_length=32)
    joined_at: datetime


class Chat(SQLModel, table=True):
    __tablename__ = "chats"

    id: str = Field(primary_key=True, max_length=128)  # platform-qualified: "telegram:-100…"
    platform: str = Field(max_length=32)
    title: str = Field(default="", max_length=200)
    allowed: bool = Field(default=False)
