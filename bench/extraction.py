"""Extraction benchmark: throughput and F1 on the dev corpus, beside ioc-finder and iocextract.

Run: `.venv/bin/python -m bench.extraction [--runs N] [--corpus DIR]`. Prints a markdown table
and writes it to `bench/results-extraction.md`. A benchmark, not a test: numbers depend on the
machine, so nothing here asserts.

What is measured, per tool, over the 120 HTML pages of `truth.json`:
- `hub analyse_page`: the real pipeline on the raw HTML (parse_page, identifiers, indicators,
  suspicion); MB/s counts HTML bytes.
- `hub identifiers_in + find_indicators`, `ioc-finder`, `iocextract`: the same *text* each
  (the ad's title, description, body and its links, as parse_page gives them, site furniture
  left out because truth leaves site boilerplate out); MB/s counts text bytes.
Each tool is asked only for what it can find: ioc-finder (this version) e-mails and
bitcoin/monero addresses; iocextract e-mails (with refang) and telephone numbers. F1 is
micro-averaged over pages; "—" means the tool has no extractor for that kind.
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import re
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import ioc_finder
import iocextract
from warcio.archiveiterator import ArchiveIterator

from bench.pages import require_corpus
from extraction.analyse import analyse_page, region_hints
from extraction.identifiers.kinds import identifiers_in
from extraction.indicators import find_indicators
from extraction.page import parse_page
from extraction.types import FetchResult, Identifier

KINDS = ("phone", "email", "wallet", "handle")
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"
RESULTS = Path(__file__).resolve().parent / "results-extraction.md"


@dataclass(frozen=True, slots=True)
class CorpusPage:
    url: str
    html: bytes
    content_type: str
    text: str  # the ad's own text and links: what every text extractor is given
    regions: tuple[str, ...]
    truth: dict[str, set[str]]


Found = dict[str, set[str]]  # kind → values, spelled as truth.json spells them


@dataclass(frozen=True, slots=True)
class Tool:
    name: str
    input_kind: str  # "html" or "text": which bytes its MB/s counts
    kinds: tuple[str, ...]  # what it can find at all
    run: Callable[[CorpusPage], Found]


def load_pages(corpus: Path) -> list[CorpusPage]:
    """The corpus's truth pages with their HTML, text and truth identifiers."""
    require_corpus(corpus)
    truth = json.loads((corpus / "truth.json").read_text("utf-8"))["pages"]
    pages = []
    with gzip.open(corpus / "pages.warc.gz", "rb") as stream:
        for record in ArchiveIterator(stream):
            url = record.rec_headers.get_header("WARC-Target-URI")
            if record.rec_type != "response" or url not in truth:
                continue
            content_type = record.http_headers.get_header("Content-Type") or "text/html"
            html = record.content_stream().read()
            parsed = parse_page(html, url, content_type)
            text = "\n".join([parsed.title, parsed.meta_description, parsed.body, *parsed.links])
            regions = tuple(region_hints(url, parsed.language, None))
            expected = {kind: set(values) for kind, values in truth[url]["identifiers"].items()}
            # contracts.md: a WhatsApp number is a phone, not a handle.
            expected["handle"] = {h for h in expected.get("handle", set()) if not h.startswith("whatsapp:")}
            # contracts.md spells Ethereum addresses in lower case; truth keeps the checksum case.
            expected["wallet"] = {w.lower() if w.startswith("0x") else w for w in expected.get("wallet", ())}
            pages.append(CorpusPage(url, html, content_type, text, regions, expected))
    return pages


def _truth_spelling(identifiers: Iterable[Identifier]) -> Found:
    found: Found = {kind: set() for kind in KINDS}
    for identifier in identifiers:
        value = identifier.value
        if identifier.kind == "wallet":
            value = value.split(":", 1)[1]  # truth lists the bare address
        found[identifier.kind].add(value)
    return found


def hub_pipeline(page: CorpusPage) -> Found:
    fetched = FetchResult(url=page.url, outcome="ok", body=page.html, content_type=page.content_type)
    return _truth_spelling(analyse_page(fetched, page.url).identifiers)


def hub_text(page: CorpusPage) -> Found:
    find_indicators(page.text)
    return _truth_spelling(identifiers_in(page.text, (), page.regions))


IOC_FINDER_TYPES = ["email_addresses", "bitcoin_addresses", "monero_addresses"]


def ioc_finder_run(page: CorpusPage) -> Found:
    found = ioc_finder.find_iocs(page.text, included_ioc_types=IOC_FINDER_TYPES)
    emails = {str(value).lower() for value in found.get("email_addresses", [])}
    wallets = {str(value) for kind in IOC_FINDER_TYPES[1:] for value in found.get(kind, [])}
    return {"phone": set(), "email": emails, "wallet": wallets, "handle": set()}


def _e164_guess(raw: str) -> str:
    return "+" + re.sub(r"\D", "", raw)


def iocextract_run(page: CorpusPage) -> Found:
    emails = {value.lower() for value in iocextract.extract_emails(page.text, refang=True)}
    phones = {_e164_guess(value) for value in iocextract.extract_telephone_nums(page.text)}
    return {"phone": phones, "email": emails, "wallet": set(), "handle": set()}


TOOLS = (
    Tool("hub analyse_page (HTML in)", "html", KINDS, hub_pipeline),
    Tool("hub identifiers_in + find_indicators", "text", KINDS, hub_text),
    Tool("ioc-finder 9 (find_iocs)", "text", ("email", "wallet"), ioc_finder_run),
    Tool("iocextract (refang=True)", "text", ("phone", "email"), iocextract_run),
)


def f1(found: list[Found], pages: list[CorpusPage], kind: str) -> tuple[float, float, float]:
    """Micro-averaged precision, recall and F1 over pages for one kind."""
    hits = extras = missed = 0
    for got, page in zip(found, pages, strict=True):
        want = page.truth.get(kind, set())
        hits += len(got[kind] & want)
        extras += len(got[kind] - want)
        missed += len(want - got[kind])
    precision = hits / (hits + extras) if hits + extras else 1.0
    recall = hits / (hits + missed) if hits + missed else 1.0
    score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, score


def throughput(tool: Tool, pages: list[CorpusPage], runs: int) -> list[float]:
    size = sum(len(p.html) if tool.input_kind == "html" else len(p.text.encode("utf-8")) for p in pages)
    for page in pages:  # warm-up: model loads and regex compilation are not throughput
        tool.run(page)
    rates = []
    for _ in range(runs):
        started = time.process_time()  # CPU time: other work on a shared machine does not count
        for page in pages:
            tool.run(page)
        rates.append(size / 1e6 / (time.process_time() - started))
    return rates


def table(pages: list[CorpusPage], runs: int) -> str:
    html_mb = sum(len(p.html) for p in pages) / 1e6
    text_mb = sum(len(p.text.encode("utf-8")) for p in pages) / 1e6
    truth_counts = {kind: sum(len(p.truth.get(kind, ())) for p in pages) for kind in KINDS}
    lines = [
        f"Dev corpus: {len(pages)} pages, {html_mb:.2f} MB HTML, {text_mb:.2f} MB text; "
        f"truth identifiers: " + ", ".join(f"{k} {n}" for k, n in truth_counts.items()) + ".",
        f"{runs} timed runs (process CPU time) after one warm-up; {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.machine()}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        "",
        "| tool | input | MB/s min | MB/s median | MB/s max | "
        + " | ".join(f"F1 {kind} (P/R)" for kind in KINDS)
        + " |",
        "|" + " --- |" * (5 + len(KINDS)),
    ]
    for tool in TOOLS:
        rates = throughput(tool, pages, runs)
        found = [tool.run(page) for page in pages]
        cells = []
        for kind in KINDS:
            if kind not in tool.kinds:
                cells.append("—")
                continue
            precision, recall, score = f1(found, pages, kind)
            cells.append(f"{score:.2f} ({precision:.2f}/{recall:.2f})")
        lines.append(
            f"| {tool.name} | {tool.input_kind} | {min(rates):.2f} | {statistics.median(rates):.2f} "
            f"| {max(rates):.2f} | " + " | ".join(cells) + " |"
        )
    lines += [
        "",
        "ioc-finder 9.4 has no phone or Ethereum/Tron extractor (wallet recall counts those as "
        "missed); iocextract has no wallet or handle extractor and its telephone regex splits "
        "international numbers. Neither reads obfuscated spellings (emoji digits, words, "
        "'(at)'), which the hub is built for.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per tool (at least 5)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    pages = load_pages(args.corpus)
    report = "# Extraction benchmark\n\n" + table(pages, max(5, args.runs))
    print(report)
    args.out.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
