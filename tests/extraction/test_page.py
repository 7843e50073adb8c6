"""parse_page: ad text apart from site furniture, links, language, decoding.

Two tables: small hand-made pages, one rule per row (general web markup, not the corpus
templates), and every 200 HTML page of each corpus checked against its truth labels.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extraction.charset import decode_html
from extraction.page import parse_page, site_furniture_lines
from tests.corpus_pages import corpus_pages, corpus_truth, page_params
from tests.synthetic import wording

URL = "https://example.nl/ad/1"


# --- body vs furniture: (case id, html, must be in body, must be in furniture) -------------------
SPLIT_CASES = [
    (
        "semantic header/nav/footer",
        "<header>SiteName <nav><a href='/x'>Escorts</a></nav></header><main><p>Anna 0612345678</p></main>"
        "<footer>Support +31 20 123 4567</footer>",
        ["Anna 0612345678"],
        ["SiteName", "Escorts", "Support +31 20 123 4567"],
    ),
    (
        "article header and footer belong to the ad",
        "<body><header>Site</header><article><header><h1>Lena, 22</h1></header><p>Hi</p>"
        "<footer>Call me 0611111111</footer></article><footer>help@site.nl</footer></body>",
        ["Lena, 22", "Call me 0611111111"],
        ["Site", "help@site.nl"],
    ),
    (
        "class/id words without semantic tags",
        "<div id='top-header'>Brand</div><div class='content'><p>Ad text here</p></div>"
        "<div class='siteFooter'>info@brand.com</div><div id='cookieConsent'>We use cookies</div>",
        ["Ad text here"],
        ["Brand", "info@brand.com", "We use cookies"],
    ),
    (
        "cookie banner and breadcrumbs inside main are still furniture",
        "<main><div class='breadcrumb'>Home › Escorts › Berlin</div><p>Mia ad</p>"
        "<div class='cookie-banner'>Accept all</div></main>",
        ["Mia ad"],
        ["Home › Escorts › Berlin", "Accept all"],
    ),
    (
        "sidebar is furniture, a contact side box is the ad's",
        "<main><p>Ad body</p></main><aside class='sidebar'>Top cities</aside>"
        "<aside class='contact-box'>WhatsApp 0622222222</aside>",
        ["Ad body", "WhatsApp 0622222222"],
        ["Top cities"],
    ),
    (
        "similar ads are other ads' text",
        "<article><p>My ad</p></article><section class='similar-ads'><p>Other girl 0633333333</p></section>",
        ["My ad"],
        ["Other girl 0633333333"],
    ),
    (
        "unlabelled text outside a declared main",
        "<div class='top'>Brand bar</div><main><p>The listing</p></main><div>© Brand 2025</div>",
        ["The listing"],
        ["Brand bar", "© Brand 2025"],
    ),
    (
        "no landmarks at all: everything is the ad",
        "<div><p>Plain page</p><p>Call 0644444444</p></div>",
        ["Plain page", "Call 0644444444"],
        [],
    ),
    (
        "aria roles",
        "<div role='banner'>Brand</div><div role='main'><p>Text</p></div>"
        "<div role='contentinfo'>Imprint</div><div role='navigation'>Menu items</div>",
        ["Text"],
        ["Brand", "Imprint", "Menu items"],
    ),
]


@pytest.mark.parametrize(
    ("html", "in_body", "in_furniture"), [c[1:] for c in SPLIT_CASES], ids=[c[0] for c in SPLIT_CASES]
)
def test_body_and_furniture_split(html: str, in_body: list[str], in_furniture: list[str]) -> None:
    page = parse_page(html, URL)
    for text in in_body:
        assert text in page.body
        assert text not in page.furniture
    for text in in_furniture:
        assert text in page.furniture
        assert text not in page.body


# --- text shape: (case id, html, expected body) ----------------------------------------------------
TEXT_CASES = [
    ("blocks become lines", "<p>one</p><div>two</div><li>three</li>", "one\ntwo\nthree"),
    ("br breaks a line", "<p>Tel<br>06 1234<br/>5678</p>", "Tel\n06 1234\n5678"),
    ("inline tags do not split words", "<p>06<b>12</b><span>34</span> ok</p>", "061234 ok"),
    ("whitespace collapses", "<p>  a \n\t b   c </p>", "a b c"),
    # (a <noscript> in <head> holding text is moved into <body> by the HTML parser, as in browsers)
    ("scripts, styles, templates dropped", "<script>var x='0611';</script><style>p{}</style>"
     "<p>kept</p><noscript><p>enable js</p></noscript><template>t</template>", "kept"),
    ("img alt kept as text", "<p>WhatsApp <img src='x.png' alt='0612345678'></p>", "WhatsApp 0612345678"),
    ("table cells separated",
     "<table><tr><td>Phone</td><td>0612</td></tr><tr><td>Age</td><td>22</td></tr></table>",
     "Phone 0612\nAge 22"),
    ("entities decoded", "<p>Tom &amp; Anna&#x27;s &euro;100</p>", "Tom & Anna's €100"),
    ("malformed markup survives", "<div><p>open <b>bold <i>both</div></p>tail", "open bold both\ntail"),
    ("comments dropped", "<p>a<!-- 0612345678 -->b</p>", "ab"),
]  # fmt: skip


@pytest.mark.parametrize(("html", "expected"), [c[1:] for c in TEXT_CASES], ids=[c[0] for c in TEXT_CASES])
def test_text_keeps_line_structure(html: str, expected: str) -> None:
    assert parse_page(html, URL).body == expected


# --- links: (case id, html, body links, furniture links) -------------------------------------------
LINK_CASES = [
    (
        "relative, protocol-relative and contact schemes",
        "<main><a href='/ad/2'>next</a><a href='//wa.me/31612345678'>wa</a><a href='tel:+31612345678'>t</a>"
        "<a href='mailto:anna@mail.com'>m</a><a href='https://t.me/anna_vip'>tg</a></main>",
        ["https://example.nl/ad/2", "https://wa.me/31612345678", "tel:+31612345678", "mailto:anna@mail.com",
         "https://t.me/anna_vip"],
        [],
    ),
    (
        "dangerous and empty hrefs dropped",
        "<p><a href='javascript:alert(1)'>x</a><a href='data:text/html,hi'>y</a><a href='#top'>z</a><a>w</a>"
        "<a href='file:///etc/passwd'>f</a></p>",
        [],
        [],
    ),
    (
        "bare contact hosts get a scheme, tabs and newlines are ignored",
        "<p><a href='wa.me/31612345678'>a</a><a href='https://t.\nme/an\tna'>b</a></p>",
        ["https://wa.me/31612345678", "https://t.me/anna"],
        [],
    ),
    (
        "base href",
        "<head><base href='https://cdn.example.org/x/'></head><p><a href='y'>y</a></p>",
        ["https://cdn.example.org/x/y"],
        [],
    ),
    (
        "footer links are furniture links, duplicates kept once",
        "<main><a href='tel:0611'>a</a><a href='tel:0611'>b</a></main>"
        "<footer><a href='mailto:help@example.nl'>help</a></footer>",
        ["tel:0611"],
        ["mailto:help@example.nl"],
    ),
    ("broken IPv6 href does not crash", "<p><a href='http://[::1'>x</a></p>", [], []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("html", "links", "furniture_links"), [c[1:] for c in LINK_CASES], ids=[c[0] for c in LINK_CASES]
)
def test_links(html: str, links: list[str], furniture_links: list[str]) -> None:
    page = parse_page(html, URL)
    assert page.links == tuple(links)
    assert page.furniture_links == tuple(furniture_links)


# --- head: title, description, language --------------------------------------------------------------
HEAD_CASES = [
    ("title and description",
     "<title> Anna | Site </title><meta name='description' content='Hot  news'><p>x</p>",
     "Anna | Site", "Hot news", None),
    ("og fallbacks", "<meta property='og:title' content='OG'><meta property='og:description' content='D'>",
     "OG", "D", None),
    ("lang with region", "<html lang='de-AT'><p>kurz</p></html>", "", "", "de"),
    ("lang wins over text",
     "<html lang='nl'><p>This text is clearly written in English, not in Dutch.</p></html>", "", "", "nl"),
    ("no lang: guessed from body", "<p>Hallo, ich bin Tania und ich wohne seit zwei Jahren in München.</p>",
     "", "", "de"),
    ("no lang, too little text", "<p>Hi</p>", "", "", None),
    ("bogus lang ignored", "<html lang='x-default'><p>Hi</p></html>", "", "", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("html", "title", "description", "language"), [c[1:] for c in HEAD_CASES], ids=[c[0] for c in HEAD_CASES]
)
def test_head_fields(html: str, title: str, description: str, language: str | None) -> None:
    page = parse_page(html, URL)
    assert (page.title, page.meta_description, page.language) == (title, description, language)


# --- decoding: (case id, bytes, content type, expected substring of body) ---------------------------
DECODE_CASES = [
    ("utf-8 default", "<p>Zürich €</p>".encode(), None, "Zürich €"),
    ("charset from content type",
     "<p>Zürich</p>".encode("latin-1"), "text/html; charset=ISO-8859-1", "Zürich"),
    ("latin-1 label means windows-1252", "<p>€5</p>".encode("cp1252"), "text/html; charset=latin1", "€5"),
    ("charset from meta", "<meta charset='windows-1250'><p>Łódź</p>".encode("cp1250"), "text/html", "Łódź"),
    ("http-equiv meta", '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><p>Привет</p>'
     .encode("koi8-r"), None, "Привет"),
    ("invalid utf-8 does not crash", b"<p>ok \xff\xfe\xc3 end</p>", "text/html; charset=utf-8", "ok"),
    ("unknown charset falls back to utf-8", "<p>Zürich</p>".encode(), "text/html; charset=x-bogus", "Zürich"),
    ("BOM wins over header", b"\xef\xbb\xbf" + "<p>Zürich</p>".encode(), "text/html; charset=latin-1",
     "Zürich"),
    ("text/plain", b"line one\n\n  line two  ", "text/plain; charset=utf-8", "line one\nline two"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "content_type", "expected"), [c[1:] for c in DECODE_CASES], ids=[c[0] for c in DECODE_CASES]
)
def test_decoding(raw: bytes, content_type: str | None, expected: str) -> None:
    assert expected in parse_page(raw, URL, content_type).body


def test_decode_never_raises_on_garbage() -> None:
    assert isinstance(decode_html(bytes(range(256)) * 4, "text/html; charset=utf-8"), str)


def test_deeply_nested_markup_does_not_recurse() -> None:
    html = "<div>" * 5000 + "deep 0612345678" + "</div>" * 5000
    assert "deep 0612345678" in parse_page(html, URL).body


def test_page_text_is_frozen() -> None:
    page = parse_page("<p>x</p>", URL)
    with pytest.raises(AttributeError):
        page.body = "y"  # type: ignore[misc]


# --- site_furniture_lines ---------------------------------------------------------------------------
FURNITURE_LINE_CASES = [
    ("line in every page", [f"ad {n}\nShared line" for n in range(5)], {"Shared line"}),
    ("too few pages", [f"ad {n}\nShared line" for n in range(4)], set()),
    ("network signature in a minority", ["★ Club ★\na", "★ Club ★\nb", "c", "d", "e"], set()),
    ("four in five is enough", ["S\n1", "S\n2", "S\n3", "S\n4", "5"], {"S"}),
    ("three in five is not", ["S\n1", "S\n2", "S\n3", "4", "5"], set()),
]


@pytest.mark.parametrize(
    ("pages", "expected"), [c[1:] for c in FURNITURE_LINE_CASES], ids=[c[0] for c in FURNITURE_LINE_CASES]
)
def test_site_furniture_lines(pages: list[str], expected: set[str]) -> None:
    assert site_furniture_lines(pages) == expected


# --- the corpora -----------------------------------------------------------------------------------
# Digit words of every language the generated week writes in (tests/synthetic/wording.py), and "oh".
_WORD_DIGITS = {
    "oh": "0",
    **{w: str(d) for words in wording.DIGIT_WORDS.values() for d, w in enumerate(words)},
}
_WORD_DIGITS.update({plus: "" for plus in wording.PLUS_WORD.values()})
_NUMBER_WORD = re.compile(r"\b(" + "|".join(sorted(_WORD_DIGITS, key=len, reverse=True)) + r")\b")
_LOOK_ALIKES = str.maketrans("OoIl", "0011")


def _digit_lines(text: str) -> list[str]:
    """Each line reduced to its digits, reading O/l look-alikes and English number words as digits."""
    lines = []
    for line in text.splitlines():
        # A look-alike letter counts only inside a token that already holds digits ("6O", "2OO").
        tokens = [t.translate(_LOOK_ALIKES) if re.search(r"\d", t) else t for t in line.split()]
        line = _NUMBER_WORD.sub(lambda m: _WORD_DIGITS[m.group(1)], " ".join(tokens).lower())
        lines.append(re.sub(r"\D", "", line))
    return lines


def _has_phone(e164: str, text: str) -> bool:
    # National renderings drop the country code: the last 9 digits identify the number.
    tail = re.sub(r"\D", "", e164)[-9:]
    return any(tail in digits for digits in _digit_lines(text))


def _deobfuscated(text: str) -> str:
    text = text.lower()
    text = re.sub(r"\s*[\(\[\{]\s*(at|@)\s*[\)\]\}]\s*|\s+at\s+|\s*@\s*", "@", text)
    text = re.sub(r"\s*[\(\[\{]\s*(dot|\.)\s*[\)\]\}]\s*|\s+dot\s+|\s*\.\s+|\s+\.\s*", ".", text)
    return text


@pytest.mark.parametrize(("folder", "url"), page_params())
def test_corpus_site_boilerplate_stays_out_of_body(folder: Path, url: str) -> None:
    page = corpus_pages(folder)[url]
    boilerplate = corpus_truth(folder)["pages"][url]["site_boilerplate"]
    for email in boilerplate["email"]:
        assert email not in _deobfuscated(page.body)
        assert not any(email in link.lower() for link in page.links)
        assert email in page.furniture.lower() or any(email in link for link in page.furniture_links)
    for phone in boilerplate["phone"]:
        assert not _has_phone(phone, page.body)
        assert _has_phone(phone, page.furniture)


@pytest.mark.parametrize(("folder", "url"), page_params())
def test_corpus_identifiers_are_in_body_or_links(folder: Path, url: str) -> None:
    page = corpus_pages(folder)[url]
    identifiers = corpus_truth(folder)["pages"][url]["identifiers"]
    # A profile page's own handle is its URL (the handle extractor reads it from there).
    text = "\n".join((url, page.body, *page.links))
    folded = _deobfuscated(text)
    missing = [p for p in identifiers["phone"] if not _has_phone(p, text)]
    missing += [e for e in identifiers["email"] if e not in folded]
    missing += [w for w in identifiers["wallet"] if w not in text]
    for handle in identifiers["handle"]:
        kind, _, name = handle.partition(":")
        found = _has_phone(name, text) if kind == "whatsapp" else name.lower() in folded
        if not found:
            missing.append(handle)
    assert not missing, f"not in body or links: {missing}\nbody:\n{page.body}\nlinks: {page.links}"
