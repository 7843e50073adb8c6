"""Target policy: every refused class, what stays allowed, the settings that open it, look-alikes."""

from __future__ import annotations

import pytest

from extraction.fetch.targets import check_resolved_ip, homoglyph_warning, refusal_reason

# (class, url, a word the reason must contain so that people understand it)
REFUSED = [
    ("javascript", "javascript:alert(1)", "javascript"),
    ("javascript upper case", "JavaScript:alert(1)", "javascript"),
    ("vbscript", "vbscript:msgbox(1)", "vbscript"),
    ("data", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "data"),
    ("file", "file:///etc/passwd", "file"),
    ("ftp", "ftp://files.example.com/a.zip", "ftp"),
    ("other scheme", "gopher://example.com/1", "gopher"),
    ("ws scheme", "ws://example.com/socket", "ws"),
    ("no scheme", "example.com/ad/1", "scheme"),
    ("credentials", "http://admin:hunter2@www.emploidirect.fr/vacancy/1", "password"),
    ("user only", "https://google.com@evil.example/", "user"),
    ("backslash in host", "http://127.0.0.1\\.good.example/", "backslash"),
    ("loopback", "http://127.0.0.1:8080/admin", "loopback"),
    ("loopback /8", "http://127.8.9.10/", "loopback"),
    ("loopback v6", "http://[::1]/", "loopback"),
    ("private 10/8", "http://10.1.2.3/", "private"),
    ("private 172.16/12 low", "http://172.16.0.1/", "private"),
    ("private 172.16/12 high", "http://172.31.255.254/", "private"),
    ("private 192.168/16", "http://192.168.1.1/", "private"),
    ("metadata", "http://169.254.169.254/latest/meta-data/", "metadata"),
    ("link-local v6", "http://[fe80::1]/", "link-local"),
    ("link-local v6 zone", "http://[fe80::1%25eth0]/", "link-local"),
    ("unique local fc00::/7", "http://[fd12:3456::1]/", "private"),
    ("unspecified", "http://0.0.0.0:8000/", "unspecified"),
    ("unspecified v6", "http://[::]/", "unspecified"),
    ("multicast", "http://224.0.0.1/", "multicast"),
    ("multicast v6", "http://[ff02::1]/", "multicast"),
    ("reserved", "http://240.0.0.1/", "reserved"),
    ("broadcast", "http://255.255.255.255/", "reserved"),
    ("shared CGNAT", "http://100.64.0.1/", "public"),
    ("mapped v6 loopback", "http://[::ffff:127.0.0.1]/", "loopback"),
    ("mapped v6 hex", "http://[::ffff:7f00:1]/", "loopback"),
    ("mapped v6 metadata", "http://[::ffff:169.254.169.254]/", "metadata"),
    ("mapped v6 private", "http://[::ffff:10.0.0.1]/", "private"),
    ("nat64 loopback", "http://[64:ff9b::7f00:1]/", "loopback"),
    ("decimal", "http://2130706433/", "loopback"),
    ("hex dotted", "http://0x7f.1/", "loopback"),
    ("hex whole", "http://0x7f000001/", "loopback"),
    ("octal", "http://0177.0.0.1/", "loopback"),
    ("short", "http://127.1/", "loopback"),
    ("decimal metadata", "http://2852039166/", "metadata"),
    ("full-width digits", "http://１２７.０.０.１/", "loopback"),
    ("trailing dot", "http://127.0.0.1./", "loopback"),
    ("bad numeric host", "http://1.2.3.4.5/", "number"),
    ("bad octal", "http://09.1.1.1/", "number"),
    ("percent-encoded host", "http://127.0.0.%31/", "percent"),
    ("localhost", "http://localhost:8000/", "local"),
    ("localhost upper", "http://LOCALHOST/", "local"),
    ("sub.localhost", "http://admin.localhost/", "local"),
    (".local", "http://printer.local/", "local"),
    (".internal", "http://metadata.google.internal/computeMetadata/v1/", "local"),
    ("one-label", "http://router/admin", "one-label"),
    ("onion", "http://zmymd73f722zgvodbj5ci2dk5yb5hvx7jikqp6jnr5hp6pwagox3hoad.onion/", "Tor"),
    ("i2p", "http://shop.i2p/", "I2P"),
    ("homoglyph brand", "https://www.іnstagram.com/anna", "instagram.com"),
    ("homoglyph punycode", "https://www.xn--nstagram-shh.com/anna", "instagram.com"),
    ("mixed script", "https://www.emplоidirect.fr/vacancy/1", "cyrillic"),
    ("bad port", "http://example.com:99999/", "malformed"),
    ("no host", "http:///path", "host"),
]


@pytest.mark.parametrize(("url", "word"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_refused(url: str, word: str) -> None:
    reason = refusal_reason(url)
    assert reason is not None
    assert word.lower() in reason.lower()


ALLOWED = [
    "https://www.citycompanions.com/ad/8422465",
    "http://jobsnow.co.uk/jobs/75137164",
    "https://Velvetnights.co.uk/ad/27944836",
    "https://t.me:443/golden_angels_vip",
    "https://bit.ly/fn8Ffso",
    "http://8.8.8.8/",
    "http://172.32.0.1/",
    "http://[2606:4700::1111]/",
    "https://müller.de/kontakt",
    "https://xn--mller-kva.de/kontakt",
    "https://пример.рф/",
    "https://example.nl./ad/1",
]


@pytest.mark.parametrize("url", ALLOWED)
def test_allowed(url: str) -> None:
    assert refusal_reason(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/",
        "http://10.0.0.5/",
        "http://169.254.169.254/",
        "http://localhost/",
        "http://[::1]/",
    ],
)
def test_allow_private_opens_private_targets(url: str) -> None:
    assert refusal_reason(url) is not None
    assert refusal_reason(url, allow_private=True) is None


@pytest.mark.parametrize(
    "url", ["http://0.0.0.0/", "http://224.0.0.1/", "javascript:alert(1)", "http://u:p@10.0.0.1/"]
)
def test_allow_private_does_not_open_the_rest(url: str) -> None:
    assert refusal_reason(url, allow_private=True) is not None


def test_tor_proxy_opens_onion() -> None:
    url = "http://pgurph4r443oyx2m6sqatrtj2hlcrj5rj7e5kgt7q6swl5rwrece2had.onion/"
    assert refusal_reason(url) is not None
    assert refusal_reason(url, tor_proxy=True) is None


def test_allow_lookalike_turns_the_refusal_into_a_warning_only() -> None:
    url = "https://www.іnstagram.com/anna"
    assert refusal_reason(url, allow_lookalike=True) is None
    assert homoglyph_warning("www.іnstagram.com") is not None


RESOLVED = [
    ("127.0.0.1", "loopback"),
    ("169.254.169.254", "metadata"),
    ("10.0.0.1", "private"),
    ("::1", "loopback"),
    ("::ffff:192.168.0.1", "private"),
    ("fe80::1", "link-local"),
    ("0.0.0.0", "unspecified"),
    ("not-an-ip", "not an IP"),
]


@pytest.mark.parametrize(("ip", "word"), RESOLVED)
def test_check_resolved_ip_refuses(ip: str, word: str) -> None:
    reason = check_resolved_ip(ip, allow_private=False)
    assert reason is not None and word.lower() in reason.lower()


@pytest.mark.parametrize("ip", ["93.184.216.34", "2606:4700::1111", "::ffff:8.8.8.8"])
def test_check_resolved_ip_allows_public(ip: str) -> None:
    assert check_resolved_ip(ip, allow_private=False) is None


def test_check_resolved_ip_allow_private() -> None:
    assert check_resolved_ip("127.0.0.1", allow_private=True) is None
    assert check_resolved_ip("224.0.0.1", allow_private=True) is not None


HOMOGLYPHS = [
    ("www.іnstagram.com", "instagram.com"),  # Cyrillic і
    ("іnstagram.com", "instagram.com"),
    ("xn--nstagram-shh.com", "instagram.com"),
    ("fасebook.com", "facebook.com"),  # Cyrillic а, с
    ("ԝhatsapp.com", "whatsapp.com"),  # Cyrillic ԝ
    ("ınstagram.com", "instagram.com"),  # Latin dotless ı: one script, still a brand look-alike
    ("раураl.com", "paypal.com"),  # whole-script Cyrillic
    ("tіktok.com", "tiktok.com"),
    ("www.emplоidirect.fr", "mixes"),  # no brand, but Latin and Cyrillic in one label
]


@pytest.mark.parametrize(("host", "word"), HOMOGLYPHS)
def test_homoglyph_warning(host: str, word: str) -> None:
    warning = homoglyph_warning(host)
    assert warning is not None and word in warning


@pytest.mark.parametrize(
    "host", ["instagram.com", "müller.de", "пример.рф", "xn--e1afmkfd.xn--p1ai", "bücher.example", "例え.jp"]
)
def test_no_homoglyph_warning(host: str) -> None:
    assert homoglyph_warning(host) is None
