"""The LLM's second opinion on a finding, after the rule-based verdict, never in its way.

The paste pipeline hands over the page text it already has (title and body are not stored);
the `Enricher` starts the work only once the finding is committed, in its own small thread
pool, so the verdict reply never waits. Every model call has a hard deadline; a slow, failing
or absent model leaves a `timeout`/`failed` enrichment row and nothing else.
Rules stay authoritative: the model may add indicators (source "llm", with a quote that must be
on the page) but never identifiers, and the THB score is not recomputed from its opinion.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import Engine, event
from sqlmodel import Session

from commands.core.seam import Reply
from commands.wording import short
from extraction.analyse import PageAnalysis
from extraction.identifiers.kinds import identifiers_in
from extraction.links import find_links
from extraction.llm.client import LlmTimeout, Redacted, redact
from extraction.llm.schema import FindingExtraction, VettedExtraction, vet
from extraction.refang import defang
from prompts.loader import load_prompt
from storage import enrichments
from storage.findings import scope_of_finding

log = logging.getLogger(__name__)

EXTRACTION_PROMPT = "finding_extraction"
NARRATIVE_PROMPT = "digest_narrative"
# The model's indicators are a second opinion: shown, exported, but weighed below any rule hit.
LLM_INDICATOR_WEIGHT = 0.25
_PENDING = "enrichments_after_commit"


class PageReader(Protocol):
    """What the Enricher needs from a model (extraction.llm.client.ChatLlm is one)."""

    model_name: str

    def extract(self, system: str, user: str) -> FindingExtraction: ...

    def narrate(self, system: str, user: str) -> str: ...


@dataclass(frozen=True, slots=True)
class EnrichmentRequest:
    finding_id: int
    url: str
    page_text: str  # what the rules read: title and body
    platform_kind: str
    rule_codes: tuple[str, ...]
    identifiers: tuple[tuple[str, str, str], ...]  # (kind, value, raw) the rules found: masked
    thread_ref: str | None = None
    chat_id: str | None = None  # where the verdict was posted: the second opinion follows it there

    @classmethod
    def for_page(
        cls,
        finding_id: int,
        url: str,
        analysis: PageAnalysis,
        thread_ref: str | None,
        chat_id: str | None = None,
    ) -> EnrichmentRequest:
        return cls(
            finding_id=finding_id,
            url=url,
            page_text=f"{analysis.title}\n{analysis.body}".strip(),
            platform_kind=analysis.platform_kind,
            rule_codes=tuple(sorted({i.code for i in analysis.indicators})),
            identifiers=tuple((i.kind, i.value, i.raw) for i in analysis.identifiers),
            thread_ref=thread_ref,
            chat_id=chat_id,
        )


class Enricher:
    """Runs enrichments in a background pool owned by the hub; `drain` waits for them.

    `on_note(chat_id, reply)` receives each second opinion worth saying, from a worker thread,
    for the chat the verdict went to (`hub run` posts it in the verdict's thread)."""

    def __init__(
        self,
        engine: Engine,
        llm: PageReader,
        *,
        clock: Callable[[], datetime],
        redact_identifiers: bool = True,
        workers: int = 2,
        max_chars: int = 12_000,
        on_note: Callable[[str, Reply], None] | None = None,
    ) -> None:
        self.engine, self.llm, self.clock = engine, llm, clock
        self.redact_identifiers, self.max_chars, self.on_note = redact_identifiers, max_chars, on_note
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="enrich")
        self._futures: set[Future[Reply | None]] = set()
        self._lock = threading.Lock()

    def submit(self, request: EnrichmentRequest, *, session: Session) -> None:
        """Queue `request`; it starts only if and when `session` commits the finding."""
        prompt = load_prompt(EXTRACTION_PROMPT)
        enrichments.start_enrichment(
            request.finding_id,
            model=self.llm.model_name,
            prompt_version=prompt.label,
            at=self.clock(),
            session=session,
        )
        pending = session.info.setdefault(_PENDING, [])
        if not pending:
            # The worker reads and writes in its own session: before the commit it would not
            # see the finding, and a rolled-back finding must not be sent anywhere.
            event.listen(session, "after_commit", self._after_commit)
            event.listen(session, "after_soft_rollback", self._after_rollback)
        pending.append(request)

    def _after_commit(self, session: Session) -> None:
        for request in session.info.pop(_PENDING, []):
            with self._lock:
                future = self._pool.submit(self._run, request)
                self._futures.add(future)
            future.add_done_callback(self._forget)

    def _after_rollback(self, session: Session, _previous: object) -> None:
        session.info.pop(_PENDING, None)

    def _forget(self, future: Future[Reply | None]) -> None:
        with self._lock:
            self._futures.discard(future)

    def _run(self, request: EnrichmentRequest) -> Reply | None:
        try:
            note = self.enrich(request)
            if note is not None and self.on_note is not None and request.chat_id:
                self.on_note(request.chat_id, note)
            return note
        except Exception:  # a background failure must not vanish silently, nor stop the pool
            log.exception("enrichment of finding %s failed", request.finding_id)
            return None

    def masked(self, text: str, identifiers: tuple[tuple[str, str, str], ...]) -> Redacted:
        return redact(text, identifiers) if self.redact_identifiers else Redacted(text, {})

    def read(self, request: EnrichmentRequest) -> tuple[VettedExtraction, str]:
        """The model's reading of the page after the checks, and the prompt version; nothing is
        stored. Raises LlmTimeout or another error when the model gives no usable answer."""
        prompt = load_prompt(EXTRACTION_PROMPT)
        text = request.page_text[: self.max_chars]
        page = self.masked(text, request.identifiers)
        system, user = prompt.render(
            url=self.masked(request.url, request.identifiers).text,
            platform_kind=request.platform_kind,
            rule_indicators=", ".join(request.rule_codes) or "none",
            page_text=page.text,
        )
        vetted = vet(self.llm.extract(system, user), text, unmask=page.masks)
        if vetted.dropped:
            log.info("finding %s: dropped LLM indicators: %s", request.finding_id, "; ".join(vetted.dropped))
        return vetted, prompt.label

    def enrich(self, request: EnrichmentRequest) -> Reply | None:
        """Ask the model about one finding and store what survives the checks; a note or None."""
        try:
            vetted, label = self.read(request)
        except Exception as exc:
            status = "timeout" if isinstance(exc, LlmTimeout) else "failed"
            log.warning("enrichment of finding %s: %s (%s)", request.finding_id, status, exc)
            self._store(request.finding_id, status=status, error=str(exc))
            return None
        added = self._store(request.finding_id, status="done", vetted=vetted)
        return self._note(request, vetted, added, label)

    def _store(
        self,
        finding_id: int,
        *,
        status: str,
        vetted: VettedExtraction | None = None,
        error: str | None = None,
    ) -> list[tuple[str, str]]:
        with (
            scope_of_finding(lambda: Session(self.engine), finding_id),
            Session(self.engine, expire_on_commit=False) as session,
        ):
            enrichments.finish_enrichment(
                finding_id,
                status=status,
                language=vetted.language if vetted else None,
                summary=vetted.summary if vetted else "",
                translation=vetted.translation if vetted else "",
                platform_kind_guess=vetted.platform_kind if vetted else None,
                confidence=vetted.confidence if vetted else None,
                error=error,
                session=session,
            )
            added: list[tuple[str, str]] = []
            if vetted is not None:
                # A code the rules found keeps the rules' row and evidence (add_llm_indicators).
                codes = enrichments.add_llm_indicators(
                    finding_id,
                    [(i.code, LLM_INDICATOR_WEIGHT, i.evidence) for i in vetted.indicators],
                    session=session,
                )
                added = [(i.code, i.evidence) for i in vetted.indicators if i.code in codes]
            session.commit()
        return added

    def _note(
        self, request: EnrichmentRequest, vetted: VettedExtraction, added: list[tuple[str, str]], label: str
    ) -> Reply | None:
        if not vetted.summary and not added:
            return None
        lines = [f"🤖 #{request.finding_id} second opinion ({self.llm.model_name}, {label}): "]
        lines[0] += defanged(vetted.summary) or "no summary"
        for code, evidence in added:
            lines.append(f"   + {code} (model): “{short(defanged(evidence), 80)}”")
        return Reply("\n".join(lines), thread_ref=request.thread_ref, finding_ids=(request.finding_id,))

    def digest_narrative(self, facts_text: str) -> str | None:
        """A short narrative for a digest from its facts, or None on any failure (bounded in time)."""
        try:
            found = identifiers_in(facts_text, (), [])
            facts = self.masked(facts_text, tuple((i.kind, i.value, i.raw) for i in found))
            system, user = load_prompt(NARRATIVE_PROMPT).render(facts=facts.text[: self.max_chars])
            text = self.llm.narrate(system, user)
        except Exception as exc:  # the digest goes out with its template text instead
            log.warning("digest narrative unavailable: %s", exc)
            return None
        for token, original in facts.masks.items():
            text = text.replace(token, original)
        return defanged(" ".join(text.split()))[:1500] or None

    def drain(self, timeout: float) -> int:
        """Wait for queued enrichments while they make progress; give up after `timeout` seconds
        without one finishing. Returns how many are still unfinished."""
        while True:
            with self._lock:
                running = set(self._futures)
            if not running:
                return 0
            done, _ = wait(running, timeout=timeout, return_when=FIRST_COMPLETED)
            if not done:
                return len(running)
            for future in done:
                self._forget(future)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def defanged(text: str) -> str:
    """Model text echoed in chat: any URL in it defanged, like every URL the hub echoes."""
    for link in find_links(text, allow_private=True, tor_proxy=True):
        text = text.replace(link.raw, defang(link.url))
    return text
