"""Refang and defang: undo the ways investigators break links so chat clients don't open them.

Conventions (decided here, used by the whole hub):

- `refang(text)` is safe on free chat text. It undoes only spellings that are unambiguous
  anywhere: `hxxp`/`hXXp`/`xxxx` schemes and broken separators (`[:]//`, `[://]`, `http//`,
  `http__`, `http:\\\\`), bracketed dots/ats/slashes (`[.]`, `(.)`, `{.}`, `[dot]`, `(punto)`,
  `[at]`, `(@)`, `[/]`, `[:]`, `[-]`), half brackets between word characters
  (`example[.com`, `111.]111`), `].[`, `[www]`, backslash escapes (`\\.`) and `-dot-`.
  Spaces are closed up only next to a bracketed form or inside a URL that starts with a scheme
  (`http:// example .com /x`, `http://example dot com/x`); a bare ` dot ` or ` at ` in prose is
  left alone.
- `refang_email(span)` is for one e-mail-shaped span that a caller already isolated: it also
  accepts bare ` at `/` AT `, ` dot `/`DOT` and stray brackets, which would wreck prose.
- `defang(url)` writes `hxxp://`, `hxxps://`, `fxp://` and `[.]` for every dot of the host
  (path untouched), as iocextract does; `refang(defang(u)) == u` for every URL that refang
  leaves unchanged.

Each pass keeps a map from output characters back to the input, so `links.py` can report a
link's raw spelling exactly as it was typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["RefangedText", "defang", "refang", "refang_email", "refang_mapped"]

_OPEN = r"[\[\(\{]"
_CLOSE = r"[\]\)\}]"
_DOT_WORDS = r"(?:\.|dot|punto|punkt|point|,)"
_AT_WORDS = r"(?:@|at|arroba|et)"

# A scheme, optionally in brackets, followed by any broken spelling of "://".
_SCHEME_NAME = r"h[xt]{2}ps?|xxxxx|xxxxs|xxxx|f[xt][xp]s?"
_SEPARATOR = (
    r"(?:[ \t]*(?:\[:\]|\(:\)|\{:\}|:)?[ \t]*(?:\[//\]|\(//\)|/{2,}|__|\\\\)"
    rf"|[ \t]*{_OPEN}://{_CLOSE}"
    rf"|:{_OPEN}//{_CLOSE})"
)
_SCHEME = re.compile(
    rf"(?<![\w.+-])(?:\[(?P<a>{_SCHEME_NAME})\]|\((?P<b>{_SCHEME_NAME})\)|(?P<c>{_SCHEME_NAME}))"
    # Spaces after "//" are closed up only when a host follows: "http:// then" stays prose.
    rf"{_SEPARATOR}(?:[ \t]+(?=[\w-]+[ \t]*[.\[\(\{{]))?",
    re.IGNORECASE,
)
_BACKSLASH = re.compile(r"\\(?=[.\[\]\(\)\{\}/])")
_BRACKETED_WWW = re.compile(r"\[(www\d{0,3})\]", re.IGNORECASE)
# Each pattern that starts with a repeated class refuses to start inside a run of that class:
# otherwise a long run of spaces or brackets costs quadratic time (a 20k-character paste).
_RUN_START = r"(?<![ \t\[\(\{])"
_BRACKETED_DOT = re.compile(
    rf"{_RUN_START}[ \t]*{_OPEN}[ \t]*{_DOT_WORDS}[ \t]*{_CLOSE}[ \t]*", re.IGNORECASE
)
_HALF_BRACKET = re.compile(r"(?<=\w)(?:\]\.\[|\[\.|\.\]|\[dot|dot\])(?=\w)", re.IGNORECASE)
_HALF_SLASH = re.compile(r"(?<=\w)\[/(?=\w)")
_BRACKETED_SEPARATOR = re.compile(r"\[(:|/|-)\]|\((/)\)|\{(/)\}")
_BRACKETED_AT = re.compile(rf"{_RUN_START}[ \t]*{_OPEN}[ \t]*{_AT_WORDS}[ \t]*{_CLOSE}[ \t]*", re.IGNORECASE)
_DASH_DOT = re.compile(r"(?<=[^\W_])-dot-(?=[^\W_])", re.IGNORECASE)
# Inside a URL with a scheme, spaces before a dot, spaced " . " or a spelled " dot " join labels.
_SPACED_HOST = re.compile(
    r"(?P<head>(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,15}://)"
    r"(?P<host>[\w-]+(?:(?:[ \t]+\.[ \t]*|\.|[ \t]+dot[ \t]+)[\w-]+)+)"
    r"(?P<slash>[ \t]+/)?",
    re.IGNORECASE,
)

_EMAIL_JUNK = r"(?<![\s\[\]\(\)\{\}])[\s\[\]\(\)\{\}]*"
# A spelled-out "at"/"dot" counts only between spaces or brackets: "kate.at.home@…" is a name.
_EMAIL_AT_WORD = r"(?<=[\s\[\]\(\)\{\}])(?:at|arroba|et)(?=[\s\[\]\(\)\{\}])"
_EMAIL_DOT_WORD = r"(?<=[\s\[\]\(\)\{\}])(?:dot|punto|punkt|point)(?=[\s\[\]\(\)\{\}])"
_EMAIL_AT = re.compile(rf"{_EMAIL_JUNK}(?:@|{_EMAIL_AT_WORD}){_EMAIL_JUNK}", re.IGNORECASE)
_EMAIL_DOT = re.compile(rf"{_EMAIL_JUNK}(?:\.|{_EMAIL_DOT_WORD}){_EMAIL_JUNK}", re.IGNORECASE)
_EMAIL_GLUED_DOT = re.compile(r"(?<=[a-z0-9])DOT(?=[a-z0-9])")

_DEFANG_SCHEMES = {"http": "hxxp", "https": "hxxps", "ftp": "fxp", "ftps": "fxps"}


@dataclass(frozen=True, slots=True)
class RefangedText:
    """Refanged text plus, per output character, the input span it came from."""

    text: str
    source: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The input span that produced output characters `start:end` (end exclusive, end > start)."""
        return self.starts[start], self.ends[end - 1]


def _scheme_for(name: str) -> str:
    lowered = name.lower()
    if lowered.startswith("f"):
        return "ftps" if lowered.endswith("s") and len(lowered) == 4 else "ftp"
    if lowered.startswith("x"):
        return "http" if lowered == "xxxx" else "https"
    return "https" if lowered.endswith("s") else "http"


def _fixed_scheme(match: re.Match[str]) -> str:
    fixed = _scheme_for(match.group("a") or match.group("b") or match.group("c")) + "://"
    # An upper-case but otherwise intact scheme is how it was typed, not a defanging.
    return match.group(0) if match.group(0).lower() == fixed else fixed


def _joined_host(match: re.Match[str]) -> str:
    host = match.group("host")
    joined = re.sub(r"[ \t]+dot[ \t]+", ".", host, flags=re.IGNORECASE)
    joined = re.sub(r"[ \t]*\.[ \t]*", ".", joined)
    if joined == host:
        return match.group(0)  # nothing spaced out: a following " /" is prose, not a path
    return match.group("head") + joined + ("/" if match.group("slash") else "")


_Replacement = Callable[[re.Match[str]], str]

_PASSES: tuple[tuple[re.Pattern[str], _Replacement], ...] = (
    (_BACKSLASH, lambda m: ""),
    (_SCHEME, _fixed_scheme),
    (_BRACKETED_WWW, lambda m: m.group(1)),
    (_BRACKETED_DOT, lambda m: "."),
    (_HALF_BRACKET, lambda m: "."),
    (_HALF_SLASH, lambda m: "/"),
    (_BRACKETED_SEPARATOR, lambda m: next(g for g in m.groups() if g)),
    (_BRACKETED_AT, lambda m: "@"),
    (_DASH_DOT, lambda m: "."),
    (_SPACED_HOST, _joined_host),
)


def _substitute(
    pattern: re.Pattern[str], replace: _Replacement, text: str, starts: list[int], ends: list[int]
) -> tuple[str, list[int], list[int]]:
    parts: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    position = 0
    for match in pattern.finditer(text):
        begin, finish = match.span()
        replacement = replace(match)
        if replacement == match.group(0) or begin == finish:
            continue
        parts.append(text[position:begin])
        new_starts.extend(starts[position:begin])
        new_ends.extend(ends[position:begin])
        # Every character of a replacement stands for the whole span it replaced.
        parts.append(replacement)
        new_starts.extend([starts[begin]] * len(replacement))
        new_ends.extend([ends[finish - 1]] * len(replacement))
        position = finish
    if position == 0:
        return text, starts, ends
    parts.append(text[position:])
    new_starts.extend(starts[position:])
    new_ends.extend(ends[position:])
    return "".join(parts), new_starts, new_ends


def refang_mapped(text: str) -> RefangedText:
    """Refang `text` and keep, for every output character, where it came from in `text`."""
    current = text
    starts = list(range(len(text)))
    ends = list(range(1, len(text) + 1))
    for pattern, replace in _PASSES:
        current, starts, ends = _substitute(pattern, replace, current, starts, ends)
    return RefangedText(text=current, source=text, starts=tuple(starts), ends=tuple(ends))


def refang(text: str) -> str:
    """Undo defanging in free text (see the module docstring for what is and is not undone)."""
    return refang_mapped(text).text


def refang_email(span: str) -> str:
    """Refang one isolated e-mail-shaped span, e.g. `anna { at ) mail DOT com` → `anna@mail.com`."""
    address = refang(span)
    address = _EMAIL_GLUED_DOT.sub(".", address)
    address = _EMAIL_AT.sub("@", address)
    address = _EMAIL_DOT.sub(".", address)
    return address.strip(" \t\r\n[](){}")


def defang(url: str) -> str:
    """Defang a URL (or bare host) for echoing in chat: `hxxps://example[.]com/path.html`."""
    fanged = refang(url.strip())
    scheme, separator, rest = fanged.partition("://")
    if not separator:
        scheme, rest = "", fanged
    authority_end = len(rest)
    for stop in "/?#":
        index = rest.find(stop)
        if index != -1:
            authority_end = min(authority_end, index)
    authority, tail = rest[:authority_end], rest[authority_end:]
    userinfo, at, host_port = authority.rpartition("@")
    defanged_authority = userinfo + at + host_port.replace(".", "[.]")
    if not separator:
        return defanged_authority + tail
    return _DEFANG_SCHEMES.get(scheme.lower(), scheme) + "://" + defanged_authority + tail
