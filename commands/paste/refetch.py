"""Pages a replay could not fetch (absent from the archives it was given) fetched again.

`hub replay` over an archive that lacked some pages leaves those findings "not fetched"; the
messages themselves are done, so feeding the file again never plans them. A rerun with a fuller
archive calls `refetch_not_fetched` first: each such finding whose page the fetcher now has is
analysed and recorded as if it had been there the first time — analysis, identifiers, indicators,
deconfliction — in one short transaction per finding, with no session open while fetching.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from commands.paste.plan import final_canonical
from commands.paste.record import store_analysis
from deconfliction.matching import deconflict
from extraction.analyse import PageAnalysis, analyse_page
from extraction.fetch.fetcher import Fetcher
from extraction.types import FetchResult
from storage import findings as store
from storage.findings import scope_of_finding
from storage.models import Finding, Participant
from storage.tallies import live as live_tallies

NOT_FETCHED = "not_fetched"


def refetch_not_fetched(
    engine: Engine, fetcher: Fetcher, *, retried: Callable[[Callable[[], bool]], bool]
) -> int:
    """Fetch every not-fetched finding's page again; returns how many were recorded now."""
    with Session(engine) as session:
        todo = [
            (finding.id or 0, finding.url, finding.reported_at, _country(finding, session=session))
            for finding in session.exec(
                select(Finding)
                .where(col(Finding.fetch_outcome) == NOT_FETCHED, col(Finding.suppressed).is_(None))
                .order_by(col(Finding.reported_at), col(Finding.id))
            )
        ]
    recorded = 0
    for finding_id, url, at, country in todo:
        fetched = fetcher.fetch(url)
        if fetched.outcome == NOT_FETCHED:
            continue
        analysis = analyse_page(fetched, url, participant_country=country)
        recorded += retried(partial(_record, engine, finding_id, fetched, analysis, at))
    return recorded


def _record(
    engine: Engine, finding_id: int, fetched: FetchResult, analysis: PageAnalysis, at: datetime
) -> bool:
    with (
        scope_of_finding(lambda: Session(engine), finding_id),
        Session(engine, expire_on_commit=False) as session,
    ):
        finding = session.exec(
            select(Finding)
            .where(Finding.id == finding_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).first()
        if finding is None or finding.fetch_outcome != NOT_FETCHED:
            return False  # another run recorded it meanwhile
        _follow_redirect(finding, fetched, session=session)
        store_analysis(finding, fetched, analysis, session=session)
        if analysis.suppressed is None:
            deconflict(
                finding_id,
                [(i.kind, i.value) for i in analysis.identifiers],
                analysis.body,
                at=at,
                session=session,
            )
        live_tallies.touch(session, findings=[finding_id])
        session.commit()
    return True


def _follow_redirect(finding: Finding, fetched: FetchResult, *, session: Session) -> None:
    """A page that redirects is named by its target, as on a first fetch; the pasted link's canonical
    becomes an alias. If another finding already owns the target, both stay as they are."""
    final = final_canonical(fetched, finding.canonical_url)
    if final == finding.canonical_url or store.finding_for_url(final, session=session) is not None:
        return
    store.add_alias(finding.canonical_url, finding.id or 0, session=session)
    finding.canonical_url = final


def _country(finding: Finding, *, session: Session) -> str:
    reporter = session.get(Participant, finding.reporter_id)
    return reporter.country if reporter else ""
