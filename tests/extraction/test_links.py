"""Links in chat text: tables of messages, Slack markup, IDN hosts, and the corpora."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from extraction.links import display_host, find_links
from extraction.refang import refang

ONION = "zmymd73f722zgvodbj5ci2dk5yb5hvx7jikqp6jnr5hp6pwagox3hoad"

# (message, [(raw, url, defanged)]) — raw is the link as typed, url what the hub fetches.
MESSAGES = [
    ("can someone deconflict this? hxxps://vk[.]com/id91554710", [
        ("hxxps://vk[.]com/id91554710", "https://vk.com/id91554710", True)]),
    ("https://www.tiktok.com/@anna_travels_eu https://www.vendelo.es/a/iphone/67508628", [
        ("https://www.tiktok.com/@anna_travels_eu", "https://www.tiktok.com/@anna_travels_eu", False),
        ("https://www.vendelo.es/a/iphone/67508628", "https://www.vendelo.es/a/iphone/67508628", False)]),
    ("https://linkhub.bio/julia.real.28\nhttps://rozenkamer.nl/ad/1\ncheck deze even", [
        ("https://linkhub.bio/julia.real.28", "https://linkhub.bio/julia.real.28", False),
        ("https://rozenkamer.nl/ad/1", "https://rozenkamer.nl/ad/1", False)]),
    ("flagging https://www.randkivip.pl/escort/irina-23/.", [
        ("https://www.randkivip.pl/escort/irina-23/", "https://www.randkivip.pl/escort/irina-23/", False)]),
    ("(hxxp://allekoop.pl/listing?id=3&cat=home)\n(https://empleoya.es/jobs/7?fbclid=IwAR)\n"
     "https://swapshop.co.uk/item/6,", [
        ("hxxp://allekoop.pl/listing?id=3&cat=home", "http://allekoop.pl/listing?id=3&cat=home", True),
        ("https://empleoya.es/jobs/7?fbclid=IwAR", "https://empleoya.es/jobs/7?fbclid=IwAR", False),
        ("https://swapshop.co.uk/item/6", "https://swapshop.co.uk/item/6", False)]),
    ("<https://anunturi-rapide.ro/item/4/#details> \n<https://dolceincontro(.)it/profile?id=2>", [
        ("https://anunturi-rapide.ro/item/4/#details", "https://anunturi-rapide.ro/item/4/#details", False),
        ("https://dolceincontro(.)it/profile?id=2", "https://dolceincontro.it/profile?id=2", True)]),
    ("https[:]//www.flohmarkt-online.de/a/9\nsuspicious ad", [
        ("https[:]//www.flohmarkt-online.de/a/9", "https://www.flohmarkt-online.de/a/9", True)]),
    (f"http://{ONION}[.]onion/\nonion mirror", [
        (f"http://{ONION}[.]onion/", f"http://{ONION}.onion/", True)]),
    ("new one hxxps://m[.]citycompanions[.]com:443/ad/35", [
        ("hxxps://m[.]citycompanions[.]com:443/ad/35", "https://m.citycompanions.com:443/ad/35", True)]),
    ("Slack: <https://x.example.com/a|https://x.example.com/a> and <http://y.example.com/b|the ad>", [
        ("https://x.example.com/a", "https://x.example.com/a", False),
        ("http://y.example.com/b", "http://y.example.com/b", False)]),
    ("slack escapes <https://x.example.com/l?a=1&amp;b=2>", [
        ("https://x.example.com/l?a=1&amp;b=2", "https://x.example.com/l?a=1&b=2", False)]),
    ("bare example.nl/ad/1, www.example.com and t.me/anna_vip!", [
        ("example.nl/ad/1", "https://example.nl/ad/1", False),
        ("www.example.com", "https://www.example.com", False),
        ("t.me/anna_vip", "https://t.me/anna_vip", False)]),
    ("defanged bare host example[.]com and 169.254.169.254/latest/meta-data", [
        ("example[.]com", "https://example.com", True),
        ("169.254.169.254/latest/meta-data", "https://169.254.169.254/latest/meta-data", False)]),
    ("“https://x.example.com/q” 'https://y.example.com/r' **https://z.example.com/s**", [
        ("https://x.example.com/q", "https://x.example.com/q", False),
        ("https://y.example.com/r", "https://y.example.com/r", False),
        ("https://z.example.com/s", "https://z.example.com/s", False)]),
    ("(see https://en.wikipedia.org/wiki/Foo_(bar)) and [https://x.example.com/a]", [
        ("https://en.wikipedia.org/wiki/Foo_(bar)", "https://en.wikipedia.org/wiki/Foo_(bar)", False),
        ("https://x.example.com/a", "https://x.example.com/a", False)]),
    ("ad https://x.example.com/ad👍 and https://x.example.com/b...", [
        ("https://x.example.com/ad", "https://x.example.com/ad", False),
        ("https://x.example.com/b", "https://x.example.com/b", False)]),
    ("test input: https://www.іnstagram.com/anna", [
        ("https://www.іnstagram.com/anna", "https://www.xn--nstagram-shh.com/anna", False)]),
    ("spaced out http:// example .com /test please", [
        ("http:// example .com /test", "http://example.com/test", True)]),
    ("profile https://www.instagram.com/anna_.", [
        ("https://www.instagram.com/anna_", "https://www.instagram.com/anna_", False)]),
    ("bot, check: javascript:alert(1)", [("javascript:alert(1)", "javascript:alert(1)", False)]),
    ("bot, check: file:///etc/passwd", [("file:///etc/passwd", "file:///etc/passwd", False)]),
    ("same link twice https://x.example.com/a https://x.example.com/a", [
        ("https://x.example.com/a", "https://x.example.com/a", False)]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), MESSAGES, ids=[m[0][:40] for m in MESSAGES])
def test_find_links(text: str, expected: list[tuple[str, str, bool]]) -> None:
    found = [(link.raw, link.url, link.defanged) for link in find_links(text)]
    assert found == expected


NOT_LINKS = [
    "who's up for lunch at 12:30?",
    "e.g. this one",
    "see file.txt and report.pdf",
    "the price is 12.30 EUR",
    "version 1.2.3",
    "mail anna@mail.com or anna.v@mail.co.uk",
    "mail bob[at]example[.]com",
    "TG: @anna_vip, IG ➜ anna.v",
    "mailto:anna@mail.com",
    "148CcALdEJgzgJZ8rncdWuxNbzT9DtVJhq – anyone traced this wallet?",
    "see http:// then",
    "node.js/docs",
    "data: 3 ads today",
    "note: nothing here",
    "Slack mention <@U0K57YR1NH> in <#C01|general>",
]


@pytest.mark.parametrize("text", NOT_LINKS)
def test_no_links(text: str) -> None:
    assert find_links(text) == []


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("javascript:alert(1)", "javascript"),
        ("http://127.0.0.1:8080/admin", "loopback"),
        ("http://admin:hunter2@www.emploidirect.fr/v/1", "password"),
        (f"http://{ONION}.onion/", "Tor"),
    ],
)
def test_links_carry_their_refusal(url: str, kind: str) -> None:
    (link,) = find_links(f"bot, check: {url}")
    assert link.refusal is not None and kind in link.refusal


def test_settings_reach_the_refusal() -> None:
    (onion,) = find_links(f"http://{ONION}.onion/", tor_proxy=True)
    (loopback,) = find_links("http://127.0.0.1:8080/", allow_private=True)
    assert onion.refusal is None and loopback.refusal is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.іnstagram.com/anna", "www.іnstagram.com (www.xn--nstagram-shh.com)"),
        ("https://www.xn--nstagram-shh.com/anna", "www.іnstagram.com (www.xn--nstagram-shh.com)"),
        ("https://müller.de/", "müller.de (xn--mller-kva.de)"),
        ("https://www.example.com/a", "www.example.com"),
        ("example.nl/ad/1", "example.nl"),
    ],
)
def test_display_host(url: str, expected: str) -> None:
    assert display_host(url) == expected


@pytest.mark.parametrize(
    "text",
    ["a." * 50000, "x" * 100000, "[.]" * 30000, "(" * 100000, "https://x.com/" + "(" * 50000, " " * 100000],
    ids=["dots", "letters", "brackets", "parens", "url-parens", "spaces"],
)
def test_long_junk_stays_fast(text: str) -> None:
    # Generous bound: quadratic regex backtracking took minutes on these before it was fixed.
    started = time.perf_counter()
    find_links(text)
    assert time.perf_counter() - started < 5.0


def test_corpus_links(corpus: Path) -> None:
    """Every pasted token found (compared after refang), nothing extra, must-not-fetch refused."""
    lines = (corpus / "messages.jsonl").read_text(encoding="utf-8").splitlines()
    messages = [json.loads(line) for line in lines if line.strip()]
    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    pasted: dict[int, list[dict[str, Any]]] = {}
    for row in truth["pasted"]:
        pasted.setdefault(row["msg_index"], []).append(row)
    missing, extra, unrefused, overrefused, wrong_flag = [], [], [], [], []
    for index, message in enumerate(messages):
        links = {refang(link.raw): link for link in find_links(message["text"])}
        wanted = {refang(row["raw"]): row for row in pasted.get(index, [])}
        extra += [(index, link.raw) for token, link in links.items() if token not in wanted]
        for token, row in wanted.items():
            link = links.get(token)
            if link is None:
                missing.append((index, row["raw"]))
            elif row["fetch"] == "must_not_fetch" and link.refusal is None:
                unrefused.append((index, row["raw"], row["kind"]))
            elif row["fetch"] != "must_not_fetch" and link.refusal is not None:
                overrefused.append((index, row["raw"], link.refusal))
            if link is not None and link.defanged != row["defanged"]:
                wrong_flag.append((index, row["raw"]))
    total = len(truth["pasted"])
    summary = (
        f"{total - len(missing)}/{total} found, {len(extra)} extra, "
        f"{len(unrefused)} must-not-fetch unrefused, {len(overrefused)} wrongly refused, "
        f"{len(wrong_flag)} wrong defanged flags"
    )
    assert (missing, extra, unrefused, overrefused, wrong_flag) == ([], [], [], [], []), summary
