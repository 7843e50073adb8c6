"""`hub eval-llm`: the LLM's indicators against a corpus's truth, per code, beside the rules'.

Each truth page is read from the corpus WARC (never the network), analysed by the rules, and
sent to the model exactly as a pasted page would be (same prompt, redaction and checks); the
answers are scored, nothing is stored. `multiple_cities` is left out of the score: it comes
from other pages sharing a phone, which no reading of one page can see.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from commands.paste.enrich import Enricher, EnrichmentRequest
from extraction.analyse import analyse_page
from extraction.fetch.fetcher import Fetcher

NOT_FROM_ONE_PAGE = frozenset({"multiple_cities"})


@dataclass
class CodeScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def count(self, predicted: bool, true: bool) -> None:
        self.tp += predicted and true
        self.fp += predicted and not true
        self.fn += true and not predicted


@dataclass
class Evaluation:
    pages: int = 0
    answered: int = 0
    failures: dict[str, int] = field(default_factory=dict)  # error class -> pages
    dropped: int = 0  # model indicators discarded by the checks (unknown code, quote not on page)
    scores: dict[str, dict[str, CodeScore]] = field(default_factory=dict)  # code -> source -> score

    def score(self, code: str, source: str) -> CodeScore:
        return self.scores.setdefault(code, {}).setdefault(source, CodeScore())


def truth_indicators(corpus: Path) -> dict[str, set[str]]:
    """URL -> indicator codes of every page in the corpus truth."""
    pages = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))["pages"]
    return {url: set(page.get("indicators") or ()) for url, page in pages.items()}


def evaluate(
    enricher: Enricher,
    archive: Fetcher,
    truth: dict[str, set[str]],
    *,
    limit: int | None = None,
    workers: int = 2,
) -> Evaluation:
    """Score the model (and, for comparison, the rules and both together) on the truth pages
    answered by the model; pages it failed on are counted as failures, not as misses."""
    result = Evaluation()
    urls = sorted(truth)[:limit] if limit else sorted(truth)
    codes = sorted({c for found in truth.values() for c in found} - NOT_FROM_ONE_PAGE)

    def one(url: str) -> tuple[str, set[str], set[str] | None, int, str | None]:
        analysis = analyse_page(archive.fetch(url), url)
        rules = {i.code for i in analysis.indicators}
        if analysis.suppressed is not None or not analysis.body:
            return url, rules, None, 0, "page not readable"
        try:
            vetted, _ = enricher.read(EnrichmentRequest.for_page(0, url, analysis, None))
        except Exception as exc:
            return url, rules, None, 0, type(exc).__name__
        return url, rules, {i.code for i in vetted.indicators}, len(vetted.dropped), None

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for url, rules, model, dropped, failure in pool.map(one, urls):
            result.pages += 1
            if model is None:
                key = failure or "failed"
                result.failures[key] = result.failures.get(key, 0) + 1
                continue
            result.answered += 1
            result.dropped += dropped
            for code in codes:
                true = code in truth[url]
                result.score(code, "llm").count(code in model, true)
                result.score(code, "rules").count(code in rules, true)
                result.score(code, "both").count(code in model or code in rules, true)
    return result


def report(result: Evaluation) -> str:
    """A plain-text table: per code, precision/recall of the model, the rules and both."""

    def pr(score: CodeScore) -> str:
        p, r = score.precision, score.recall
        return f"{'–' if p is None else f'{p:.2f}':>5} {'–' if r is None else f'{r:.2f}':>5}"

    lines = [
        f"pages {result.pages}, answered by the model {result.answered}, "
        f"failed {sum(result.failures.values())} {dict(sorted(result.failures.items())) or ''}".rstrip(),
        f"model indicators dropped by the checks: {result.dropped}",
        f"{'code':<16} {'truth':>5}   {'llm P     R':>11}   {'rules P     R':>13}   {'both P     R':>12}",
    ]
    for code, by_source in sorted(result.scores.items()):
        truth = by_source["llm"].tp + by_source["llm"].fn
        lines.append(
            f"{code:<16} {truth:>5}   {pr(by_source['llm'])}   {pr(by_source['rules']):>13}   "
            f"{pr(by_source['both']):>12}"
        )
    lines.append("not scored: multiple_cities (it needs other pages, not one page's text)")
    return "\n".join(lines)
