"""The secret keys of the web view's links, one per role (the venue screen, the coordinators')."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class WebKey(SQLModel, table=True):
    """The current key of a role's link; rotating it replaces the row, so the old link is dead."""

    __tablename__ = "web_keys"

    role: str = Field(primary_key=True, max_length=16)  # venue | coordinator
    key: str = Field(max_length=64, unique=True)
    created_at: datetime
    created_by: str = Field(default="", max_length=128)
