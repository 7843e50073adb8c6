"""Peer suites: the cases of ioc-finder's and iocextract's own tests, run through the hub's functions.

Only the kinds the hub claims: e-mail addresses (`find_emails`), links with refanging
(`find_links`) and wallets (`find_wallets`). Each table below holds the *facts* of a peer test
(input → what it expects), cited where they come from; no peer code is used. The refang/defang
cases of iocextract's `test_refang_data`/`test_defang`/`test_email_refang` already live in
`tests/tables/refang_vectors.tsv` (run by test_refang.py) and are not repeated here.

Where the hub departs from a peer on purpose the case still runs, as a strict xfail carrying its
reason: the list, with the reasons, is `docs/peer-suites.md`. A departure that starts passing
fails the suite, so the document cannot go stale.
"""

from __future__ import annotations

import pytest

from extraction.identifiers.emails import find_emails
from extraction.identifiers.wallets import find_wallets
from extraction.links import find_links

# --- departures (docs/peer-suites.md) ---------------------------------------------------------------
PLACEHOLDER_TLD = (
    "`.tld` is no public suffix: the hub validates every host against the public suffix list, "
    "so an address on a placeholder TLD is no address (and cutting it to `example.com` would name "
    "a different mailbox)"
)
IP_LITERAL = (
    "addresses on a bare IP or an IP literal (`a@127.0.0.1`, `test@[192.168.0.1]`) are not "
    "reported: no ad or chat gives one as a contact, and `user@192.168.1.1` is a URL's user part"
)
SLASH_WORDS = (
    "`myuser/AT/example/DOT/com`: slashes between at/dot words are path segments to the hub "
    "(`site.com/at/…`), not an e-mail spelling"
)
SPACE_ENDS_URL = (
    "a space ends a link unless the host itself was spaced out (`http:// example .com /x`): in "
    "chat `https://site.example /finding` is a link followed by a bot command"
)
SPACED_SINGLE_LABEL = (
    "after `http:// ` plus a space only a dotted host is joined: `http:// example/…` could be "
    "prose (`see http:// then …`), and a single-label host is no public site anyway"
)
XMPP = (
    "the hub has no XMPP kind: `foo@swissjabber.de` is read as an e-mail address (the same "
    "spelling reaches the same person; deconfliction links both)"
)
CIDR = "`1.1.1.1/0` is read as a link to a bare IPv4 host (never fetched: private/bare IPs are refused)"
SPACED_DOT = (
    "`myuser@example . com` is read as an address: ads space out the dot to dodge filters, and the "
    "hub takes a spaced ` . ` as a dot when the next label is a public suffix and not the capitalised "
    "start of a sentence (`x@site.com . Then …` stays `x@site.com`)"
)
RFC_COMMENT = (
    "RFC 5322 comments inside an address (`john.smith(comment)@example.com`) are not read: ads never "
    "write them, and a bracket there is an obfuscation (`(at)`), not a comment"
)


def _emails(text: str) -> list[str]:
    return sorted(identifier.value for identifier in find_emails(text))


def _case(values: tuple[object, ...], departure: str | None, case_id: str) -> object:
    marks = [pytest.mark.xfail(reason=departure, strict=True)] if departure else []
    return pytest.param(*values, marks=marks, id=case_id)


# =====================================================================================================
# iocextract — InQuest/iocextract tests.py @ 653b8b5 (2024-08-28), TestExtractors.
# Each e-mail case is checked bare and wrapped in spaces, tabs and CRLF newlines, as upstream does.
# =====================================================================================================
IOCEXTRACT_WRAPPERS = {
    "bare": "{}",
    "spaces": "  {}  ",
    "tabs": "\t\t{}\t\t",
    "newlines": "\r\n{}\r\n",
}

# test_email_extract, content_list: each is one address (the hub reports its value).
IOCEXTRACT_EMAILS: list[tuple[str, str, str | None]] = [
    ("myuser@example.com", "myuser@example.com", None),
    ("myuser+some@example.com", "myuser+some@example.com", None),
    ("my.user@example.com", "my.user@example.com", None),
    ("my.user.24@example.com", "my.user.24@example.com", None),
    ("my.u+ser24@example.com", "my.u+ser24@example.com", None),
    ("myuser@exam.ple.com", "myuser@exam.ple.com", None),
    ("my.u+ser24@exa.mple24.tl", "my.u+ser24@exa.mple24.tl", None),
    ("my_user@example.co", "my_user@example.co", None),
    ("a@a.co", "a@a.co", None),
    ("a@127.0.0.1", "a@127.0.0.1", IP_LITERAL),
    ("myuser @example[.]com", "myuser@example.com", None),
    ("myuser@ example[.]com", "myuser@example.com", None),
    ("myuser @ example[.]com", "myuser@example.com", None),
    ("myuser @ example [ . ] com", "myuser@example.com", None),
    ("myuser @ example.com", "myuser@example.com", None),
    ("myuser@example [.] com", "myuser@example.com", None),
    ("myuser@example[.]com[.]tld", "myuser@example.com.tld", PLACEHOLDER_TLD),
    ("myuser@example(.)com[.tld", "myuser@example.com.tld", PLACEHOLDER_TLD),
    ("myuser@example[.]com.tld", "myuser@example.com.tld", PLACEHOLDER_TLD),
    ("myuser@example [.] com.tld", "myuser@example.com.tld", PLACEHOLDER_TLD),
    ("myuser@example [.] com [.] tld", "myuser@example.com.tld", PLACEHOLDER_TLD),
    ("myuser@example [.] com [.tld", "myuser@example.com.tld", PLACEHOLDER_TLD),
    ("myuser@example  [  .  ]   com", "myuser@example.com", None),
    ("myuser@example  [  .  ]   com    [   .tld", "myuser@example.com.tld", PLACEHOLDER_TLD),
    ("myuser@example  [[[[ [ [ [ . )]) com", "myuser@example.com", None),
    ("myuser@example  [[[[ [ [ [ dot )]) com", "myuser@example.com", None),
    ("myuser at example  [[[[ [ [ [ dot )]) com", "myuser@example.com", None),
    ("myuser at example [ dot ] com", "myuser@example.com", None),
    ("myuser at example[ dot ]com", "myuser@example.com", None),
    ("myuser at example[dot]com", "myuser@example.com", None),
    ("myuser at example [dot] com", "myuser@example.com", None),
    ("myuser [at] example dot com", "myuser@example.com", None),
    ("myuser at example dot com", "myuser@example.com", None),
    ("myuser AT example DOT com", "myuser@example.com", None),
    ("myuser[@]example.com", "myuser@example.com", None),
    ("myuser[@]example[.com", "myuser@example.com", None),
    ("myuser [ at ] example.com", "myuser@example.com", None),
    ("myuser [at] example.com", "myuser@example.com", None),
    ("myuser[at]example.com", "myuser@example.com", None),
    ("myuser[ at ]example.com", "myuser@example.com", None),
    ("myuser/AT/example/DOT/com", "myuser@example.com", SLASH_WORDS),
]

# test_email_extract, invalid_list: no address at all.
IOCEXTRACT_NOT_EMAILS = [
    "@a.co",
    "myuser@",
    "@",
    "a@a",
    "myuser @ word more words",
    "myuser @ word more words.period",
    "myuser @ words. Sentence",
    "myuser@example . com",
    "myuser@example .]com",
    "myuseratexampledotcom",
    "myuseratexample dot com",
    "myuser at exampledotcom",
]

# test_email_extract, partial_list: the address is `myuser@example [.] com`, nothing after it.
IOCEXTRACT_PARTIAL_EMAILS = [
    "myuser@example [.] com. tld",
    "myuser@example [.] com . tld",
    "myuser@example [.] com!!!???",
]

# test_email_refang: extract_emails(content, refang=True) gives `myuser@example.com.tld`.
IOCEXTRACT_REFANG_EMAILS = [
    "myuser@example[.]com[.]tld",
    "myuser @example[.]com[.]tld",
    "myuser @ example.com.tld",
    "myuser@example(.)com[.tld",
    "myuser@example[.]com.tld",
    "myuser@example [.] com.tld",
    "myuser@example [.] com [.] tld",
    "myuser@example [.] com [.tld",
    "myuser@example   [[[  . ])] com [.tld",
    "myuser[@]example   [[[  . ])] com [.tld",
    "myuser [ @ ] example   [[[  . ])] com [.tld",
    "myuser { @ ) example   [[[  . ])] com [.tld",
    "myuser { @ ) example {  . ])] com [.tld",
    "myuser { at ) example {  . ])] com [.tld",
    "myuser { at ) example {  doT ])] com [dot tld",
    "myuser At example DOT com DOT tld",
    "myuser[@]example[.com[.tld]",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        _case((wrap.format(content), [value]), departure, f"{name}-{content}")
        for content, value, departure in IOCEXTRACT_EMAILS
        for name, wrap in IOCEXTRACT_WRAPPERS.items()
    ]
    + [
        _case(
            (wrap.format(content), []), SPACED_DOT if " . " in content else None, f"invalid-{name}-{content}"
        )
        for content in IOCEXTRACT_NOT_EMAILS
        for name, wrap in IOCEXTRACT_WRAPPERS.items()
    ]
    + [
        _case((wrap.format(content), ["myuser@example.com"]), None, f"partial-{name}-{content}")
        for content in IOCEXTRACT_PARTIAL_EMAILS
        for name, wrap in IOCEXTRACT_WRAPPERS.items()
    ]
    + [
        _case((content, ["myuser@example.com.tld"]), PLACEHOLDER_TLD, f"refang-{content}")
        for content in IOCEXTRACT_REFANG_EMAILS
    ],
)
def test_iocextract_emails(text: str, expected: list[str]) -> None:
    assert _emails(text) == expected


# test_url_extract: every scheme spelling × host × tail is one link, spelled exactly as written.
IOCEXTRACT_URL_HOSTS = [
    "example.com",
    "a.a",
    "192.168.1.1",
    "a[.]a",
    "example[.]com",
    "example[.com",
    "example",
    "192[.]168.1.1",
    "192[.168.1.1",
    "asda.asdasdas.acasc.example.com",
    "12.123.asdas.com",
    "example .com",
]
IOCEXTRACT_URL_SCHEMES = [
    "http://",
    "hxxp://",
    "https://",
    "hxxps://",
    "tcp://",
    "ftp://",
    "http__",
    "https__",
    "https:__",
    "http:\\\\",
    "ftx://",
    "udp://",
    "sftp://",
    "ftps://",
    "http:// ",
    "HXXP://",
]
IOCEXTRACT_URL_TAILS = [
    "/test.com?asd=qwe%20_#zxc",
    "/test.com?asd=qwe#zxc",
    "/test.com",
    "/test",
    "/",
    "//",
    "",
    " /test/path",
]
# test_url_extract, the scheme-less defanged links after the product.
IOCEXTRACT_BARE_URLS = [
    "example[.]com",
    "example [.] com",
    "a [.] b [.] example [.] com",
    "a[.]b[.]example[.]com",
    "a[.]b [.] example[.]com",
    "a[.]b[.] example[.]com",
    # upstream lacks a comma here: the two strings are one case
    "example[.]com/path!#&%?+=example(.)com/test",
    "example (.) com/test",
]


def _url_departure(scheme: str, host: str, tail: str) -> str | None:
    if tail.startswith(" ") and not host.endswith(" .com"):
        return SPACE_ENDS_URL
    if scheme.endswith(" ") and "." not in host:
        return SPACED_SINGLE_LABEL
    return None


@pytest.mark.parametrize(
    "text",
    [
        _case((scheme + host + tail,), _url_departure(scheme, host, tail), f"{scheme}{host}{tail}")
        for host in IOCEXTRACT_URL_HOSTS
        for scheme in IOCEXTRACT_URL_SCHEMES
        for tail in IOCEXTRACT_URL_TAILS
    ]
    + [_case((text,), None, f"bare-{text}") for text in IOCEXTRACT_BARE_URLS],
)
def test_iocextract_url_spellings(text: str) -> None:
    links = find_links(text)
    assert links and links[0].raw == text


# test_url_extraction_handles_punctuation, test_url_extraction_end_punctuation,
# test_unicode_space_terminates_urls, test_bracket_url_dots_in_netloc: (text, first link as written).
IOCEXTRACT_URL_EDGES: list[tuple[str, str]] = [
    ("example[.]com!", "example[.]com"),
    ("example[.]com!!!!", "example[.]com"),
    ("example[.]com/!!!!", "example[.]com/"),
    ("example[.]com/!", "example[.]com/"),
    ("example[.]com/?", "example[.]com/"),
    ("example[.]com/!path", "example[.]com/!path"),
    ("example[.]com/?path", "example[.]com/?path"),
    ("example[.]com?", "example[.]com"),
    ("example[.]com.", "example[.]com"),
    ("example[.]com/?q=test???", "example[.]com/?q=test"),
    ("example[.]com/ ...", "example[.]com/"),
    ("example[.]com/)", "example[.]com/"),
    ("example[.]com/'", "example[.]com/"),
    *[
        ("https://example.com" + end, "https://example.com")
        for end in [
            ".",
            "?",
            ">",
            '"',
            "'",
            "`",
            ")",
            "!",
            ",",
            "}",
            ":",
            ";",
            "\u201d",
            "\u2019",
            "\uff1e",
            "\uff1c",
            "]",
        ]
    ],
    *[
        (f"https://example.com/a{mid}b", f"https://example.com/a{mid}b")
        for mid in [".", "?", ">", '"', "'", "`", ")", "!", ",", "}", ":", ";", "]"]
    ],
    ("as\xa0example[.]com/Es3tC0deR3name.exe):", "example[.]com/Es3tC0deR3name.exe"),
    ("as\xa0example[.]com\xa0words):", "example[.]com"),
    ("hXXps://192.168.149[.]100/api/info", "hXXps://192.168.149[.]100/api/info"),
    ("hXXps://subdomain.example[.]com/some/path", "hXXps://subdomain.example[.]com/some/path"),
    ("http://subdomain.example.com/test[.]doc", "http://subdomain.example.com/test[.]doc"),
]
URL_CHARACTERS_END_IN_CHAT = (
    '`<`, `>`, `"` and `` ` `` end a link in chat text even inside a path (they are not URL characters '
    "and chat clients end links there); iocextract keeps them mid-URL"
)
IOCEXTRACT_URL_EDGE_DEPARTURES = {
    'https://example.com/a"b': URL_CHARACTERS_END_IN_CHAT,
    "https://example.com/a>b": URL_CHARACTERS_END_IN_CHAT,
    "https://example.com/a`b": URL_CHARACTERS_END_IN_CHAT,
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        _case((text, expected), IOCEXTRACT_URL_EDGE_DEPARTURES.get(text), f"edge-{text}")
        for text, expected in IOCEXTRACT_URL_EDGES
    ],
)
def test_iocextract_url_edges(text: str, expected: str) -> None:
    links = find_links(text)
    assert links and links[0].raw == expected


# =====================================================================================================
# ioc-finder — fhightower/ioc-finder @ 4d004b2 (2026-05-01): tests/find_iocs_cases/*.py (the
# `email_addresses`, `urls`, `*_addresses` keys), tests/test_ioc_finder.py, tests/test_edge_cases.py.
# The hub keeps a URL whole where ioc-finder has a short `urls` and a whole `urls_complete` form
# (`…/abc,False,False`): the expected values here are the complete ones, refanged, and a link
# without a scheme gets `https://` (the hub's convention, docs/canonical-urls.md).
# =====================================================================================================
IOC_FINDER_EMAIL_TEXT = (
    "a@example.com test@a.com bingo@en.wikipedia.com foo@a.com'.format('a'*63 bar@b.a.com'.format('a'*63, "
    "'a'*63 bad@test-ing.com me@2600.com john.smith(comment)@example.com (comment)john.smith@example.com "
    '"John..Doe"@example.com\' test@[192.168.0.1]'
)
IOC_FINDER_EMAILS: list[tuple[str, list[str], str | None, str]] = [
    # find_iocs_cases/email.py email_1 and test_ioc_finder.py test_simple_email_address_parsing
    (
        IOC_FINDER_EMAIL_TEXT,
        sorted(
            [
                "a@example.com",
                "bad@test-ing.com",
                "bar@b.a.com",
                "bingo@en.wikipedia.com",
                "foo@a.com",
                "john.smith@example.com",
                "me@2600.com",
                "test@a.com",
            ]
        ),
        None,
        "email_1 (without the IP literal)",
    ),
    (
        IOC_FINDER_EMAIL_TEXT,
        sorted(
            [
                "a@example.com",
                "bad@test-ing.com",
                "bar@b.a.com",
                "bingo@en.wikipedia.com",
                "foo@a.com",
                "john.smith@example.com",
                "me@2600.com",
                "test@[192.168.0.1]",
                "test@a.com",
            ]
        ),
        IP_LITERAL,
        "email_1",
    ),
    # find_iocs_cases/email.py xmpp_1/xmpp_2: me@example.com is the one e-mail address
    (
        "foo@swissjabber.de bar@jabber.zone bom@jabber.sow.as me@example.com",
        ["me@example.com"],
        XMPP,
        "xmpp_1",
    ),
    ("user@xmpp_chat.example.com", [], None, "xmpp_underscored_label (no e-mail)"),
    # test_ioc_finder.py test_email_address_parsing (second part)
    ("a@example.com", ["a@example.com"], None, "test_email_address_parsing"),
    (
        "john.smith(comment)@example.com",
        ["john.smith@example.com"],
        RFC_COMMENT,
        "test_complex_email_address_parsing",
    ),
    # test_edge_cases.py test_address_email_address
    (">test@[192.168.2.1]<", ["test@[192.168.2.1]"], IP_LITERAL, "ip literal 1"),
    ("bad@[192.168.7.3]", ["bad@[192.168.7.3]"], IP_LITERAL, "ip literal 2"),
    ("bad@[192.168.7.3]aaaaa", ["bad@[192.168.7.3]"], IP_LITERAL, "ip literal 3"),
    ("jsmith@[IPv6:2001:db8::1]", ["jsmith@[ipv6:2001:db8::1]"], IP_LITERAL, "ipv6 literal"),
    # test_ioc_finder.py test_url_parsing, invalid_urls: none is an e-mail address either
    ("foo@{}.com".format("a" * 64), [], None, "label over 63 characters"),
    ("!@.com", [], None, "!@.com"),
    ("foo@abc", [], None, "foo@abc"),
    ("@@@@-hi-.com", [], None, "@@@@-hi-.com"),
    ("@_hi_.com", [], None, "@_hi_.com"),
    ("me@*hi*.com", [], None, "me@*hi*.com"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [_case((text, expected), departure, case_id) for text, expected, departure, case_id in IOC_FINDER_EMAILS],
)
def test_ioc_finder_emails(text: str, expected: list[str]) -> None:
    assert _emails(text) == expected


IOC_FINDER_URLS: list[tuple[str, list[str], str | None, str]] = [
    # find_iocs_cases/urls.py
    (
        "https://example.com/test%20page/foo.com/bingo.php?q=bar.com",
        ["https://example.com/test%20page/foo.com/bingo.php?q=bar.com"],
        None,
        "URL and domains parsed",
    ),
    ("Foo https://citizenlab.ca/about/), bar", ["https://citizenlab.ca/about/"], None, "boundary )"),
    (
        "DownloadString('https://example[.]com/rdp.ps1');g $I "
        'DownloadString("https://example[.]com/rdp.ps2");g $I',
        ["https://example.com/rdp.ps1", "https://example.com/rdp.ps2"],
        None,
        "boundary quotes",
    ),
    ("https://example.com/g//foo", ["https://example.com/g//foo"], None, "consecutive slashes"),
    ("https://example.com/abc,False,False", ["https://example.com/abc,False,False"], None, "complete URL"),
    ("example.com/abc,False,False", ["https://example.com/abc,False,False"], None, "complete scheme-less"),
    ("example.com/abc,False,False foo.com", ["https://example.com/abc,False,False"], None, "domain removal"),
    (
        "http://userid:password@example.com:8080/",
        ["http://userid:password@example.com:8080/"],
        None,
        "userinfo (found, and refused for fetching)",
    ),
    # find_iocs_cases/domains.py url_cidr_1
    ("1.1.1.1/0 foobar.com/test/bingo.php", ["https://foobar.com/test/bingo.php"], CIDR, "url_cidr_1"),
    # find_iocs_cases/attack_data.py attack_pattern_14
    (
        "https://attack.mitre.org/tactics/TA0001/",
        ["https://attack.mitre.org/tactics/TA0001/"],
        None,
        "attack",
    ),
    # test_ioc_finder.py test_url_parsing, valid_urls (nine links) and invalid_urls (none)
    (
        " ".join(
            [
                "https://a.com",
                "https://en.wikipedia.com",
                "https://{}.com".format("a" * 63),
                "https://{}.{}.com".format("a" * 63, "a" * 63),
                "https://test-ing.com",
                "https://2600.com",
                "https://example.com",
                "http://example.com",
                "ftp://example.com",
            ]
        ),
        [
            "https://a.com",
            "https://en.wikipedia.com",
            "https://{}.com".format("a" * 63),
            "https://{}.{}.com".format("a" * 63, "a" * 63),
            "https://test-ing.com",
            "https://2600.com",
            "https://example.com",
            "http://example.com",
            "ftp://example.com",
        ],
        None,
        "valid_urls",
    ),
    (
        " ".join(
            [
                "foo@{}.com".format("a" * 64),
                "!@.com",
                "foo@abc",
                "@@@@-hi-.com",
                "@_hi_.com",
                "me@*hi*.com",
                "foo{}.com".format("a" * 64),
                ".com",
                "abc",
                "-hi-.com",
                "_hi_.com",
                "*hi*.com",
            ]
        ),
        [],
        None,
        "invalid_urls",
    ),
    (
        "http://8pretgdl.r.us-east-1.awstrack.me/L0/http:%2F%2Fwww.excelgoodies.com%2Fexcel-vba-training-in-"
        "virginia%23course-content/1/0100016ed23f4bef-b14931bd-26f6-4130-9c37-c4f9902a771d-000000/"
        "mHJBuJ8D1RcIDE3jrWkdw4I9im4=138",
        [
            "http://8pretgdl.r.us-east-1.awstrack.me/L0/http:%2F%2Fwww.excelgoodies.com%2Fexcel-vba-training-in-"
            "virginia%23course-content/1/0100016ed23f4bef-b14931bd-26f6-4130-9c37-c4f9902a771d-000000/"
            "mHJBuJ8D1RcIDE3jrWkdw4I9im4=138"
        ],
        None,
        "tracking redirect",
    ),
    # test_edge_cases.py
    ("https://o_o.lgms.nl/", ["https://o_o.lgms.nl/"], None, "underscore in subdomain"),
    (
        "https://github.com/StylishThemes/GitHub-Dark/blob/master/tools/authors.sh",
        ["https://github.com/StylishThemes/GitHub-Dark/blob/master/tools/authors.sh"],
        None,
        "github",
    ),
    (
        '<link href="http://fonts.googleapis.com/css?family=Lato:400,700" rel="stylesheet" type="text/css"/>',
        ["http://fonts.googleapis.com/css?family=Lato:400,700"],
        None,
        "link href",
    ),
    (
        '<a href="https://bit.ly/12345#abcd" target="_blank" style="text-decoration:none;;">',
        ["https://bit.ly/12345#abcd"],
        None,
        "a href fragment",
    ),
    (
        '<a href="https://bit.ly/12345" target="_blank" style="text-decoration:none;;">',
        ["https://bit.ly/12345"],
        None,
        "a href",
    ),
    (
        '<a href="https://bit.ly" target="_blank" style="text-decoration:none;;">',
        ["https://bit.ly"],
        None,
        "a href host",
    ),
    (
        '<a href="https://bit.ly/" target="_blank" style="text-decoration:none;;">',
        ["https://bit.ly/"],
        None,
        "a href /",
    ),
    ("http://example.com//test", ["http://example.com//test"], None, "double slash"),
    (
        "http://wmfolcs3.pn.4y.nv.kr2x1dt.net/gz+/(y%40%26//%3c7aew%5cqv%0a/%0bcz,r/r%5c%7b/7re//6%3e/f%23%7ce0p'6_%09/d%5c",
        [
            "http://wmfolcs3.pn.4y.nv.kr2x1dt.net/gz+/(y%40%26//%3c7aew%5cqv%0a/%0bcz,r/r%5c%7b/7re//6%3e/f%23%7ce0p'6_%09/d%5c"
        ],
        None,
        "issue 45 (complete)",
    ),
    (
        "github.com/StylishThemes/GitHub-Dark/blob/master/tools/authors.sh hightower.space/projects",
        [
            "https://github.com/StylishThemes/GitHub-Dark/blob/master/tools/authors.sh",
            "https://hightower.space/projects",
        ],
        None,
        "scheme-less",
    ),
    ("http://192.64.55.61/test.php", ["http://192.64.55.61/test.php"], None, "IP host"),
    ("http://foo.youtube/test.php", ["http://foo.youtube/test.php"], None, "new gTLD"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [_case((text, expected), departure, case_id) for text, expected, departure, case_id in IOC_FINDER_URLS],
)
def test_ioc_finder_urls(text: str, expected: list[str]) -> None:
    assert [link.url for link in find_links(text)] == expected


IOC_FINDER_BITCOIN_TEXT = (
    "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2.\n"
    "P2SH type starting with the number 3, eg: 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy.\n"
    "Bech32 type starting with bc1, eg: bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
)
IOC_FINDER_WALLETS: list[tuple[str, list[str], str]] = [
    # find_iocs_cases/coins.py bitcoin_address_1 (four identical cases) and test_bitcoin_parsing
    (
        IOC_FINDER_BITCOIN_TEXT,
        [
            "btc:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
            "btc:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
            "btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        ],
        "bitcoin_address_1",
    ),
    # coins.py monero_1 and test_monero_addresses
    (
        "496aKKdqF1xQSSEzw7wNrkZkDUsCD5cSmNCfVhVgEps52WERBcLDGzdF5UugmFoHMm9xRJdewvK2TFfAJNwEV25rTcVF5Vp",
        [
            "xmr:496aKKdqF1xQSSEzw7wNrkZkDUsCD5cSmNCfVhVgEps52WERBcLDGzdF5UugmFoHMm9xRJdewvK2TFfAJNwEV25rTcVF5Vp"
        ],
        "monero_1",
    ),
    # coins.py monero_2
    (
        "49Bmp3SfddJRRGNW7GhHyAA2JgcYmZ4EGEix6p3eMNFCd15P2VsK9BHWcZWUNYF3nhf17MoRTRK4j5b7FUMA9zanSn9D3Nk "
        "498s2XeKWYSEhQHGxdMULWdrpaKvSkDsq4855mCuksNL6ez2dk4mMQm8epbr9xvn5LgLPzD5uL9EGeRqWUdEZha1HmZqcyh",
        [
            "xmr:49Bmp3SfddJRRGNW7GhHyAA2JgcYmZ4EGEix6p3eMNFCd15P2VsK9BHWcZWUNYF3nhf17MoRTRK4j5b7FUMA9zanSn9D3Nk",
            "xmr:498s2XeKWYSEhQHGxdMULWdrpaKvSkDsq4855mCuksNL6ez2dk4mMQm8epbr9xvn5LgLPzD5uL9EGeRqWUdEZha1HmZqcyh",
        ],
        "monero_2",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [pytest.param(text, expected, id=case_id) for text, expected, case_id in IOC_FINDER_WALLETS],
)
def test_ioc_finder_wallets(text: str, expected: list[str]) -> None:
    assert [identifier.value for identifier in find_wallets(text)] == expected
