"""Page bytes → text: which character set a fetched page is really written in.

Order follows browsers (WHATWG "determine the character encoding"): a byte-order mark, then
the HTTP `charset`, then `<meta charset>` / `<meta http-equiv>` in the first 4 KiB, and only
then a guess from the bytes themselves — never a blind UTF-8. The guess: bytes that are valid
UTF-8 are UTF-8 (pure ASCII included); anything else goes to charset-normalizer, which tells an
undeclared Polish cp1250 page from a cp1252 one, KOI8-R from cp1251, Shift_JIS from EUC-JP.
Labels are read as the WHATWG Encoding Standard reads them (`latin1`, `ascii` and
`iso-8859-1` mean windows-1252, `gb2312` means GBK, `euc-kr` means windows-949 …), not as
Python's codec registry would. Hostile pages lie about all of these, so decoding never raises.
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_META_WINDOW = 4096
# charset-normalizer reads this much of a long page: enough to tell the code page, and linear.
_SNIFF_BYTES = 64 * 1024
_CHAOS_MARGIN = 0.1
_LANG_ATTRIBUTE = re.compile(
    rb"""(?:<html[^>]*\blang|<meta[^>]+http-equiv\s*=\s*["']?content-language["']?[^>]*content)"""
    rb"""\s*=\s*["']?([A-Za-z]{2,3})\b""",
    re.IGNORECASE,
)
# The legacy code pages a language's pages were written in (the WHATWG locale defaults).
_CENTRAL = ("cp1250", "iso8859-2")
_CYRILLIC = ("cp1251", "koi8-r", "koi8-u", "iso8859-5")
_LANGUAGE_CODE_PAGES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("pl", "cs", "sk", "hu", "sl", "hr", "ro", "bs", "sq"), _CENTRAL),
    **dict.fromkeys(("ru", "uk", "bg", "be", "sr", "mk"), _CYRILLIC),
    **dict.fromkeys(
        ("en", "de", "fr", "es", "it", "nl", "pt", "da", "sv", "no", "nb", "fi", "ga"), ("cp1252",)
    ),
    "el": ("cp1253", "iso8859-7"),
    "tr": ("cp1254",),
    "he": ("cp1255",),
    "ar": ("cp1256",),
    **dict.fromkeys(("lt", "lv", "et"), ("cp1257", "iso8859-13")),
    "vi": ("cp1258",),
    "th": ("cp874",),
    "ja": ("cp932", "euc_jp", "iso2022_jp"),
    "ko": ("cp949",),
    "zh": ("gbk", "gb18030", "big5hkscs"),
}
# Where the WHATWG Encoding Standard decodes a label differently from Python's codec of the
# same name (the standard's superset decoders, and its Latin-1/ASCII → windows-1252 rule).
_WHATWG = {
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gbk",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
    "big5": "big5hkscs",
}

# WHATWG labels Python's registry does not know.
_WHATWG_LABELS = {
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "ms932": "cp932",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601-1989": "cp949",
    "x-gbk": "gbk",
    "x-euc-jp": "euc_jp",
    "x-mac-roman": "mac_roman",
    "x-mac-cyrillic": "mac_cyrillic",
    "x-cp1250": "cp1250",
    "x-cp1251": "cp1251",
    "x-cp1252": "cp1252",
    "unicode-1-1-utf-8": "utf-8",
    "unicode20utf8": "utf-8",
    "x-unicode20utf8": "utf-8",
}


def decode_html(raw: bytes, content_type: str | None = None) -> str:
    """Decode page bytes: BOM, HTTP charset, `<meta charset>`, else a guess from the bytes.

    Undecodable bytes become U+FFFD instead of raising: hostile pages must not stop a report.
    """
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if raw.startswith(bom):
            return raw[len(bom) :].decode(codec, errors="replace")
    return raw.decode(page_encoding(raw, content_type), errors="replace")


def page_encoding(raw: bytes, content_type: str | None = None) -> str:
    """The Python codec a BOM-less page is read with: HTTP charset, `<meta>`, else detection."""
    declared = _charset_param(content_type)
    if declared is None:
        found = _META_CHARSET.search(raw[:_META_WINDOW])
        declared = whatwg_codec(found.group(1).decode("ascii", "replace")) if found else None
        # A page cannot really be UTF-16 if its <meta> was readable as ASCII (WHATWG rule).
        if declared is not None and declared.startswith("utf-16"):
            declared = "utf-8"
    return declared or detect_encoding(raw)


def detect_encoding(raw: bytes) -> str:
    """The codec undeclared bytes are most likely in: UTF-8 if they are valid UTF-8, else a guess."""
    sample = raw[:_SNIFF_BYTES]
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sample's end is still UTF-8.
        if exc.start < len(sample) - 3 or len(raw) <= _SNIFF_BYTES:
            return _guess(sample)
    return "utf-8"


def _guess(sample: bytes) -> str:
    """charset-normalizer's nearly-as-good candidates, settled by the page's language.

    Code pages of one script decode the same bytes into equally "clean" text (cp1250, cp1252
    and cp1257 all read French bytes), so among candidates within `_CHAOS_MARGIN` of the best
    the page's declared language picks its own legacy code page (`<html lang="pl">` → cp1250,
    as browsers pick by locale); failing that, the single-byte reading whose words py3langid
    finds most like a real language wins.
    """
    from charset_normalizer import from_bytes

    results = list(from_bytes(sample))
    if not results:
        return "cp1252"  # the WHATWG default for an unlabelled legacy page in a European locale
    floor = min(result.chaos for result in results)
    candidates = [
        codec
        for result in results
        if result.chaos <= floor + _CHAOS_MARGIN and (codec := whatwg_codec(result.encoding)) is not None
    ]
    if not candidates:
        return "cp1252"
    family = _LANGUAGE_CODE_PAGES.get(_declared_language(sample) or "", ())
    for codec in candidates:
        if codec in family:
            return codec
    single_byte = [codec for codec in candidates if _is_single_byte(codec)]
    if len(single_byte) > 1 and _is_single_byte(candidates[0]):
        return max(single_byte, key=lambda codec: _language_score(sample.decode(codec, errors="replace")))
    return candidates[0]


def _declared_language(raw: bytes) -> str | None:
    found = _LANG_ATTRIBUTE.search(raw[:_META_WINDOW])
    return found.group(1).decode("ascii").lower() if found else None


def _is_single_byte(codec: str) -> bool:
    return codec.startswith(("cp12", "iso8859", "koi8", "mac_", "cp8")) and codec not in ("cp932", "cp949")


def _language_score(text: str) -> float:
    import py3langid

    return float(py3langid.classify(text)[1])


def whatwg_codec(label: str) -> str | None:
    """The Python codec for a charset label, read as the WHATWG Encoding Standard reads it."""
    label = label.strip().lower()
    if label in _WHATWG_LABELS:
        return _WHATWG_LABELS[label]
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _WHATWG.get(name, name)


def _charset_param(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return whatwg_codec(value.strip().strip("\"'"))
    return None
