"""Page bytes → text: which character set a fetched page is really written in.

Order follows browsers (WHATWG): a byte-order mark, then the HTTP `charset`, then
`<meta charset>` in the first 4 KiB, else UTF-8. Hostile pages lie about all of these, so
decoding never raises.
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)


def decode_html(raw: bytes, content_type: str | None = None) -> str:
    """Decode page bytes: BOM, then the HTTP charset, then `<meta charset>`, else UTF-8.

    Undecodable bytes become U+FFFD instead of raising: hostile pages must not stop a report.
    """
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if raw.startswith(bom):
            return raw[len(bom) :].decode(codec, errors="replace")
    declared = _charset_param(content_type)
    if declared is None:
        found = _META_CHARSET.search(raw[:4096])
        # A page cannot really be UTF-16 if its <meta> was readable as ASCII (WHATWG rule).
        declared = _known_codec(found.group(1).decode("ascii", "replace")) if found else None
        if declared is not None and declared.startswith("utf-16"):
            declared = "utf-8"
    return raw.decode(declared or "utf-8", errors="replace")


def _charset_param(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return _known_codec(value.strip().strip("\"'"))
    return None


def _known_codec(label: str) -> str | None:
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # WHATWG maps Latin-1 and ASCII labels to windows-1252; real pages rely on it (€, “ ”).
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name
