"""The public conformance vectors (tests/tables/*.tsv, cited in tests/tables/README.md) as rows by header.

Each file is tab-separated with one header line; `#` lines are comments, and a field that
starts with a double quote is a JSON string (so it can hold tabs, newlines and invisibles).
"""

from __future__ import annotations

import json
from pathlib import Path

VECTORS = Path(__file__).resolve().parent / "tables"


def field(value: str) -> str:
    """One TSV field: JSON-decoded when quoted, else as written."""
    return json.loads(value) if value.startswith('"') else value


def vector_rows(name: str) -> list[dict[str, str]]:
    """The rows of `VECTORS / name` by column name, or [] when the file is missing."""
    path = VECTORS / name
    if not path.exists():
        return []
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, map(field, line.split("\t")), strict=True)) for line in lines[1:] if line]
