"""Score a `hub export --format json` document against a corpus's truth.json.

The tests' own scorer, for the generated week and the dev corpus alike (same truth fields).
It matches findings to truth pages with its own loose URL key (scheme-, `www.`/`m.`-,
slash-, fragment- and tracking-blind, query sorted; refanged) over the finding's URL, its
canonical URL and its fetch's final URL, so the hub keeps its own canonical spelling. Figures:

- pages_missed / pages_split / unmatched_findings; first_reporter_acc, report_count_acc;
- `<kind>_p/_r/_f1` for phone, email, wallet, handle over (page, value) pairs (WhatsApp handles
  are phones and not scored as handles), boilerplate_links (site furniture taken as identifier);
- platform_kind_acc, suspect_p/_r/_f1; network_pair_p/_r/_f1 over pairs of pasted pages;
- forbidden_retrieved: findings for must-not-fetch targets whose content was fetched.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

KINDS = ("phone", "email", "wallet", "handle")
_TRACKING = re.compile(r"(utm_\w+|fbclid|gclid|igshid|si|ref|ref_src|mc_\w+|_ga|yclid|msclkid)", re.I)
_DEFANG = (("[.]", "."), ("(.)", "."), ("[dot]", "."), ("[:]", ":"))


def _refang(raw: str) -> str:
    text = raw.strip().strip("<>\"'.,;")
    text = re.sub(r"^hxxp", "http", text, flags=re.I)
    for spelled, plain in _DEFANG:
        text = text.replace(spelled, plain)
    return text


def url_key(url: str | None) -> str | None:
    """Loose equivalence of two spellings of one page (None for what is no http(s) URL)."""
    if not url:
        return None
    try:
        parts = urlsplit(_refang(url))
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    with contextlib.suppress(UnicodeError):
        host = host.encode("idna").decode("ascii")
    host = re.sub(r"^(www|m|mobile)\.", "", host)
    if port not in (None, 80, 443):
        host += f":{port}"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.fullmatch(k)
    )
    return host + (parts.path.rstrip("/") or "") + ("?" + urlencode(query) if query else "")


def _wallet(value: str) -> str:
    chain, sep, address = value.partition(":")
    if not sep or chain not in ("btc", "eth", "trx", "xmr", "ltc"):
        address = value
        chain = (
            "eth" if value.startswith("0x")
            else "btc" if value.lower().startswith("bc1") or value[:1] in "13"
            else "ltc" if value.lower().startswith("ltc1") or value[:1] in "LM"
            else "trx" if value[:1] == "T"
            else "xmr" if value[:1] in "48"
            else "?"
        )  # fmt: skip
    if chain == "eth" or address.lower().startswith(("bc1", "ltc1")):
        address = address.lower()
    return f"{chain}:{address}"


def identifier_key(kind: str, value: str) -> str:
    """The spelling two sides compare in: e-mails and handles case-blind, wallets chain-prefixed."""
    value = unicodedata.normalize("NFKC", value.strip())
    if kind == "email":
        return value.lower()
    if kind == "wallet":
        return _wallet(value)
    if kind == "handle":
        platform, _, name = value.partition(":")
        return f"{platform.lower()}:{name.lower().lstrip('@')}"
    return value


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1 (an empty side counts as perfect)."""
    precision = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def score(corpus: Path, export: dict[str, Any]) -> dict[str, Any]:
    """Every figure of the module docstring for one export."""
    truth = json.loads((corpus / "truth.json").read_text("utf-8"))
    pages: dict[str, Any] = truth["pages"]
    rows = [row for row in truth["pasted"] if row.get("canonical") in pages]
    pastes = Counter(row["canonical"] for row in rows)
    first: dict[str, str] = {}
    page_of: dict[str, str] = {}
    for row in rows:
        first.setdefault(row["canonical"], row["first_reporter"])
        for spelling in (row["canonical"], row["raw"]):
            key = url_key(spelling)
            if key:
                page_of[key] = row["canonical"]
    findings = export.get("findings", [])
    matched: dict[str, list[dict[str, Any]]] = defaultdict(list)
    unmatched = 0
    for finding in findings:
        spellings = (
            finding.get("url"),
            finding.get("canonical_url"),
            (finding.get("fetch") or {}).get("final_url"),
        )
        hits = {page_of[key] for key in map(url_key, spellings) if key in page_of}
        unmatched += not hits
        for url in hits:
            matched[url].append(finding)
    pasted = sorted(pastes)
    single = {url: found[0] for url, found in matched.items() if len(found) == 1}
    out: dict[str, Any] = {
        "pages_pasted": len(pasted),
        "findings": len(findings),
        "unmatched_findings": unmatched,
        "pages_missed": sum(not matched.get(url) for url in pasted),
        "pages_split": sum(len(matched.get(url, [])) > 1 for url in pasted),
        "first_reporter_acc": sum(single.get(u, {}).get("reporter") == first[u] for u in pasted)
        / len(pasted),
        "report_count_acc": sum(
            u in single and 1 + len(single[u].get("duplicate_reports") or []) == pastes[u] for u in pasted
        )
        / len(pasted),
    }
    counts = {kind: [0, 0, 0] for kind in KINDS}
    boilerplate = 0
    examples: dict[str, list[str]] = defaultdict(list)
    for url in pasted:
        page = pages[url]
        have: dict[str, set[str]] = defaultdict(set)
        for identifier in single.get(url, {}).get("identifiers", []):
            kind = identifier.get("kind", "")
            have[kind].add(identifier_key(kind, identifier.get("value", "")))
        want = {
            kind: {
                identifier_key(kind, v)
                for v in page["identifiers"].get(kind, [])
                if not (kind == "handle" and v.startswith("whatsapp:"))
            }
            for kind in KINDS
        }
        furniture = {
            identifier_key(kind, v)
            for kind in ("phone", "email")
            for v in page.get("site_boilerplate", {}).get(kind, [])
        }
        boilerplate += len((furniture - want["phone"] - want["email"]) & (have["phone"] | have["email"]))
        for kind in KINDS:
            tp, fp, fn = want[kind] & have[kind], have[kind] - want[kind], want[kind] - have[kind]
            for n, part in enumerate((tp, fp, fn)):
                counts[kind][n] += len(part)
            examples[f"{kind} extra"] += [f"{v} @ {url}" for v in sorted(fp)]
            examples[f"{kind} missed"] += [f"{v} @ {url}" for v in sorted(fn)]
    for kind, (tp, fp, fn) in counts.items():
        out[f"{kind}_p"], out[f"{kind}_r"], out[f"{kind}_f1"] = prf(tp, fp, fn)
        out[f"{kind}_n"] = tp + fn
    out["boilerplate_links"] = boilerplate
    right_kind = sum(f.get("platform_kind") == pages[u]["platform_kind"] for u, f in single.items())
    out["platform_kind_acc"] = right_kind / len(single) if single else 0.0
    said = {u: bool(single.get(u, {}).get("thb_suspect")) for u in pasted}
    out["suspect_p"], out["suspect_r"], out["suspect_f1"] = prf(
        sum(said[u] and pages[u]["thb_suspect"] for u in pasted),
        sum(said[u] and not pages[u]["thb_suspect"] for u in pasted),
        sum(not said[u] and pages[u]["thb_suspect"] for u in pasted),
    )
    tp = fp = fn = 0
    for a, b in itertools.combinations(pasted, 2):
        same_truth = pages[a].get("network") is not None and pages[a].get("network") == pages[b].get(
            "network"
        )
        hub_a, hub_b = single.get(a, {}).get("network"), single.get(b, {}).get("network")
        same_hub = hub_a is not None and hub_a == hub_b
        tp, fp, fn = (
            tp + (same_truth and same_hub),
            fp + (same_hub and not same_truth),
            fn + (same_truth and not same_hub),
        )
    out["network_pair_p"], out["network_pair_r"], out["network_pair_f1"] = prf(tp, fp, fn)
    out["network_pairs_truth"] = tp + fn
    forbidden = {_refang(row["raw"]) for row in truth["pasted"] if row.get("fetch") == "must_not_fetch"}
    forbidden |= {_refang(entry["url"]) for entry in truth.get("darkweb", [])}
    out["forbidden_retrieved"] = sum(
        (_refang(f.get("url") or "") in forbidden or ".onion" in (f.get("url") or ""))
        and bool((f.get("fetch") or {}).get("sha256"))
        for f in findings
    )
    out["examples"] = {key: values[:5] for key, values in examples.items() if values}
    return out
