"""Refang/defang: shared conformance vectors, prose that must survive, round trips, span mapping."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from extraction.links import find_links
from extraction.refang import defang, refang, refang_email, refang_mapped
from tests.vectors import VECTORS, vector_rows

ROWS = vector_rows("refang_vectors.tsv")
needs_vectors = pytest.mark.skipif(
    not ROWS, reason=f"shared vectors missing: {VECTORS / 'refang_vectors.tsv'}"
)

# Rows we disagree with on purpose, with the reason (the test still runs: strict xfail).
DISPUTED = {
    "example [.] com/test": "a scheme-less link gets https:// (HTTPS-first, as browsers do); iocextract adds http://",
    "example(.)com/test": "a scheme-less link gets https:// (HTTPS-first, as browsers do); iocextract adds http://",
}
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+")


def _apply(row: dict[str, str]) -> str:
    """Map a vector's `function` onto our API.

    refang: iocextract's refang_data takes one URL and returns an absolute URL, which is our
    find_links(...).url. refang_ipv4: refang of free text. refang_email: refang_email.
    fang: ioc-fanger's one-size fang is our refang for URLs/IPs/hosts and refang_email when the
    expected result is an e-mail address (bare " AT "/" DOT " are only undone in an e-mail span).
    """
    text, function = row["input"], row["function"]
    if function == "refang":
        links = find_links(text)
        assert len(links) == 1, links
        return links[0].url
    if function == "refang_email" or (function == "fang" and _EMAIL.fullmatch(row["expected"])):
        return refang_email(text)
    if function == "defang":
        return defang(text)
    return refang(text)


def _marks(row: dict[str, str]) -> list[pytest.MarkDecorator]:
    reason = DISPUTED.get(row["input"])
    return [pytest.mark.xfail(reason=reason, strict=True)] if reason else []


@needs_vectors
@pytest.mark.parametrize(
    "row", [pytest.param(row, marks=_marks(row), id=f"{i}-{row['function']}") for i, row in enumerate(ROWS)]
)
def test_refang_vectors(row: dict[str, str]) -> None:
    assert _apply(row) == row["expected"]


DEFANG_ROWS = [row for row in ROWS if row["function"] == "defang"]


@needs_vectors
@pytest.mark.parametrize("row", DEFANG_ROWS, ids=[row["input"] for row in DEFANG_ROWS])
def test_defang_vectors_are_reversible(row: dict[str, str]) -> None:
    assert refang(row["expected"]) == row["input"]


ONION = "zmymd73f722zgvodbj5ci2dk5yb5hvx7jikqp6jnr5hp6pwagox3hoad"
# Defanged spellings seen in chats and threat reports, beyond the vectors.
DEFANGED = [
    ("hxxps://vk[.]com/id91554710", "https://vk.com/id91554710"),
    ("hXXp://example{.}com/a", "http://example.com/a"),
    ("https[:]//www.flohmarkt-online.de/a/1", "https://www.flohmarkt-online.de/a/1"),
    ("https[://]example.com/a", "https://example.com/a"),
    ("https://dolceincontro(.)it/profile?id=1", "https://dolceincontro.it/profile?id=1"),
    ("https://example(dot)nl/ad/1", "https://example.nl/ad/1"),
    ("https://example{dot}nl/ad/1", "https://example.nl/ad/1"),
    ("http://example dot com/x", "http://example.com/x"),
    ("http://example DOT com/x", "http://example.com/x"),
    ("https://example.com[/]ad[/]1", "https://example.com/ad/1"),
    ("anna[at]mail[.]com", "anna@mail.com"),
    ("anna(at)mail(.)com", "anna@mail.com"),
    ("anna (at) mail (dot) com", "anna@mail.com"),
    (f"http://{ONION}[.]onion/", f"http://{ONION}.onion/"),
    ("HXXPS://EXAMPLE[.]COM/", "https://EXAMPLE.COM/"),
]


@pytest.mark.parametrize(("text", "expected"), DEFANGED)
def test_refang_defanged_spellings(text: str, expected: str) -> None:
    assert refang(text) == expected


# Prose that looks a little like defanging and must come out unchanged.
PROSE = [
    "who's up for lunch at 12:30?",
    "meet me at the station at 12.30, e.g. near file.txt",
    "I'm at booking.com right now",
    "she wore a polka dot dress (dot pattern)",
    "see [1] and (2), or {3}",
    "regex [a-z] and (a|b)",
    "the http protocol and an ftp server",
    "see http:// then",
    "C:\\Users\\anna\\ads",
    "dot com bubble",
    "mailto:anna@mail.com",
    "HTTPS://EXAMPLE.COM/ad",
    "http://[2001:db8::1]:8080/x",
]


@pytest.mark.parametrize("text", PROSE)
def test_refang_leaves_prose_alone(text: str) -> None:
    assert refang(text) == text


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ("anna AT mail DOT com", "anna@mail.com"),
        ("anna { at ) mail [dot] com", "anna@mail.com"),
        ("anna@mailDOTcom", "anna@mail.com"),
        ("anna (arroba) mail (punto) es", "anna@mail.es"),
        ("fooMATbar.com", "fooMATbar.com"),
        ("kate.at.home@mail.com", "kate.at.home@mail.com"),
    ],
)
def test_refang_email_spans(span: str, expected: str) -> None:
    assert refang_email(span) == expected


ROUND_TRIP = [
    "https://www.example.nl/ad/1?x=1&y=2#top",
    "http://127.0.0.1:8080/admin",
    "http://[::1]/",
    "https://user:pw@x.example.com/a.b.c",
    "https://www.іnstagram.com/anna",
    "ftp://files.example.com/a.zip",
    "example.com",
]


@pytest.mark.parametrize("url", ROUND_TRIP)
def test_defang_round_trip(url: str) -> None:
    defanged = defang(url)
    assert "://" not in defanged or not defanged.startswith(("http", "ftp"))
    assert refang(defanged) == url


@pytest.mark.parametrize("url", ROUND_TRIP)
def test_defang_is_idempotent(url: str) -> None:
    assert defang(defang(url)) == defang(url)


_LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
_SEGMENT = st.from_regex(r"[A-Za-z0-9._~-]{0,12}", fullmatch=True)


@given(
    scheme=st.sampled_from(["http", "https", "ftp"]),
    labels=st.lists(_LABEL, min_size=1, max_size=3),
    suffix=st.sampled_from(["com", "nl", "co.uk", "onion"]),
    segments=st.lists(_SEGMENT, max_size=4),
)
def test_defang_reverses_for_any_plain_url(
    scheme: str, labels: list[str], suffix: str, segments: list[str]
) -> None:
    url = f"{scheme}://{'.'.join(labels)}.{suffix}/{'/'.join(segments)}"
    assume(refang(url) == url)  # the promise holds for URLs that refang leaves unchanged
    assert refang(defang(url)) == url
    assert "." not in defang(url).split("/")[2].replace("[.]", "")


@pytest.mark.parametrize(
    ("text", "output_token", "source_token"),
    [
        ("see hxxps://a[.]b.nl/c now", "https://a.b.nl/c", "hxxps://a[.]b.nl/c"),
        ("x http:// example .com /test y", "http://example.com/test", "http:// example .com /test"),
        ("mail anna (at) mail (dot) com", "anna@mail.com", "anna (at) mail (dot) com"),
    ],
)
def test_refang_mapped_spans_point_back_at_the_input(text: str, output_token: str, source_token: str) -> None:
    mapped = refang_mapped(text)
    start = mapped.text.index(output_token)
    source_start, source_end = mapped.source_span(start, start + len(output_token))
    assert text[source_start:source_end] == source_token
