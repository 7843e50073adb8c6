"""E-mail addresses in text, including the ways ads obscure them.

Handled spellings: plain `anna@mail.com`, `mailto:` targets (percent-encoding undone),
`anna (at) mail (dot) com` with any of () [] {} <> around `at`/`@`/`dot`/`.`,
`anna @ mail . com` with spaces, and the bare words `anna at mail dot com` — also in the
words other languages use (`anna arroba gmail punto com`, `anna (klammeraffe) web (punkt) de`).

Which obfuscations count (the rule that keeps prose out):
- A *clear* spelling is accepted whenever its host ends in a real public suffix: a tight `@`,
  a bracketed `(at)`/`[at]`, or any bracketed `(dot)` or spaced ` . ` separator, or `AT`/`DOT`
  written in capitals.
- A *weak* spelling — the bare word `at` (or a spaced ` @ `) followed only by `dot` words or
  tight dots — is accepted only when it looks like an address: the local part starts with a
  letter and carries a digit or one of `._+-`, or the host is a known free-mail provider.
  So "meet at home dot com" and "info at www.site.com" stay prose, "anna at gmail dot com"
  and "tina79 at outlook dot com" are addresses.

Never e-mails: the user part of a URL (`https://user@host/…`, `https://x.com/@user`) and
retina image names (`logo@2x.png`, whose "domain" has no public suffix).
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import TYPE_CHECKING, Literal
from urllib.parse import unquote

from extraction.types import Identifier

if TYPE_CHECKING:
    import tldextract

_LOCAL = r"[A-Za-z0-9][A-Za-z0-9._%+\-]*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
_OPEN = r"[(\[{<]"
_CLOSE = r"[)\]}>]"
# "at" and "dot" as ads in other languages write them: arroba (es, pt), arobase (fr), chiocciola
# (it), klammeraffe (de), apenstaartje (nl), małpa (pl); punto (es, it), ponto (pt), punkt
# (de, pl), punt (nl), point (fr), punct (ro), kropka (pl).
_AT_WORD = r"(?:at|arroba|arobase|chiocciola|klammeraffe|apenstaartje|ma[łl]pa)"
_DOT_WORD = r"(?:dot|punto|ponto|punkt|punt|point|punct|kropka)"
# A bare at-word and a bare dot-word must be of one language: "anna_22 at this point is busy" is
# English prose with a French "point", not an address. `@` or a bracketed word goes with any.
_AT_LANGUAGES = {
    "at": {"en"},
    "arroba": {"es", "pt"},
    "arobase": {"fr"},
    "chiocciola": {"it"},
    "klammeraffe": {"de"},
    "apenstaartje": {"nl"},
    "małpa": {"pl"},
    "malpa": {"pl"},
}
_DOT_LANGUAGES = {
    "dot": {"en"},
    "punto": {"es", "it"},
    "ponto": {"pt"},
    "punkt": {"de", "pl"},
    "punt": {"nl"},
    "point": {"fr"},
    "punct": {"ro"},
    "kropka": {"pl"},
}
_AT = rf"(?:\s*@\s*|\s*{_OPEN}\s*(?:{_AT_WORD}|@)\s*{_CLOSE}\s*|\s+{_AT_WORD}\s+)"
_DOT = rf"(?:\.|\s+\.\s+|\s*{_OPEN}\s*(?:{_DOT_WORD}|\.)\s*{_CLOSE}\s*|\s+{_DOT_WORD}\s+)"
# The lookbehind stops a retry one character further from finding the tail of a rejected
# local part ("hunter2@…" after "admin:hunter2@…" was refused as a URL's user part).
_CANDIDATE = re.compile(
    rf"(?<![A-Za-z0-9._%+\-])(?P<local>{_LOCAL})(?P<at>{_AT})(?P<domain>{_LABEL}(?:{_DOT}{_LABEL})+)",
    re.IGNORECASE,
)
_DOT_SEPARATOR = re.compile(f"({_DOT})", re.IGNORECASE)
_MAILTO = re.compile(r"mailto:([^\s\"'<>]+)", re.IGNORECASE)
_LOOKS_LIKE_MAILBOX = re.compile(r"[A-Za-z][A-Za-z0-9]*[0-9._+\-][A-Za-z0-9._+\-]*")

SeparatorStyle = Literal["tight", "spaced", "bracket", "word", "capital_word"]


def find_emails(text: str, *, source: Literal["page", "message"] = "page") -> list[Identifier]:
    """Every e-mail address in the text, lower case, once each, in order of first appearance."""
    text = _MAILTO.sub(lambda match: "mailto:" + unquote(match.group(1)), text)
    found: dict[str, Identifier] = {}
    position = 0
    while (match := _CANDIDATE.search(text, position)) is not None:
        accepted = _email_of(match, text)
        if accepted is None:
            position = match.start() + 1
            continue
        value, obscured = accepted
        if value not in found:
            found[value] = Identifier(
                kind="email", value=value, raw=match.group(), source=source, obscured=obscured
            )
        position = match.end()
    return list(found.values())


def _email_of(match: re.Match[str], text: str) -> tuple[str, bool] | None:
    """(value, obscured) when the candidate is an address by the module's rule, else None."""
    local = match.group("local")
    if local.endswith(".") or ".." in local or _inside_url(text, match.start()):
        return None
    pieces = _DOT_SEPARATOR.split(match.group("domain"))
    labels, separators = pieces[::2], [_style(piece) for piece in pieces[1::2]]
    domain = ".".join(labels).lower()
    registrable = _registrable_domain(domain)
    if registrable is None:
        return None
    at_style = _style(match.group("at"))
    if not _one_language(match.group("at"), at_style, pieces[1::2]):
        return None
    is_clear = at_style in ("tight", "bracket", "capital_word") or any(
        style in ("spaced", "bracket", "capital_word") for style in separators
    )
    if not is_clear and not (_LOOKS_LIKE_MAILBOX.fullmatch(local) or registrable in _webmail_domains()):
        return None
    obscured = at_style != "tight" or any(style != "tight" for style in separators)
    return f"{local.lower()}@{domain}", obscured


def _one_language(at: str, at_style: SeparatorStyle, dots: list[str]) -> bool:
    """A bare at-word with bare dot-words: they must share a language (see _AT_LANGUAGES)."""
    if at_style not in ("word", "capital_word"):
        return True
    languages = _AT_LANGUAGES.get(at.strip().lower(), set())
    for dot in dots:
        if _style(dot) in ("word", "capital_word") and not languages & _DOT_LANGUAGES.get(
            dot.strip().lower(), set()
        ):
            return False
    return True


def _style(separator: str) -> SeparatorStyle:
    core = separator.strip()
    if core[:1] in "([{<":
        return "bracket"
    if core.isalpha():
        return "capital_word" if core.isupper() else "word"
    return "spaced" if core != separator else "tight"


def _inside_url(text: str, start: int) -> bool:
    """True when the candidate sits after a `/` in the same token: a URL's user part or path."""
    token_start = max(text.rfind(space, 0, start) for space in (" ", "\n", "\t", "\r")) + 1
    return "/" in text[token_start:start]


def _registrable_domain(domain: str) -> str | None:
    """`mail.com` for `smtp.mail.com`, None when the host ends in no public suffix or is a bare IP."""
    if domain.rsplit(".", 1)[-1].isdigit():
        return None
    parts = _suffix_list()(domain)
    if not parts.suffix or not parts.domain:
        return None
    return f"{parts.domain}.{parts.suffix}"


@functools.cache
def _suffix_list() -> tldextract.TLDExtract:
    # Offline: the snapshot shipped with tldextract, never a download at run time.
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@functools.cache
def _webmail_domains() -> frozenset[str]:
    data = resources.files("extraction").joinpath("data", "webmail_domains.json").read_text("utf-8")
    return frozenset(json.loads(data)["domains"])
