"""Identifiers (one row per kind+value) and their links to findings and messages."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from storage.models import FindingIdentifier, Identifier, SubmissionIdentifier
from storage.upsert import insert_ignore


def identifier_id(kind: str, value: str, *, session: Session) -> int:
    insert_ignore(
        Identifier, {"kind": kind, "value": value, "ignored": False}, ["kind", "value"], session=session
    )
    row = session.exec(select(Identifier).where(Identifier.kind == kind, Identifier.value == value)).one()
    assert row.id is not None
    return row.id


def attach_to_finding(
    finding_id: int, identifiers: Iterable[tuple[str, str, str, bool]], *, session: Session
) -> list[int]:
    """Link (kind, value, source, obscured) identifiers to a finding; returns their ids."""
    ids: list[int] = []
    for kind, value, source, obscured in identifiers:
        ident = identifier_id(kind, value, session=session)
        insert_ignore(
            FindingIdentifier,
            {"finding_id": finding_id, "identifier_id": ident, "source": source, "obscured": obscured},
            ["finding_id", "identifier_id"],
            session=session,
        )
        ids.append(ident)
    return ids


def attach_to_submission(
    submission_id: int, identifiers: Iterable[tuple[str, str]], *, session: Session
) -> None:
    for kind, value in identifiers:
        ident = identifier_id(kind, value, session=session)
        insert_ignore(
            SubmissionIdentifier,
            {"submission_id": submission_id, "identifier_id": ident},
            ["submission_id", "identifier_id"],
            session=session,
        )


def identifiers_by_finding(*, session: Session) -> dict[int, list[tuple[str, str]]]:
    stmt = (
        select(FindingIdentifier.finding_id, Identifier.kind, Identifier.value)
        .join(Identifier, col(Identifier.id) == col(FindingIdentifier.identifier_id))
        .order_by(col(Identifier.kind), col(Identifier.value))
    )
    out: dict[int, list[tuple[str, str]]] = {}
    for finding_id, kind, value in session.exec(stmt):
        out.setdefault(finding_id, []).append((kind, value))
    return out


def findings_with_identifier(kind: str, value: str, *, session: Session) -> list[int]:
    stmt = (
        select(FindingIdentifier.finding_id)
        .join(Identifier, col(Identifier.id) == col(FindingIdentifier.identifier_id))
        .where(Identifier.kind == kind, Identifier.value == value)
        .order_by(col(FindingIdentifier.finding_id))
    )
    return list(session.exec(stmt))


def identifiers_by_finding_id(finding_id: int, *, session: Session) -> list[tuple[str, str]]:
    stmt = (
        select(Identifier.kind, Identifier.value)
        .join(FindingIdentifier, col(Identifier.id) == col(FindingIdentifier.identifier_id))
        .where(FindingIdentifier.finding_id == finding_id)
        .order_by(col(Identifier.kind), col(Identifier.value))
    )
    return [(kind, value) for kind, value in session.exec(stmt)]
