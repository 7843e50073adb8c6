"""The scoring rules of commands/scoring.py, computed in SQL, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from itertools import count

import pytest
from sqlmodel import Session

from commands.charts import findings_over_time_png
from commands.scoring import (
    CONFIRMED_BONUS,
    CORROBORATION,
    LINK_BONUS,
    NEW_FINDING,
    SUSPECT_BONUS,
    country_standings,
    standings,
)
from storage.engine import make_engine
from storage.models import Finding, FindingLink, Identifier, Participant, Report, Submission
from storage.tallies.queries import findings_per_day
from tests.commands.conftest import T0

_n = count(1)


class Week:
    """Rows written straight into a real database, so each rule is tested on its own."""

    def __init__(self, url: str) -> None:
        self.session = Session(make_engine(url), expire_on_commit=False)
        for pid, country in (("a", "NL"), ("b", "RO"), ("c", "NL")):
            self.session.add(
                Participant(id=pid, platform="telegram", name=pid.upper(), country=country, joined_at=T0)
            )
        self.session.commit()

    def finding(
        self,
        owner: str,
        minutes: int,
        *,
        suspect: bool = False,
        judgement: str | None = None,
        outcome: str = "ok",
    ) -> int:
        n = next(_n)
        f = Finding(
            canonical_url=f"https://x.nl/{n}",
            url=f"https://x.nl/{n}",
            platform="x.nl",
            reporter_id=owner,
            reported_at=T0 + timedelta(minutes=minutes),
            created_at=T0,
            thb_suspect=suspect,
            judgement=judgement,
            fetch_outcome=outcome,
        )
        self.session.add(f)
        self.session.flush()
        self.report(f.id or 0, owner, minutes)
        return f.id or 0

    def report(self, finding_id: int, who: str, minutes: int, *, retracted: bool = False) -> None:
        n = next(_n)
        sub = Submission(
            message_key=f"m{n}", platform="telegram", chat_id="c", participant_id=who,
            ts=T0 + timedelta(minutes=minutes), text="x", received_at=T0,
        )  # fmt: skip
        self.session.add(sub)
        self.session.flush()
        self.session.add(
            Report(
                finding_id=finding_id,
                submission_id=sub.id or 0,
                participant_id=who,
                ts=T0 + timedelta(minutes=minutes),
                url="u",
                retracted=retracted,
            )
        )
        self.session.commit()

    def link(self, earlier: int, later: int, kind: str, value: str, *, ignored: bool = False) -> None:
        self.session.add(Identifier(kind=kind, value=value, ignored=ignored))
        self.session.add(
            FindingLink(finding_a=earlier, finding_b=later, kind=kind, value=value, created_at=T0)
        )
        self.session.commit()

    def points(self, **kwargs: object) -> dict[str, float]:
        return {s.participant_id: s.points for s in standings(session=self.session, **kwargs)}  # type: ignore[arg-type]


@pytest.fixture
def week(db_url: str) -> Iterator[Week]:
    week = Week(db_url)
    yield week
    week.session.close()  # an open transaction would block the next test's schema reset
    week.session.get_bind().dispose()  # type: ignore[union-attr]


def test_a_new_finding_scores_and_its_judgement_adjusts_it(week: Week) -> None:
    week.finding("a", 1)
    week.finding("b", 2, suspect=True)
    week.finding("c", 3, suspect=True, judgement="confirmed")
    week.finding("c", 4, suspect=True, judgement="rejected")
    assert week.points() == {
        "a": NEW_FINDING,
        "b": NEW_FINDING + SUSPECT_BONUS,
        "c": NEW_FINDING + SUSPECT_BONUS + CONFIRMED_BONUS,
    }


@pytest.mark.parametrize(
    "outcome", ["http_error", "timeout", "too_large", "not_html", "not_fetched", "refused", "pending"]
)
def test_a_link_that_could_not_be_opened_scores_nothing_until_a_coordinator_confirms_it(
    week: Week, outcome: str
) -> None:
    dead = week.finding("a", 1, suspect=True, outcome=outcome)
    week.report(dead, "b", 2)  # corroborating a dead link pays nothing either
    week.finding("c", 3)
    assert week.points() == {"a": 0.0, "b": 0.0, "c": NEW_FINDING}
    finding = week.session.get(Finding, dead)
    assert finding is not None
    finding.judgement = "confirmed"  # judged by hand from what the reporter saw: then it counts
    week.session.add(finding)
    week.session.commit()
    assert week.points() == {
        "a": NEW_FINDING + SUSPECT_BONUS + CONFIRMED_BONUS,
        "b": CORROBORATION,
        "c": NEW_FINDING,
    }


def test_a_page_stopped_under_the_csam_policy_scores_nothing(week: Week) -> None:
    stopped = week.finding("a", 1)
    finding = week.session.get(Finding, stopped)
    assert finding is not None
    finding.suppressed = "csam"
    week.session.add(finding)
    week.session.commit()
    assert week.points()["a"] == 0.0


def test_corroboration_pays_once_and_self_corroboration_not_at_all(week: Week) -> None:
    fid = week.finding("a", 1)
    week.report(fid, "a", 5)  # Anna pastes her own ad again
    week.report(fid, "b", 6)
    week.report(fid, "b", 7)  # Mihai pastes it twice
    rows = {s.participant_id: s for s in standings(session=week.session)}
    assert rows["a"].points == NEW_FINDING and rows["a"].findings == 1 and rows["a"].corroborations == 0
    assert rows["b"].points == CORROBORATION and rows["b"].corroborations == 1


def test_corroborating_a_rejected_finding_scores_nothing(week: Week) -> None:
    fid = week.finding("a", 1, judgement="rejected")
    week.report(fid, "b", 2)
    assert week.points() == {"a": 0.0, "b": 0.0, "c": 0.0}


def test_the_finding_that_makes_a_link_scores_the_bonus_once(week: Week) -> None:
    first = week.finding("a", 1)
    second = week.finding("b", 2)
    third = week.finding("c", 3)
    week.link(first, second, "phone", "+31612345678")
    week.link(first, second, "email", "anna@mail.com")  # a second shared value: still one bonus
    week.link(first, third, "text", "0.71")  # copied ad text alone earns no bonus
    assert week.points() == {"a": NEW_FINDING, "b": NEW_FINDING + LINK_BONUS, "c": NEW_FINDING}


def test_an_ignored_identifier_earns_no_link_bonus(week: Week) -> None:
    first, second = week.finding("a", 1), week.finding("b", 2)
    week.link(first, second, "phone", "+31201234567", ignored=True)
    assert week.points()["b"] == NEW_FINDING


def test_retracted_reports_score_nothing(week: Week) -> None:
    fid = week.finding("a", 1)
    week.report(fid, "b", 2, retracted=True)
    assert week.points()["b"] == 0.0


def test_ties_go_to_who_reached_the_score_first(week: Week) -> None:
    week.finding("c", 1)
    week.finding("a", 9)
    week.finding("b", 5)
    order = [s.participant_id for s in standings(session=week.session)]
    assert order == ["c", "b", "a"]


def test_the_standings_of_a_freeze_ignore_later_reports(week: Week) -> None:
    week.finding("a", 1)
    late = week.finding("b", 30)
    week.report(late, "a", 31)
    frozen = week.points(as_of=T0 + timedelta(minutes=10))
    assert frozen == {"a": NEW_FINDING, "b": 0.0, "c": 0.0}
    assert week.points() == {"a": NEW_FINDING + CORROBORATION, "b": NEW_FINDING, "c": 0.0}


def test_countries_sum_their_participants_and_tie_on_who_got_there_first(week: Week) -> None:
    week.finding("a", 1)
    week.finding("c", 2, suspect=True)
    week.finding("b", 3, suspect=True, judgement="confirmed")
    countries = country_standings(standings(session=week.session))
    # 25 points each; NL's last scoring report (minute 2) came before RO's (minute 3).
    assert [(c.country, c.points, c.participants, c.findings) for c in countries] == [
        ("NL", 2 * NEW_FINDING + SUSPECT_BONUS, 2, 2),
        ("RO", NEW_FINDING + SUSPECT_BONUS + CONFIRMED_BONUS, 1, 1),
    ]


def test_findings_per_day_feed_the_digest_chart(week: Week) -> None:
    week.finding("a", 1)
    week.finding("b", 2)
    week.finding("c", 60 * 24 + 5)
    week.session.commit()
    assert findings_per_day(session=week.session) == [("2025-09-15", "other", 2), ("2025-09-16", "other", 1)]
    assert findings_over_time_png(week.session).startswith(b"\x89PNG\r\n\x1a\n")


def test_standings_of_a_past_moment_apply_only_judgements_given_by_then(week: Week) -> None:
    """A digest's "since the last digest": a /confirm given later did not count yet."""
    confirmed_late = week.finding("a", 1, suspect=True)
    rejected_early = week.finding("b", 2)
    session = week.session
    for fid, judgement, minutes in ((confirmed_late, "confirmed", 60), (rejected_early, "rejected", 5)):
        finding = session.get(Finding, fid)
        assert finding is not None
        finding.judgement, finding.judged_at = judgement, T0 + timedelta(minutes=minutes)
        session.add(finding)
    session.commit()
    at_ten = week.points(as_of=T0 + timedelta(minutes=10))
    assert at_ten == {"a": NEW_FINDING + SUSPECT_BONUS, "b": 0.0, "c": 0.0}
    assert week.points() == {"a": NEW_FINDING + SUSPECT_BONUS + CONFIRMED_BONUS, "b": 0.0, "c": 0.0}
