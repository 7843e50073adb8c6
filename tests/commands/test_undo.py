"""/undo: my own report, within the window of the message time; ownership passes on; audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from commands.core.dispatcher import Dispatcher
from commands.export.document import export_document
from commands.outcomes import outcomes
from commands.scoring import standings
from storage.models import Finding, Report
from storage.recent import recent
from tests.commands.conftest import T0, URL1, ask, audit_actions, state


def owner(hub: Dispatcher, number: int) -> str:
    with hub.session() as session:
        found = session.get(Finding, number)
        assert found is not None
        return found.reporter_id


def test_undoing_the_first_report_passes_the_finding_to_the_next_reporter(hub_both: Dispatcher) -> None:
    hub = hub_both
    ask(hub, URL1, user="tg:1")
    ask(hub, URL1, user="tg:2", at=T0 + timedelta(minutes=3))
    reply = ask(hub, "/undo #1", user="tg:1", at=T0 + timedelta(minutes=10))
    assert "Your report of #1 is withdrawn" in reply.text and "now belongs to Mihai (RO)" in reply.text
    assert owner(hub, 1) == "tg:2"
    with hub.session() as session:
        retracted = session.exec(select(Report.participant_id).where(col(Report.retracted).is_(True))).all()
    assert retracted == ["tg:1"]
    assert "Mihai (RO)" in ask(hub, "/finding 1", user="tg:3").text.splitlines()[1]
    assert audit_actions(hub)[-1] == "report.retracted"


def test_the_undo_window_is_measured_from_the_report(hub: Dispatcher) -> None:
    ask(hub, URL1)
    before = state(hub)
    late = ask(hub, "/undo 1", at=T0 + hub.config.undo_window + timedelta(seconds=1))
    assert "window has passed" in late.text and state(hub) == before


@pytest.mark.parametrize(
    ("user", "command", "expected"),
    [
        ("tg:2", "/undo 1", "not yours"),
        ("tg:1", "/undo 999", "#999 does not exist"),
        ("tg:1", "/undo", "Usage: /undo <#N>"),
        ("tg:1", "/undo last", "Usage: /undo <#N>"),
    ],
)
def test_undo_refusals_change_nothing(hub: Dispatcher, user: str, command: str, expected: str) -> None:
    ask(hub, URL1)
    before = state(hub)
    assert expected in ask(hub, command, user=user, at=T0 + timedelta(minutes=1)).text
    assert state(hub) == before


def test_a_finding_whose_only_report_is_withdrawn_counts_nowhere(hub_both: Dispatcher) -> None:
    hub = hub_both
    ask(hub, URL1, user="tg:1")
    before = ask(hub, "/counts", user="tg:2").text
    assert "• findings: 1" in before
    reply = ask(hub, "/undo 1", user="tg:1", at=T0 + timedelta(minutes=5))
    assert "no longer counts as a finding, THB URL" in reply.text
    after = ask(hub, "/counts", user="tg:2").text
    assert "• findings: 0" in after and "• THB URLs: 0" in after and "platforms checked: 0" in after
    with hub.session() as session:
        document = export_document(session=session)
    assert [f["withdrawn"] for f in document["findings"]] == [True]
    assert document["counts"]["thb_urls"] == 0
    with hub.session() as session:
        assert all(s.points == 0 for s in standings(session=session))
        since_start = recent(datetime(2000, 1, 1, tzinfo=UTC), session=session)  # the digest's "new"
        now = outcomes(session=session)
    assert (since_start.findings, since_start.social_profiles, since_start.platforms_checked) == (0, 0, 0)
    assert (now.findings, now.social_profiles, now.platforms_checked) == (0, 0, 0)
