"""`hub export --format warc`: the fetched page of every exported finding, as WARC evidence.

The hub's database keeps a page's sha256, not its bytes (no table of bodies: victims' pages are
not copied around more than needed). The bytes live in the evidence WARC files — EVIDENCE_WARC,
which every network fetch is appended to, or the WARC files a replay was answered from
(`--warc`). This export reads those files, picks for each finding the response record of its
final URL whose payload sha256 equals `findings.sha256` (so the record is exactly the page the
hub analysed), and writes it again with SHA-256 block and payload digests, its original
capture time (`WARC-Date`) and its request (the recorded one, or a reconstructed GET marked
`Hub-Request-Reconstructed`). Extension fields `Hub-Finding-Id` and `Hub-Source-Record-Id` say
which finding a record is evidence of and which record it was copied from.

Next to `X.warc.gz` goes `X.manifest.json`: finding id → record id and sha256, the findings
without evidence (and why), and the sha256 of the WARC file itself; `hub verify-evidence X.warc.gz`
re-checks all of it. Findings suppressed under the CSAM policy never get a record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.warcwriter import WARCWriter

from extraction.fetch.archive import loose_key
from extraction.fetch.evidence import Exchange, exchange_records, warc_digest
from extraction.private_files import open_private, write_private

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class _Wanted:
    finding_id: int
    url: str
    sha256: str
    found: dict[str, Any] | None = None
    other_hashes: list[str] = field(default_factory=list)


def manifest_path(warc: Path) -> Path:
    """`X.warc.gz` / `X.warc` → `X.manifest.json`."""
    name = warc.name
    for suffix in (".warc.gz", ".warc"):
        if name.endswith(suffix):
            return warc.with_name(name[: -len(suffix)] + ".manifest.json")
    return warc.with_name(name + ".manifest.json")


def write_evidence_warc(
    document: dict[str, Any], sources: Sequence[Path], out: Path, *, progress: Progress | None = None
) -> dict[str, Any]:
    """Write the evidence WARC of the findings in `document` to `out`; returns the manifest."""
    wanted: dict[str, list[_Wanted]] = {}
    missing: list[dict[str, Any]] = []
    for finding in document["findings"]:
        fetch = finding["fetch"]
        if finding.get("suppressed"):
            missing.append(_missing(finding, "suppressed under the CSAM policy: no evidence is kept"))
        elif not fetch["sha256"] or not fetch["final_url"]:
            missing.append(_missing(finding, f"no page was kept (fetch outcome: {fetch.get('outcome')})"))
        else:
            entry = _Wanted(finding["id"], fetch["final_url"], fetch["sha256"])
            for key in {entry.url, loose_key(entry.url)}:
                wanted.setdefault(key, []).append(entry)
    _scan(sources, wanted, progress)
    entries = sorted({id(w): w for ws in wanted.values() for w in ws}.values(), key=lambda w: w.finding_id)
    records = []
    gzip = out.name.endswith(".gz")
    with open_private(out) as stream:
        info = WARCWriter(stream, gzip=gzip, warc_version="1.1")
        info.write_record(
            info.create_warcinfo_record(
                out.name,
                {"software": "action-week-hub", "description": "evidence of exported findings"},
            )
        )
        for entry in entries:
            if entry.found is None:
                why = (
                    f"the archived page differs from the one analysed (sha256 {entry.other_hashes[0]})"
                    if entry.other_hashes
                    else "no response record of its URL in the evidence files"
                )
                missing.append({"finding_id": entry.finding_id, "url": entry.url, "reason": why})
                continue
            data, record_id = exchange_records(
                entry.found["exchange"],
                gzip=gzip,
                extra={"Hub-Finding-Id": str(entry.finding_id), "Hub-Source-Record-Id": entry.found["source"]}
                | ({"Hub-Request-Reconstructed": "true"} if entry.found["reconstructed"] else {}),
            )
            stream.write(data)
            records.append(
                {
                    "finding_id": entry.finding_id,
                    "url": entry.url,
                    "record_id": record_id,
                    "sha256": entry.sha256,
                    "payload_digest": warc_digest(entry.found["exchange"].body),
                    "warc_date": entry.found["exchange"].date,
                    "source_record_id": entry.found["source"],
                }
            )
    manifest = {
        "generated_at": document["generated_at"],
        "warc": out.name,
        "warc_sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
        "records": records,
        "missing": sorted(missing, key=lambda m: m["finding_id"]),
    }
    write_private(manifest_path(out), (json.dumps(manifest, indent=1) + "\n").encode())
    return manifest


def _missing(finding: dict[str, Any], reason: str) -> dict[str, Any]:
    return {
        "finding_id": finding["id"],
        "url": finding["fetch"]["final_url"] or finding["url"],
        "reason": reason,
    }


def _scan(sources: Sequence[Path], wanted: dict[str, list[_Wanted]], progress: Progress | None) -> None:
    """Find, in the source WARCs, each wanted page's record with the analysed sha256."""
    total = sum(Path(p).stat().st_size for p in sources) or 1
    done = 0
    for path in sources:
        requests: dict[str, list[tuple[str, str]]] = {}
        matched: list[_Wanted] = []
        with Path(path).open("rb") as stream:
            records = ArchiveIterator(stream)
            for record in records:
                if record.rec_type == "request" and record.http_headers is not None:
                    concurrent = record.rec_headers.get_header("WARC-Concurrent-To")
                    if concurrent:
                        requests[concurrent] = list(record.http_headers.headers)
                elif record.rec_type == "response":
                    matched += _match(record, wanted)
                if progress:
                    progress(done + records.get_record_offset(), total)
        for entry in matched:
            assert entry.found is not None
            # Our evidence writer puts the request after its response: attach it once read.
            request = requests.get(entry.found["source"])
            if request is not None:
                entry.found["exchange"] = replace(entry.found["exchange"], request_headers=request)
                entry.found["reconstructed"] = False
        done += Path(path).stat().st_size
    if progress:
        progress(total, total)


def _match(record: ArcWarcRecord, wanted: dict[str, list[_Wanted]]) -> list[_Wanted]:
    """The wanted findings this response record is the analysed page of (now marked found)."""
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    try:
        candidates = wanted.get(uri) or wanted.get(loose_key(uri)) or []
    except ValueError:
        return []
    open_ones = [w for w in candidates if w.found is None]
    if not open_ones or record.http_headers is None:
        return []
    body = record.content_stream().read()
    digest = hashlib.sha256(body).hexdigest()
    http = record.http_headers
    host = uri.split("//", 1)[-1].split("/", 1)[0]
    exchange = Exchange(
        url=uri,
        status=int(http.get_statuscode() or 0),
        reason=http.statusline.partition(" ")[2],
        response_headers=list(http.headers),
        body=body,
        request_headers=[("Host", host)],
        http_version=http.protocol or "HTTP/1.1",
        date=record.rec_headers.get_header("WARC-Date"),
    )
    source = record.rec_headers.get_header("WARC-Record-ID") or ""
    matched = []
    for entry in open_ones:
        if digest == entry.sha256:
            entry.found = {"exchange": exchange, "source": source, "reconstructed": True}
            matched.append(entry)
        else:
            entry.other_hashes.append(digest)
    return matched
