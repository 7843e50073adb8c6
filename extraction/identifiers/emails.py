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
  tight dots — is accepted only with evidence that it is an address: the local part starts
  with a letter and carries a digit or one of `._+-`; or the host is a known free-mail
  provider; or the host belongs to a site the caller knows from the page (its own URL, its
  links: `hager at cs dot jhu dot edu` on cs.jhu.edu); or a mail label (`E-mail:`,
  `Courriel :`, `Correo:`, `Poczta:` …) precedes it on its line; or — for a spaced ` @ ` with
  a tightly dotted host (`ullman @ cs.stanford.edu`) — the local part is a lower-case name
  that is no platform label or pronoun (`IG @ anna.vip`, `me @ home.com` stay handles/prose);
  or — all in words, `name at domain dot tld`, all lower case — the word before `at` is not
  one prose puts there (`meet`, `look`, `available` …: "meet at home dot com" is prose,
  "myuser at example dot com" an address). So "info at www.site.com" and "Deals at Target
  dot com" stay prose, "anna at gmail dot com" and "tina79 at outlook dot com" are addresses.
- Bracket runs and halves count as brackets (`[[ . )]`, `example[.com`), a host label has 63
  characters at most, and a host that is no valid one is cut before its last spaced ` . `
  (`x@example [.] com . tld` → `x@example.com`).
- Words as dots (`pal at cs stanford edu`) only after a mail label *and* on a known site.
- The local part of any spelling other than a tight `@` needs a letter and no currency sign
  before it: `$700 at Amazon . You'll` is a price, not `700@amazon.you`. A spaced ` . ` before
  a capitalised word, or a label running on into `'ll`/`'s`, is a sentence, not a host.
- Soft hyphens and zero-width characters inside an address are dropped before reading
  (`ma\u00adrie@…`), and a word glued after the suffix is cut at its capital
  (`x@gmail.comYes` → `x@gmail.com`).

Never e-mails: the user part of a URL (`https://user@host/…`, `https://x.com/@user`) and
retina image names (`logo@2x.png`, whose "domain" has no public suffix).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Collection
from importlib import resources
from typing import TYPE_CHECKING, Literal
from urllib.parse import unquote

from extraction.types import Identifier

if TYPE_CHECKING:
    import tldextract

_LOCAL = r"[A-Za-z0-9][A-Za-z0-9._%+\-]*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"  # a DNS label: 63 characters at most
_OPEN = r"[(\[{<]"
_CLOSE = r"[)\]}>]"
# "at" and "dot" as ads in other languages write them: arroba (es, pt), arobase (fr), chiocciola
# (it), klammeraffe and ät (de), apenstaartje (nl), małpa (pl), собака (ru, uk), равлик (uk);
# punto (es, it), ponto (pt), punkt (de, pl), punt (nl), point (fr), punct (ro), kropka (pl),
# точка (ru, uk), крапка (uk).
_AT_WORD = r"(?:at|ät|arroba|arobase|chiocciola|klammeraffe|apenstaartje|ma[łl]pa|собака|равлик)"
_DOT_WORD = r"(?:dot|punto|ponto|punkt|punt|point|punct|kropka|точка|крапка)"
# A bare at-word and a bare dot-word must be of one language: "anna_22 at this point is busy" is
# English prose with a French "point", not an address. `@` or a bracketed word goes with any.
_AT_LANGUAGES = {
    "at": {"en"},
    "ät": {"de"},
    "собака": {"ru", "uk"},
    "равлик": {"uk"},
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
    "точка": {"ru", "uk"},
    "крапка": {"uk"},
}
# Brackets may come in runs and halves: "[ at ]", "{ @ )", "[[[ . )])", "example[.com", "example.]com".
_RUN_OPEN = r"[\s(\[{<]{0,16}"
_RUN_CLOSE = r"[\s)\]}>]{0,16}"
# Spaces around a separator are bounded: obfuscations use a few, and an unbounded `\s*` in every
# alternative would rescan a megabyte of blanks once per alternative and start position.
_SP = r"\s{0,10}"
_SP1 = r"\s{1,10}"
_AT = (
    rf"(?:{_SP}@{_SP}|{_SP}{_OPEN}{_RUN_OPEN}(?:{_AT_WORD}|@){_SP}{_CLOSE}{_RUN_CLOSE}"
    rf"|{_SP1}{_AT_WORD}{_SP1})"
)
_DOT = (
    rf"(?:\.|{_SP1}\.{_SP1}|{_SP}{_OPEN}{_RUN_OPEN}(?:{_DOT_WORD}|\.){_RUN_CLOSE}"
    rf"|(?:{_DOT_WORD}|\.){_SP}{_CLOSE}{_RUN_CLOSE}|{_SP1}{_DOT_WORD}{_SP1})"
)
# The lookbehind stops a retry one character further from finding the tail of a rejected
# local part ("hunter2@…" after "admin:hunter2@…" was refused as a URL's user part) and keeps
# prices ("$700 at …") out. The host ends where a word ends: never inside "You'll".
_NOT_BEFORE = r"(?<![A-Za-z0-9._%+\-$€£¥])"
_HOST_END = r"(?![A-Za-z0-9]|['’][A-Za-z])"
_CANDIDATE = re.compile(
    rf"{_NOT_BEFORE}(?P<local>{_LOCAL})(?P<at>{_AT})(?P<domain>{_LABEL}(?:{_DOT}{_LABEL})+){_HOST_END}",
    re.IGNORECASE,
)
# Words as dots ("pal at cs stanford edu"): two to four lower-case labels after an at-word.
_SPACED_LABELS = re.compile(
    rf"{_NOT_BEFORE}(?P<local>[a-z][a-z0-9._\-]*)(?P<at>{_SP1}(?:{_AT_WORD}|@){_SP1})"
    r"(?P<domain>[a-z0-9\-]+(?: [a-z0-9\-]+){1,3})(?![A-Za-z0-9])"
)
# Characters that hide inside addresses and are no part of them.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
# A mail label right before the address on its line: "E-mail:", "Courriel :", "Correo -", or
# the label alone at the start of the line ("email serafim at …"). "mail me at …" is a verb.
_MAIL_LABEL = re.compile(
    r"(?P<first>^\s*)?(?<![A-Za-z])(?:e[\-‐ ]?mail|mail|courriel|correo(?: electr[oó]nico)?|poczta|"
    r"posta(?: elettronica)?|почта|пошта|e-?post|sähköposti)(?: ?(?:address|adresse|adres|adresa))?"
    r"\s*(?P<colon>[:：\-–])?\s*$",
    re.IGNORECASE,
)
_LABEL_WINDOW = 40
_TOKEN_WINDOW = 2048
# What a spaced " @ " after these is: a platform handle or prose, never a mailbox.
_NOT_A_MAILBOX = frozenset(
    # platform labels, then pronouns of the hub's languages ("IG @ anna.vip", "schreib uns ät …")
    """ig insta instagram tg telegram snap sc snapchat tiktok tt twitter x fb facebook of onlyfans kik
    wa whatsapp signal vk threads follow dm
    me us you him her them it we i uns mich dich ihn sie euch nous vous moi toi lui eux nos os te mi
    ti ci vi lo la ons mij jou hem haar nas mnie ciebie go ją mie ne ni""".split()  # noqa: SIM905
)
# Words that stand before "at" in English prose: verbs of place and looking, states, times.
_PROSE_BEFORE_AT = frozenset(
    """look looks looked looking glance glanced stare stared staring point pointed aim aimed laugh
    laughed meet meets met meeting see seen saw arrive arrives arrived arriving stay stays stayed
    staying be is are was were am been being live lives lived living work works worked working study
    studied studying shop shopping buy bought sell sold eat ate dine dined play played playing wait
    waiting sit sat stand stood stop stopped start started born died held hosted listed available
    here there back home open opened closed only now today tonight tomorrow once least all not good
    best bad great well found find call called email mail write reach contact apply register book
    order online offline anytime sometime one two three""".split()  # noqa: SIM905
)
_CAMEL_TAIL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_DOT_SEPARATOR = re.compile(f"({_DOT})", re.IGNORECASE)
_MAILTO = re.compile(r"mailto:([^\s\"'<>]+)", re.IGNORECASE)
_LOOKS_LIKE_MAILBOX = re.compile(r"[A-Za-z][A-Za-z0-9]*[0-9._+\-][A-Za-z0-9._+\-]*")

SeparatorStyle = Literal["tight", "spaced", "bracket", "word", "capital_word"]


def find_emails(
    text: str, *, source: Literal["page", "message"] = "page", known_domains: Collection[str] = ()
) -> list[Identifier]:
    """Every e-mail address in the text, lower case, once each, in order of first appearance.

    `known_domains`: registrable domains the page itself vouches for (its URL, its links);
    a weakly obscured address on one of them is accepted (see the module's rule).
    """
    text = _MAILTO.sub(lambda match: "mailto:" + unquote(match.group(1)), text).translate(_INVISIBLE)
    known = frozenset(domain.lower() for domain in known_domains)
    found: dict[str, Identifier] = {}
    for pattern, reader in ((_CANDIDATE, _email_of), (_SPACED_LABELS, _words_as_dots)):
        position = 0
        while (match := pattern.search(text, position)) is not None:
            accepted = reader(match, text, known)
            if accepted is None:
                position = match.start() + 1
                continue
            value, obscured, end = accepted
            if value not in found:
                raw = text[match.start() : end]
                found[value] = Identifier(
                    kind="email", value=value, raw=raw, source=source, obscured=obscured
                )
            position = match.end()
    return list(found.values())


def _email_of(match: re.Match[str], text: str, known: frozenset[str]) -> tuple[str, bool, int] | None:
    """(value, obscured, end) when the candidate is an address by the module's rule, else None."""
    local = match.group("local")
    if local.endswith(".") or ".." in local or _inside_url(text, match.start()):
        return None
    pieces = _DOT_SEPARATOR.split(match.group("domain"))
    for index in range(1, len(pieces), 2):
        if _style(pieces[index]) == "spaced" and _is_title_word(pieces[index + 1]):
            pieces = pieces[:index]  # "… axios.com . Email my …": a full stop, then the next sentence
            break
    registrable = _registrable_domain(".".join(pieces[::2]).lower()) if len(pieces) >= 3 else None
    while registrable is None and (spaced := _last_spaced(pieces)) >= 3:
        # "x@example [.] com . tld": a spaced " . " may be a full stop; the host ends before it.
        pieces = pieces[:spaced]
        registrable = _registrable_domain(".".join(pieces[::2]).lower())
    if len(pieces) < 3:
        return None
    labels, separators = pieces[::2], [_style(piece) for piece in pieces[1::2]]
    end = match.start("domain") + len("".join(pieces))
    if registrable is None and (cut := _CAMEL_TAIL.split(labels[-1])[0]) != labels[-1]:
        # A word glued after the suffix ("x@gmail.comYes"): the host ends at the capital.
        end -= len(labels[-1]) - len(cut)
        labels = [*labels[:-1], cut]
        registrable = _registrable_domain(".".join(labels).lower())
    if registrable is None:
        return None
    domain = ".".join(labels).lower()
    at_style = _style(match.group("at"))
    if not _one_language(match.group("at"), at_style, pieces[1::2]):
        return None
    if at_style != "tight" and not _plain_local(local):
        return None
    is_clear = at_style in ("tight", "bracket", "capital_word") or any(
        style in ("spaced", "bracket", "capital_word") for style in separators
    )
    if not is_clear and not _weak_is_address(match, text, local, registrable, known, at_style, separators):
        return None
    obscured = at_style != "tight" or any(style != "tight" for style in separators)
    return f"{local.lower()}@{domain}", obscured, end


def _last_spaced(pieces: list[str]) -> int:
    """Index of the last spaced ` . ` separator among split host pieces, or -1."""
    return next((i for i in range(len(pieces) - 2, 0, -2) if _style(pieces[i]) == "spaced"), -1)


def _words_as_dots(match: re.Match[str], text: str, known: frozenset[str]) -> tuple[str, bool, int] | None:
    """`pal at cs stanford edu`: only after a mail label and on a site the page vouches for."""
    if not known or not _plain_local(match.group("local")) or not _after_mail_label(text, match.start()):
        return None
    words = match.group("domain").split(" ")
    for count in range(len(words), 1, -1):
        domain = ".".join(words[:count])
        if _registrable_domain(domain) in known:
            end = match.start("domain") + len(" ".join(words[:count]))
            return f"{match.group('local')}@{domain}", True, end
    return None


def _weak_is_address(
    match: re.Match[str],
    text: str,
    local: str,
    registrable: str,
    known: frozenset[str],
    at_style: SeparatorStyle,
    separators: list[SeparatorStyle],
) -> bool:
    """Evidence that a bare-word or spaced-@ spelling is an address (see the module's rule)."""
    if _LOOKS_LIKE_MAILBOX.fullmatch(local) or registrable in _webmail_domains() or registrable in known:
        return True
    if _after_mail_label(text, match.start()):
        return True
    if at_style == "spaced" and all(style == "tight" for style in separators):
        return local[0].islower() and len(local) > 1
    # "name at domain dot tld" in words: an address unless the word before "at" is prose
    # ("meet at home dot com", "look at google dot com") or capitalised.
    # Written in lower case, as addresses are: "Deals at Target dot com" is an advertisement.
    words_only = at_style == "word" and all(style == "word" for style in separators)
    lower = local.islower() and match.group("domain").islower()
    return words_only and lower and local not in _PROSE_BEFORE_AT


def _plain_local(local: str) -> bool:
    """A local part an obscured spelling may have: a letter (`700` is a price), not a pronoun."""
    return any(char.isalpha() for char in local) and local.lower() not in _NOT_A_MAILBOX


def _is_title_word(label: str) -> bool:
    return len(label) > 1 and label[0].isupper() and label[1:].islower()


def _after_mail_label(text: str, start: int) -> bool:
    """True when a mail label ("E-mail:", "Correo:") ends right before `start` on its line."""
    window_start = max(0, start - _LABEL_WINDOW)
    newline = text.rfind("\n", window_start, start)
    # The line starts in the window after a newline, or at the text's start; else before the window.
    line_start = newline + 1 if newline >= 0 else (0 if window_start == 0 else -1)
    window_start = max(line_start, window_start)
    label = _MAIL_LABEL.search(text[window_start:start])
    return label is not None and (
        label.group("colon") is not None or (window_start == line_start and label.group("first") is not None)
    )


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
    if any(char in "()[]{}<>" for char in core):
        return "bracket"
    if core.isalpha():
        return "capital_word" if core.isupper() else "word"
    return "spaced" if core != separator else "tight"


def _inside_url(text: str, start: int) -> bool:
    """True when the candidate sits after a `/` in the same token: a URL's user part or path."""
    # Looked for within a bounded window: a scan back to the text's start per candidate is quadratic.
    window = max(0, start - _TOKEN_WINDOW)
    token_start = max(text.rfind(space, window, start) for space in (" ", "\n", "\t", "\r")) + 1
    return "/" in text[max(token_start, window) : start]


@functools.lru_cache(maxsize=4096)
def _registrable_domain(domain: str) -> str | None:
    """`mail.com` for `smtp.mail.com`, None when the host ends in no public suffix or is a bare IP."""
    tld = domain.rsplit(".", 1)[-1]
    if not (tld.isalpha() or tld.startswith("xn--")) or len(tld) < 2:
        return None  # no public suffix ends in a digit or is one letter: skip the list look-up
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
