"""`hub verify-evidence FILE`: recompute every digest of an evidence WARC and its manifest.

Checks, for every record, the WARC-Block-Digest and WARC-Payload-Digest (whatever their
algorithm; warcio recomputes them); for every manifest entry, that its record is there and its
payload sha256 is the one the manifest (and so the database) names; and the sha256 of the
whole file. A compressed file whose bytes were altered usually cannot even be decompressed:
that is reported as a problem too.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from commands.export.warc import manifest_path


@dataclass(slots=True)
class EvidenceCheck:
    records: int = 0
    digests_verified: int = 0
    without_digest: int = 0
    manifest_entries: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_evidence(warc: Path, manifest: Path | None = None) -> EvidenceCheck:
    """Recompute the hashes of `warc` (and of its manifest's entries, when there is one)."""
    result = EvidenceCheck()
    manifest = manifest if manifest is not None else manifest_path(warc)
    expected: dict[str, dict[str, object]] = {}
    if manifest.is_file():
        try:
            listed = json.loads(manifest.read_text(encoding="utf-8"))
            expected = {str(r["record_id"]): r for r in listed["records"]}
            whole = listed.get("warc_sha256")
        except (ValueError, KeyError, TypeError) as exc:
            result.problems.append(f"manifest {manifest.name} unreadable: {exc.__class__.__name__}")
            whole = None
        result.manifest_entries = len(expected)
        if whole and hashlib.sha256(warc.read_bytes()).hexdigest() != whole:
            result.problems.append(f"{warc.name}: the file's sha256 differs from the manifest's")
    seen: set[str] = set()
    offset = 0
    try:
        with warc.open("rb") as stream:
            records = ArchiveIterator(stream, check_digests=True)
            for record in records:
                payload = record.content_stream().read()  # before the offset: asking it skips the body
                offset = records.get_record_offset()
                record_id = record.rec_headers.get_header("WARC-Record-ID") or f"at offset {offset}"
                result.records += 1
                checker = record.digest_checker
                if checker.passed is False:
                    result.problems += [
                        f"record {record_id} (offset {offset}): {p}" for p in checker.problems
                    ]
                elif checker.passed:
                    result.digests_verified += 1
                elif record.rec_type != "warcinfo":
                    result.without_digest += 1
                listed_entry = expected.get(record_id)
                if listed_entry is not None:
                    seen.add(record_id)
                    actual = hashlib.sha256(payload).hexdigest()
                    if actual != listed_entry.get("sha256"):
                        result.problems.append(
                            f"finding #{listed_entry.get('finding_id')}: record {record_id} payload sha256 "
                            f"{actual} ≠ {listed_entry.get('sha256')}"
                        )
    except (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError) as exc:
        result.problems.append(
            f"{warc.name} is damaged after offset {offset}: {exc.__class__.__name__} ({str(exc)[:60]!a})"
        )
    for record_id in sorted(set(expected) - seen):
        result.problems.append(
            f"finding #{expected[record_id].get('finding_id')}: "
            f"record {record_id} is missing from {warc.name}"
        )
    return result
