"""The canonical URL policy (docs/canonical-urls.md) against the conformance vectors and the corpora.

For each vector row the policy either claims input ≡ expected, or departs from that source on
purpose (listed below with the reason), or finds the input no absolute http(s) URL.
"""

from __future__ import annotations

import itertools
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from deconfliction.canonical import canonical_url, same_finding
from tests import corpora, vectors

VECTORS = vectors.VECTORS / "url_vectors.tsv"

# Rows where the policy deliberately says input and expected are different findings.
_REPEATED_UNESCAPING = (
    "GSB unescapes until nothing changes; we unescape once: `%2525` is a literal `%25` in the "
    "path (another resource), and repeated decoding lets a crafted link collide with another"
)
DEPARTURES = {
    "http://host/%25%32%35": _REPEATED_UNESCAPING,
    "http://host/%25%32%35%25%32%35": _REPEATED_UNESCAPING,
    "http://host/%2525252525252525": _REPEATED_UNESCAPING,
    "http://host/asdf%25%32%35asd": _REPEATED_UNESCAPING,
    "http://host/%%%25%32%35asd%%": _REPEATED_UNESCAPING,
    "http://www.gotaport.com:1234/": "GSB drops every port; a non-default port is another server",
}

# Rows whose input is no absolute http(s) URL for us: canonical_url raises ValueError.
_NO_SCHEME = "no scheme: the link finder makes bare domains absolute before canonicalisation"
INVALID = {
    "http://host%23.com/%257Ea%2521b%2540c%2523d%2524e%25f%255E00%252611%252A22%252833%252944_55%252B": (
        "`#` (%23) in a host name: no DNS name holds it (GSB keeps it escaped)"
    ),
    "www.google.com/": _NO_SCHEME,
    "www.google.com": _NO_SCHEME,
    "http://\x01\x80.com/": "control characters in a host name (GSB escapes them)",
    "http:// leadingspace.com/": "a space in a host name (GSB escapes it)",
    "http://%20leadingspace.com/": "a space in a host name (GSB escapes it)",
    "%20leadingspace.com/": _NO_SCHEME,
    "sftp://UsEr:PaSsWoRd@www.EXAMPLE.com/": "not http(s): never a page we fetch",
    "//www.foo.com/": "scheme-relative: no scheme to be sure of (url-normalize assumes https)",
    "пример.испытание/Служебная:Search/Test": _NO_SCHEME,
}
# url-normalize's path-only rows are relative (ValueError); their dot-segment rule is then
# checked on an absolute URL with this base.
RELATIVE_BASE = "https://example.com"


@cache
def _vector_rows() -> tuple[tuple[str, str, str], ...]:
    rows = vectors.vector_rows("url_vectors.tsv")
    return tuple((row["input"], row["expected"], row["source"].split(" ")[0]) for row in rows)


def _vector_params(kind: str) -> list[Any]:
    if not VECTORS.exists():
        return [pytest.param("", "", marks=pytest.mark.skip(reason=f"{VECTORS} missing"))]
    params = []
    for url, expected, source in _vector_rows():
        relative = url.startswith("/") and not url.startswith("//")
        row_kind = (
            "departure"
            if url in DEPARTURES
            else "invalid"
            if url in INVALID
            else "relative"
            if relative
            else "equivalent"
        )
        if row_kind == kind:
            params.append(pytest.param(url, expected, id=f"{source}:{url[:60]!r}"))
    return params


@pytest.mark.parametrize(("url", "expected"), _vector_params("equivalent"))
def test_vector_equivalence_claimed_by_policy(url: str, expected: str) -> None:
    assert canonical_url(url) == canonical_url(expected)


@pytest.mark.parametrize(("url", "expected"), _vector_params("departure"))
def test_vector_where_policy_departs_from_source(url: str, expected: str) -> None:
    assert canonical_url(url) != canonical_url(expected), DEPARTURES[url]


@pytest.mark.parametrize(("url", "expected"), _vector_params("invalid"))
def test_vector_input_is_no_absolute_http_url(url: str, expected: str) -> None:
    with pytest.raises(ValueError):
        canonical_url(url)


@pytest.mark.parametrize(("url", "expected"), _vector_params("relative"))
def test_vector_relative_path_raises_but_its_dot_segments_resolve(url: str, expected: str) -> None:
    with pytest.raises(ValueError):
        canonical_url(url)
    assert canonical_url(RELATIVE_BASE + url) == canonical_url(RELATIVE_BASE + expected)


def test_every_departure_and_invalid_row_is_in_the_vectors() -> None:
    if not VECTORS.exists():
        pytest.skip(f"{VECTORS} missing")
    inputs = {url for url, _, _ in _vector_rows()}
    assert set(DEPARTURES) | set(INVALID) <= inputs


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("http://WWW.Example.COM.:443/a/b/?utm_source=tg&b=2&a=1#top", "https://example.com/a/b?a=1&b=2"),
        ("https://m.example.com/x?fbclid=1&gclid=2&igshid=3&si=4&ref=5&ref_src=6", "https://example.com/x"),
        ("https://mobile.example.com/x?mc_cid=1&_ga=2&yclid=3&msclkid=4", "https://example.com/x"),
        ("https://example.com:8080", "https://example.com:8080/"),
        ("https://m.me/anna", "https://m.me/anna"),  # m.me is a domain, not a mobile prefix
        ("https://www.m.me/anna", "https://m.me/anna"),
        ("https://bücher.de/ä", "https://xn--bcher-kva.de/%C3%A4"),
        ("https://example.com/a%2Fb", "https://example.com/a%2Fb"),
        ("https://example.com/%7e%41", "https://example.com/~A"),
        ("https://example.com/?q=a%20b&r=c+d", "https://example.com/?q=a+b&r=c+d"),
        ("http://admin:hunter2@example.com/x", "https://example.com/x"),
        ("http://www.example.com@evil.com/", "https://evil.com/"),
        ("http://3279880203/blah", "https://195.127.0.11/blah"),
        ("http://[0:0::1]:8080/", "https://[::1]:8080/"),
        ("https://example.com/#!/ad/1", "https://example.com/?_escaped_fragment_=/ad/1"),
        ("https://www.instagram.com/Anna.V/?hl=en", "https://instagram.com/anna.v"),
        ("https://instagram.com/anna.v/tagged/", "https://instagram.com/anna.v"),
        ("https://instagr.am/anna.v", "https://instagram.com/anna.v"),
        ("https://www.instagram.com/p/CxYzAb/?igsh=MWQ1", "https://instagram.com/p/CxYzAb"),
        ("https://telegram.me/Golden_Angels_VIP", "https://t.me/golden_angels_vip"),
        ("https://t.me/s/Golden_Angels_VIP?before=10", "https://t.me/golden_angels_vip"),
        ("https://t.me/Golden_Angels_VIP/123?single", "https://t.me/golden_angels_vip/123"),
        ("https://t.me/+AbCdEfGh", "https://t.me/+AbCdEfGh"),
        ("https://t.me/joinchat/AbCdEf", "https://t.me/joinchat/AbCdEf"),
        (
            "https://m.facebook.com/profile.php?id=100042&sk=photos&ref=bookmarks",
            "https://facebook.com/profile.php?id=100042",
        ),
        ("https://www.facebook.com/Anna.Vip/?locale=en_GB", "https://facebook.com/anna.vip"),
        ("https://fb.com/anna.vip/photos", "https://facebook.com/anna.vip"),
        ("https://www.facebook.com/groups/AbC/", "https://facebook.com/groups/AbC"),
        ("https://www.tiktok.com/@Anna_Travels/?lang=en", "https://tiktok.com/@anna_travels"),
        ("https://www.tiktok.com/@Anna/video/7301?is_from_webapp=1", "https://tiktok.com/@anna/video/7301"),
        ("https://m.vk.com/Durov?w=wall1_2", "https://vk.com/durov"),
        (
            "https://vk.com/away.php?to=https%3A%2F%2Fx.example",
            "https://vk.com/away.php?to=https://x.example",
        ),
    ],
)
def test_policy_examples(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical
    assert canonical_url(canonical) == canonical  # the canonical form is a fixed point


@pytest.mark.parametrize(
    ("a", "b", "why"),
    [
        ("https://example.com/a%2Fb", "https://example.com/a/b", "%2F is data, / is structure"),
        ("https://example.com/Ad/1", "https://example.com/ad/1", "paths are case-sensitive"),
        ("https://example.com:8443/", "https://example.com/", "another port, another server"),
        ("https://example.com/?id=1", "https://example.com/?id=2", "another ad"),
        ("https://example.com/?a=%2B", "https://example.com/?a=+", "%2B is a plus, + a space"),
        ("https://example.com/#!/ad/1", "https://example.com/#!/ad/2", "hash-bang names content"),
        ("https://www.іnstagram.com/anna", "https://www.instagram.com/anna", "Cyrillic homoglyph"),
        ("https://instagram.com/p/AbC", "https://instagram.com/p/abc", "short codes keep case"),
        ("https://t.me/+AbCd", "https://t.me/+abcd", "invite codes keep case"),
        ("https://t.me/anna_vip/12", "https://t.me/anna_vip", "a post is not the channel"),
        ("https://bit.ly/fn8Ffso", "https://vk.com/id91554710", "redirects are not followed"),
        ("https://blog.example.com/", "https://example.com/", "only www./m./mobile. are dropped"),
    ],
)
def test_distinct_findings_stay_distinct(a: str, b: str, why: str) -> None:
    assert not same_finding(a, b), why


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "mailto:anna@example.com",
        "ftp://example.com/",
        "example.com/ad/1",
        "/ad/1",
        "",
        "http://",
        "https://example.com:99999/",
        "https://example.com:8o/",
        "https://[::1/",
        "https://exa mple.com/",
        "https://example..com/",
        "https://999.1.1.1/",
    ],
)
def test_not_an_absolute_http_url_raises(url: str) -> None:
    with pytest.raises(ValueError, match=r"\S"):
        canonical_url(url)


def test_same_finding_raises_on_a_non_http_link() -> None:
    with pytest.raises(ValueError):
        same_finding("https://example.com/", "javascript:alert(1)")


# --- the corpora (the generated week; the dev corpus when present) ----------------------------

# Kinds whose truth canonical is the pasted URL itself once spelled canonically.
SELF_KINDS = {"page", "not_found", "non_html"}
# Redirects the policy still claims: http→https and m.→bare are rules, no fetch needed.
POLICY_REDIRECT_KINDS = {"http_redirect", "mobile_redirect"}
# Only a fetch knows where a short link goes; the policy never follows redirects.
FETCH_ONLY_KINDS = {"shortlink"}


def _refang(raw: str) -> str:
    return (
        re.sub(r"^hxxp", "http", raw, flags=re.IGNORECASE)
        .replace("[.]", ".")
        .replace("(.)", ".")
        .replace("[:]", ":")
    )


@cache
def _pasted(folder: Path) -> tuple[dict[str, Any], ...]:
    return tuple(json.loads((folder / "truth.json").read_text(encoding="utf-8"))["pasted"])


def _pasted_params(kinds: set[str]) -> list[Any]:
    return [
        pytest.param(_refang(entry["raw"]), entry["canonical"], id=f"{name}:{index}:{entry['kind']}")
        for name, folder in corpora.available().items()
        for index, entry in enumerate(_pasted(folder))
        if entry["canonical"] is not None and entry["kind"] in kinds
    ]


@pytest.mark.parametrize(("raw", "canonical"), _pasted_params(SELF_KINDS | POLICY_REDIRECT_KINDS))
def test_corpus_pasted_spelling_is_its_truth_canonical(raw: str, canonical: str) -> None:
    assert canonical_url(raw) == canonical_url(canonical)


@pytest.mark.parametrize(("raw", "canonical"), _pasted_params(FETCH_ONLY_KINDS))
def test_corpus_short_link_is_not_resolved_without_a_fetch(raw: str, canonical: str) -> None:
    assert canonical_url(raw) != canonical_url(canonical)


def test_corpus_different_truth_canonicals_never_collide(corpus: Path) -> None:
    entries = [entry for entry in _pasted(corpus) if entry["canonical"] is not None]
    assert len(entries) >= 50  # the week has about 70, the dev corpus 154: no silent empty loop
    collisions = [
        (first["raw"], second["raw"])
        for first, second in itertools.combinations(entries, 2)
        if first["canonical"] != second["canonical"]
        and canonical_url(_refang(first["raw"])) == canonical_url(_refang(second["raw"]))
    ]
    assert collisions == []


def test_corpus_must_not_fetch_links_are_refused_or_stay_apart(corpus: Path) -> None:
    known = {canonical_url(entry["canonical"]) for entry in _pasted(corpus) if entry["canonical"]}
    refused = [entry for entry in _pasted(corpus) if entry["canonical"] is None]
    assert refused
    for entry in refused:
        raw = _refang(entry["raw"])
        if entry["kind"] in {"javascript_uri", "file_uri", "data_uri"}:
            with pytest.raises(ValueError):
                canonical_url(raw)
        elif entry["kind"] != "credentials_url":  # user:pass@ is dropped: same page, see the docs
            assert canonical_url(raw) not in known, entry["raw"]
